"""A service's page on a phone: a citizen takes a number with the page's CSRF token and its own
key, and the key is filed under that browser; a signed-in auditor is told, in Indonesian, that
the role cannot take numbers (issue 16: one issuing rule on every path)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_citizen_takes_a_number_on_the_service_page(
    asgi_server, kukar, browser: Browser, playwright, settings
):
    from mpp.catalog.models import Service
    from mpp.queueing.models import Ticket

    settings.MPP_DEMO_ALWAYS_OPEN = True  # the real clock runs in the server thread
    akta = Service.objects.get(slug="akta-kelahiran")
    context = browser.new_context(**playwright.devices["Pixel 5"], locale="id-ID")
    phone = context.new_page()
    phone.goto(f"{asgi_server}{akta.get_absolute_url()}?mall=mpp-kukar")
    phone.locator("form[data-idempotent]").get_by_role("button", name="Ambil nomor").click()
    expect(phone.locator(".big-number")).to_be_visible()
    ticket = Ticket.objects.get()
    assert phone.url.endswith(f"/antrean/{ticket.code}/")
    assert ticket.channel == Ticket.Channel.ONLINE and ticket.issued_by_id is None
    assert ticket.idempotency_owner.startswith("browser:")  # the browser's own key
    context.close()


def test_a_signed_in_auditor_is_told_the_role_cannot_take_numbers(
    asgi_server, kukar, browser: Browser, settings
):
    from mpp.accounts.tests.factories import Cast
    from mpp.catalog.models import Service
    from mpp.queueing.models import Ticket

    settings.MPP_DEMO_ALWAYS_OPEN = True
    Cast().auditor()
    akta = Service.objects.get(slug="akta-kelahiran")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    page = sign_in(context, asgi_server, "auditor", f"{akta.get_absolute_url()}?mall=mpp-kukar")
    page.locator("form[data-idempotent]").get_by_role("button", name="Ambil nomor").click()
    expect(page.locator(".notice")).to_contain_text("tidak dapat mengambil nomor antrean")
    assert not Ticket.objects.exists()
    context.close()
