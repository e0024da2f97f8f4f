"""The kiosk and the browser's Back button: the next citizen gets their own number, never the
previous citizen's slip (QA on `make demo`: Lansia B002, Back, "Ambil nomor", B002 again)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.django_db(transaction=True)

SERVICE = "Penerbitan Akta Kelahiran"


def kiosk_page(browser: Browser, base: str) -> Page:
    from mpp.accounts.models import Role
    from mpp.accounts.tests.factories import PASSWORD, make_staff

    make_staff(Role.KIOSK, mall="mpp-kukar", username="kios.mpp")
    context = browser.new_context(viewport={"width": 1080, "height": 1920}, locale="id-ID")
    page = context.new_page()
    page.goto(f"{base}/admin/login/?next=/kios/mpp-kukar/")
    page.fill("#id_username", "kios.mpp")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.get_by_role("link", name=re.compile("Disdukcapil Kukar")).click()
    expect(page.get_by_role("heading", level=2)).to_contain_text("pilih layanan")
    page.get_by_role("link", name=SERVICE, exact=True).click()
    expect(page.get_by_role("heading", level=2)).to_contain_text("Apakah Anda termasuk")
    return page


def test_back_then_another_choice_gives_a_new_number(asgi_server, kukar, browser, settings):
    from mpp.queueing.models import Ticket

    settings.MPP_DEMO_ALWAYS_OPEN = True  # the real clock runs in the server thread
    page = kiosk_page(browser, asgi_server)
    page.get_by_role("button", name="Lansia").click()
    first = page.locator(".slip-number").inner_text()

    page.go_back()
    page.get_by_role("button", name="Tidak, ambil nomor biasa").click()
    expect(page.locator(".slip-number")).not_to_have_text(first)
    second = page.locator(".slip-number").inner_text()

    tickets = {t.display_number: t.priority for t in Ticket.objects.all()}
    assert tickets == {first: "lansia", second: "none"}


def test_a_page_makes_its_own_keys_whenever_it_is_shown(asgi_server, kukar, browser, settings):
    """Chromium may keep even a no-store page in its back-forward cache, and the Metapers
    service worker shows cached pages: the page then shows without a request. On every showing
    (pageshow, `persisted` or not) mpp/idempotent.js replaces the server's keys by fresh ones."""
    settings.MPP_DEMO_ALWAYS_OPEN = True  # Disdukcapil serves whatever day the test runs on
    page = kiosk_page(browser, asgi_server)
    with page.expect_response(lambda r: r.request.resource_type == "document") as response:
        page.reload()
    served = re.findall(r'name="idempotency_key" value="([^"]+)"', response.value.text())
    keys = page.locator("form[data-idempotent] input[name=idempotency_key]")
    shown = keys.evaluate_all("(inputs) => inputs.map((i) => i.value)")
    page.evaluate("window.dispatchEvent(new PageTransitionEvent('pageshow', {persisted: true}))")
    restored = keys.evaluate_all("(inputs) => inputs.map((i) => i.value)")
    services = page.locator("form[data-idempotent]").evaluate_all(
        "(forms) => forms.map((f) => f.dataset.service)"
    )
    assert len(served) == len(shown) == len(restored) == len(services) == 1
    for keys_now, keys_before in ((shown, served), (restored, shown)):
        assert all(new != old for new, old in zip(keys_now, keys_before, strict=True))
        assert [key.rsplit("-", 1)[1] for key in keys_now] == services
        assert len({key.rsplit("-", 1)[0] for key in keys_now}) == 1  # one key for the page
