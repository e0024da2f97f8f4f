"""Checking in a booking at the kiosk (docs/adr/0036): the first screen's big button, one input
for the code (typed on the screen or by a QR scanner acting as a keyboard), then the slip."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.a11y import assert_accessible
from tests.browser.test_kiosk import PORTRAIT, fits, kiosk

pytestmark = pytest.mark.django_db(transaction=True)


def booking_now():  # type: ignore[no-untyped-def]
    """A booking of akta kelahiran at MPP Kukar in a slot starting this minute (the server
    runs on the real clock): on time."""
    from mpp.catalog.models import Service
    from mpp.malls.models import Mall
    from mpp.queueing.tests.bookings import book

    mall = Mall.objects.get(slug="mpp-kukar")
    start = mall.local_now().strftime("%H:%M")
    return book(mall, Service.objects.get(slug="akta-kelahiran"), start)


@pytest.mark.parametrize("scripts", [True, False], ids=["js", "no-js"])
def test_typing_the_code_gives_the_slip(asgi_server, kukar, browser: Browser, settings, scripts):
    from mpp.queueing.models import Ticket

    settings.MPP_DEMO_ALWAYS_OPEN = True
    booking = booking_now()
    page = kiosk(browser, asgi_server, PORTRAIT, java_script_enabled=scripts)
    page.add_init_script("window.print = () => {};")  # the slip prints itself (mpp/print.js)
    page.get_by_role("link", name="Saya sudah punya janji temu").click()
    expect(page.get_by_role("heading", level=2)).to_have_text("Lapor hadir janji temu")
    field = page.get_by_label("Ketik kode janji temu Anda")
    assert fits(page, ".checkin") == []
    if scripts:  # axe runs as a script: not on the page without them
        expect(field).to_be_focused()  # a scanner types into it at once
        assert_accessible(page)

    # A wrong code first: the reason, large, and the input again.
    field.fill("salah-kode")
    field.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("Kode janji temu tidak ditemukan")

    # What a scanner types: the grouped code in lower case, then Enter.
    page.get_by_label("Ketik kode janji temu Anda").fill(booking.grouped_code.lower())
    page.get_by_label("Ketik kode janji temu Anda").press("Enter")
    expect(page.locator(".slip-number")).to_have_text(Ticket.objects.get().display_number)
    expect(page.locator(".slip-checkin")).to_have_text("JANJI TEMU")
    expect(page.locator("[data-checkin-note]")).to_contain_text("tepat waktu")
    booking.refresh_from_db()
    assert booking.status == "checked_in"
