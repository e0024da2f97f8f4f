"""On a Pixel 5 (issue 18, item 3): the mall page shows each line now (waiting, counters open),
a citizen gives up a waiting number from the phone page, and a number already called says why
it cannot be given up. axe-core finds nothing on any of these pages."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import BrowserContext, expect

from tests.browser.a11y import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


def shot(page, name):  # type: ignore[no-untyped-def]
    """MPP_SCREENSHOTS=<dir> keeps the picture of a state, for a look."""
    folder = os.environ.get("MPP_SCREENSHOTS")
    if folder:
        page.screenshot(path=f"{folder}/{name}.png", full_page=True)


@pytest.fixture
def morning(kukar, settings):  # type: ignore[no-untyped-def]
    """MPP Kukar with two Disdukcapil counters open and three numbers waiting, made when called,
    once a page has loaded: steps in the test's thread reach the server's event loop only after
    it answered a request (core.events.ServerLoop)."""
    from mpp.accounts.tests.factories import Cast
    from mpp.catalog.models import Service
    from mpp.malls.models import Mall
    from mpp.queueing import actions
    from mpp.queueing.models import Counter, Ticket

    settings.MPP_DEMO_ALWAYS_OPEN = True  # the real clock: the mall's hours are not under test

    def setup():  # type: ignore[no-untyped-def]
        mall = Mall.objects.get(slug="mpp-kukar")
        officer = Cast().officer_dukcapil()
        dukcapil = Counter.objects.filter(mall=mall, tenant__slug="disdukcapil")
        counters = [
            actions.set_counter_status(counter=c, status=Counter.Status.OPEN, acting_user=officer)
            for c in dukcapil.order_by("number")[:2]
        ]
        akta = Service.objects.get(slug="akta-kelahiran")
        tickets = [
            actions.issue_ticket(mall=mall, service=akta, channel=Ticket.Channel.KIOSK).ticket
            for _ in range(3)
        ]
        return {"counters": counters, "tickets": tickets, "officer": officer}

    return setup


def test_the_mall_page_shows_the_line_now(asgi_server, android: BrowserContext, morning):
    page = android.new_page()
    page.goto(f"{asgi_server}/mal/mpp-kukar/")
    morning()
    page.reload()
    row = page.locator('li[data-queue="B"]')
    expect(row).to_contain_text("3 menunggu · 2 loket buka")
    quiet = page.locator("details", has_text="antrean lain")
    expect(quiet).to_contain_text("antrean lain: belum ada yang menunggu")
    quiet.locator("summary").click()
    expect(quiet.locator('[data-queue="A"]')).to_be_visible()
    shot(page, "mall-line-360")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page)


def test_a_citizen_gives_up_a_waiting_number(asgi_server, android: BrowserContext, morning):
    from mpp.queueing.models import Ticket

    page = android.new_page()
    page.goto(f"{asgi_server}/mal/mpp-kukar/")
    ticket = morning()["tickets"][2]
    page.goto(f"{asgi_server}/antrean/{ticket.code}/")
    page.get_by_text("Batalkan nomor", exact=True).click()
    page.get_by_role("button", name="Ya, batalkan nomor ini").click()
    expect(page.locator("[data-state]")).to_contain_text("Dibatalkan")
    shot(page, "ticket-cancelled-360")
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.CANCELLED
    assert_accessible(page)


# A phone that lost its connection: no websocket, no answer from the API; the page stays as it
# was loaded.
OFFLINE = """
(() => {
  window.WebSocket = function () { return { close() {}, send() {}, addEventListener() {} }; };
})();
"""


def test_a_called_number_says_why_it_cannot_be_given_up(
    asgi_server, android: BrowserContext, morning
):
    """Called while the phone was offline (online, the page hides the button at once): the
    cancel that follows is refused with the reason, and leads back to the number."""
    from mpp.queueing import actions

    android.add_init_script(OFFLINE)
    page = android.new_page()
    page.route("**/api/v1/tickets/**", lambda route: route.abort())
    page.goto(f"{asgi_server}/mal/mpp-kukar/")
    day = morning()
    ticket = day["tickets"][0]
    page.goto(f"{asgi_server}/antrean/{ticket.code}/")
    page.get_by_text("Batalkan nomor", exact=True).click()
    actions.call_next_ticket(counter=day["counters"][0], acting_user=day["officer"])
    page.get_by_role("button", name="Ya, batalkan nomor ini").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Nomor antrean tidak dapat dibatalkan"
    )
    expect(page.locator("[role=alert]")).to_contain_text("dipanggil")
    shot(page, "cancel-refused-360")
    assert_accessible(page)
    page.get_by_role("link", name=f"Kembali ke nomor {ticket.display_number}").click()
    expect(page).to_have_url(f"{asgi_server}/antrean/{ticket.code}/")
