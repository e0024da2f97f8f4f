"""A morning at the MPP in four browsers: the kiosk issues a number, the officer's console calls
it, the board shows it and queues its announcement, the citizen's phone turns to "your turn"."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_kiosk_console_board_and_phone(
    asgi_server, kukar, browser: Browser, playwright, desktop, settings
):
    from mpp.accounts.models import Role
    from mpp.accounts.tests.factories import Cast, make_staff
    from mpp.queueing.announce import call_text
    from mpp.queueing.models import Counter, Ticket

    settings.MPP_DEMO_ALWAYS_OPEN = True  # the real clock runs in the server thread
    base = asgi_server
    make_staff(Role.KIOSK, mall="mpp-kukar", username="kios.mpp")
    Cast().officer_dukcapil()
    counter = Counter.objects.filter(mall__slug="mpp-kukar", tenant__slug="disdukcapil").first()

    board = desktop.new_page()
    board.goto(f"{base}/papan/mpp-kukar/")
    expect(board.locator("[data-link]")).to_have_text("Terhubung")

    kiosk_context = browser.new_context(viewport={"width": 1080, "height": 1920}, locale="id-ID")
    kiosk = sign_in(kiosk_context, base, "kios.mpp", "/kios/mpp-kukar/")
    kiosk.get_by_role("link", name=re.compile("Disdukcapil Kukar")).click()
    kiosk.get_by_role("link", name="Penerbitan Akta Kelahiran", exact=True).click()
    kiosk.get_by_role("button", name="Tidak, ambil nomor biasa").click()
    number = kiosk.locator(".slip-number").inner_text()
    assert re.fullmatch(r"[A-Z]{1,2}001", number)
    expect(kiosk.locator(".qr svg")).to_be_visible()
    ticket = Ticket.objects.get()

    phone_context = browser.new_context(**playwright.devices["Pixel 5"], locale="id-ID")
    phone = phone_context.new_page()
    phone.goto(f"{base}/antrean/{ticket.code}/")
    expect(phone.locator(".big-number")).to_have_text(number)
    expect(phone.locator("[data-turn]")).to_be_hidden()
    expect(board.locator("[data-waiting]")).to_contain_text("Disdukcapil")

    officer_context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    console = sign_in(officer_context, base, "petugas.dukcapil", f"/konsol/loket/{counter.pk}/")
    console.get_by_role("button", name="Buka").click()
    console.get_by_role("button", name="Panggil berikutnya").click()
    expect(console.locator("[data-current]")).to_have_attribute("data-current", number)

    expect(board.locator(".call.latest .num")).to_have_text(number)
    spoken = call_text(letter=ticket.queue.letter, number=1, counter_number=counter.number)
    expect(board.locator("body")).to_have_attribute("data-last-spoken", spoken)
    expect(phone.locator("[data-turn]")).to_be_visible()
    expect(phone.locator("[data-counter]")).to_have_text(str(counter.number))

    # A reload of the board shows the call but does not speak it again.
    board.reload()
    expect(board.locator(".call.latest .num")).to_have_text(number)
    assert board.locator("body").get_attribute("data-last-spoken") is None
    for context in (kiosk_context, phone_context, officer_context):
        context.close()
