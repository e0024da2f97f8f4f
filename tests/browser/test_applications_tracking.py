"""Files taken in at the console, followed on a phone (docs/adr/0037): the officer ends the
ticket with "Berkas diterima", sees the receipt code and prints the slip; the citizen types the
code, lowercase with spaces, on a phone and sees the steps and the due date."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, BrowserContext, expect

from tests.browser.a11y import axe_violations
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_files_received_at_the_console_are_followed_on_a_phone(
    asgi_server, kukar, browser: Browser, android: BrowserContext, settings
):
    from mpp.accounts.tests.factories import Cast
    from mpp.applications.models import Application
    from mpp.catalog.models import Service
    from mpp.malls.models import Mall
    from mpp.queueing import actions
    from mpp.queueing.models import Counter

    settings.MPP_DEMO_ALWAYS_OPEN = True  # the real clock runs in the server thread
    base = asgi_server
    officer = Cast().officer_dukcapil()
    mall = Mall.objects.get(slug="mpp-kukar")
    Service.objects.filter(slug="akta-kelahiran").update(
        duration_value=5, duration_unit="hari_kerja"
    )
    akta = Service.objects.get(slug="akta-kelahiran")
    counter = Counter.objects.filter(mall=mall, tenant__slug="disdukcapil").order_by("number")[0]
    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    console = sign_in(desk, base, "petugas.dukcapil", f"/konsol/loket/{counter.pk}/")
    # Steps taken here reach the screens through the server's event loop, which exists once
    # the server has answered a request (core.events.ServerLoop): after the sign-in.
    counter = actions.set_counter_status(counter=counter, status="open", acting_user=officer)
    actions.issue_ticket(mall=mall, service=akta, channel="kiosk")
    actions.start_ticket(
        ticket=actions.call_next_ticket(counter=counter, acting_user=officer), acting_user=officer
    )
    console.reload()
    finish = console.locator("form[action$='/finish/']")
    finish.locator("select[name=outcome]").select_option("received")
    console.get_by_role("button", name="Selesai", exact=True).click()
    application = Application.objects.get()
    received = console.locator("[data-received]")
    expect(received).to_contain_text(application.grouped_code)
    with desk.expect_page() as opened:
        received.get_by_role("link", name="Cetak tanda terima").click()
    slip = opened.value
    slip.wait_for_load_state()
    expect(slip.locator("[data-code]")).to_have_text(application.grouped_code)
    expect(slip.locator(".qr svg")).to_be_visible()
    desk.close()

    phone = android.new_page()
    phone.goto(f"{base}/permohonan/")
    assert axe_violations(phone) == []
    typed = application.grouped_code.lower().replace("-", " ")
    phone.get_by_label("Kode tanda terima").fill(typed)
    phone.get_by_role("button", name="Lihat permohonan").click()
    expect(phone.locator("[data-status]")).to_have_text("Diterima")
    expect(phone.locator("[data-due]")).to_contain_text(str(application.due_date.year))
    expect(phone.locator("[data-step=diterima]")).to_be_visible()
    overflow = phone.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert overflow is False
    assert axe_violations(phone) == []
