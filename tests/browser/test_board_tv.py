"""The display board on a wall TV with no mouse and no keyboard, read from the back of the waiting
room (issue 18, items 12, 13, 25, 27): it speaks from the start when the browser is started as
docs/tv-board.md says, remembers that on the device, says clearly when it is silent, shows a Mini
MPP's room as it is, and its texts are large, contrasted and in the chosen language."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, Playwright, expect

from tests.browser.a11y import assert_accessible
from tests.browser.conftest import ARGS, CHROMIUM
from tests.browser.test_board_layout import LANDSCAPE, PORTRAIT, board_server, busy_morning

pytestmark = pytest.mark.django_db(transaction=True)
__all__ = ["board_server"]  # the fixture, imported for the tests below

# The kiosk start of docs/tv-board.md: sound without a gesture, full screen.
KIOSK_FLAGS = ["--autoplay-policy=no-user-gesture-required", "--kiosk", "--noerrdialogs"]

# A browser started without the autoplay flag keeps an AudioContext "suspended" until a user
# gesture. Headless Chromium ignores the policy, so this page script plays that browser: the
# context reports "suspended" until resume() is called from the gesture handler.
NO_AUTOPLAY = """(() => {
  const Real = window.AudioContext;
  window.AudioContext = class extends Real {
    constructor() { super(); this._allowed = false; }
    get state() { return this._allowed ? super.state : "suspended"; }
    resume() { this._allowed = true; return super.resume(); }
  };
})();"""

# Font sizes in CSS pixels of what a waiting citizen reads: counter cells and map labels.
SIZES = """() => ({
  tenant: [...document.querySelectorAll("[data-counters] .who")]
    .map((e) => parseFloat(getComputedStyle(e).fontSize)),
  current: [...document.querySelectorAll("[data-counters] .cur")]
    .map((e) => parseFloat(getComputedStyle(e).fontSize)),
  map: [...document.querySelectorAll("[data-map] svg text")]
    .map((e) => e.getBoundingClientRect().height),
})"""


@pytest.fixture
def kiosk_browser(playwright: Playwright) -> Iterator[Browser]:
    """Chromium started with the flags the TV's start script uses (docs/tv-board.md)."""
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS + KIOSK_FLAGS)
    yield browser
    browser.close()


def call_one(slug: str = "mpp-kukar") -> str:
    """A counter calls a number; what the board says."""
    from mpp.catalog.models import Service
    from mpp.malls.models import Mall
    from mpp.queueing import actions
    from mpp.queueing.announce import call_text
    from mpp.queueing.models import Counter, Ticket

    mall = Mall.objects.get(slug=slug)
    counter = Counter.objects.filter(mall=mall, tenant__slug="disdukcapil").first()
    counter = actions.set_counter_status(
        counter=counter, status=Counter.Status.OPEN, acting_user=None
    )
    actions.issue_ticket(
        mall=mall, service=Service.objects.get(slug="akta-kelahiran"), channel=Ticket.Channel.KIOSK
    )
    ticket = actions.call_next_ticket(counter=counter, acting_user=None)
    assert ticket is not None
    return call_text(
        letter=ticket.queue.letter, number=ticket.number, counter_number=counter.number
    )


def test_a_tv_started_with_the_kiosk_flags_speaks_the_first_call_without_a_click(
    board_server, kiosk_browser
):
    context = kiosk_browser.new_context(viewport=LANDSCAPE, locale="id-ID")
    page = context.new_page()
    page.goto(f"{board_server}/papan/mpp-kukar/?suara=1")
    expect(page.locator("[data-link]")).to_have_text("Terhubung")
    body = page.locator("body")
    expect(body).to_have_attribute("data-sound", "on")
    expect(page.locator("[data-sound-banner]")).to_be_hidden()
    expect(page.locator("footer .ticker")).to_be_visible()

    spoken = call_one()
    expect(body).to_have_attribute("data-last-spoken-aloud", spoken)
    # The device remembers: the plain address (after a power cut) speaks too.
    page.goto(f"{board_server}/papan/mpp-kukar/")
    expect(body).to_have_attribute("data-sound", "on")
    context.close()


def test_a_silent_board_says_so_across_the_screen_until_a_key_of_the_remote(board_server, browser):
    context = browser.new_context(viewport=LANDSCAPE, locale="id-ID")
    context.add_init_script(NO_AUTOPLAY)
    page = context.new_page()
    page.goto(f"{board_server}/papan/mpp-kukar/")
    expect(page.locator("[data-link]")).to_have_text("Terhubung")
    body = page.locator("body")
    banner = page.locator("[data-sound-banner]")
    expect(body).to_have_attribute("data-sound", "off")
    expect(banner).to_contain_text("Suara panggilan mati")
    # Not a corner: the banner spans most of the screen's width.
    box = banner.bounding_box()
    assert box is not None and box["width"] >= 0.8 * LANDSCAPE["width"], box

    spoken = call_one()
    expect(body).to_have_attribute("data-last-spoken", spoken)  # shown, not spoken
    assert body.get_attribute("data-last-spoken-aloud") is None

    # Asked for by the address, refused by this browser: the banner says what to do.
    page.goto(f"{board_server}/papan/mpp-kukar/?suara=1")
    expect(body).to_have_attribute("data-sound", "blocked")
    expect(banner).to_contain_text("Suara diblokir peramban")
    assert_accessible(page)
    page.keyboard.press("Enter")  # the remote's OK key
    expect(body).to_have_attribute("data-sound", "on")
    expect(banner).to_be_hidden()

    # ?suara=0 turns it off on this device.
    page.goto(f"{board_server}/papan/mpp-kukar/?suara=0")
    expect(body).to_have_attribute("data-sound", "off")
    page.goto(f"{board_server}/papan/mpp-kukar/")
    expect(body).to_have_attribute("data-sound", "off")
    context.close()


def open_board(browser: Browser, url: str, viewport: dict[str, int]) -> Page:
    page = browser.new_context(viewport=viewport, locale="id-ID").new_page()
    page.goto(url)
    expect(page.locator("[data-link]")).to_have_text("Terhubung")
    return page


@pytest.mark.parametrize(("viewport", "query"), [(LANDSCAPE, ""), (PORTRAIT, "?arah=potret")])
def test_the_mpps_board_is_readable_from_the_back_of_the_room(
    board_server, browser, viewport, query
):
    from mpp.malls.models import Mall
    from mpp.queueing import actions
    from mpp.queueing.models import Counter, Ticket

    mall = Mall.objects.get(slug="mpp-kukar")
    busy_morning(mall)
    idle = Counter.objects.filter(mall=mall).exclude(
        tickets__status__in=[Ticket.Status.CALLED, Ticket.Status.SERVING]
    )
    for counter in idle[:3]:
        actions.set_counter_status(counter=counter, status=Counter.Status.CLOSED, acting_user=None)
    page = open_board(browser, f"{board_server}/papan/mpp-kukar/{query}", viewport)
    expect(page.locator("[data-counters] .counter")).to_have_count(34)
    closed = page.locator("[data-counters] .counter.closed")
    expect(closed).to_have_count(3)
    expect(closed.first.locator(".cur")).to_have_text("Tutup")  # in words, not only dimmer
    sizes = page.evaluate(SIZES)
    # A 1080p TV: tenant names at least 24 px (they were 14), every map label at least 18 px
    # (they were 4–18; the numbers of single counters are 27 px and more).
    assert min(sizes["tenant"]) >= 24, sizes["tenant"]
    assert min(sizes["current"]) >= 18, sizes["current"]
    assert min(sizes["map"]) >= 18, sizes["map"]
    assert_accessible(page)  # contrast of closed counters included
    page.context.close()


@pytest.mark.parametrize(("viewport", "query"), [(LANDSCAPE, ""), (PORTRAIT, "?arah=potret")])
def test_a_mini_mpps_board_shows_its_paten_room_as_it_is(board_server, browser, viewport, query):
    from mpp.malls.models import Mall
    from mpp.queueing.models import Counter

    mall = Mall.objects.get(slug="mini-mpp-loa-kulu")
    busy_morning(mall)
    page = open_board(browser, f"{board_server}/papan/{mall.slug}/{query}", viewport)
    board_map = page.locator("[data-map] svg")
    # Only the front desk and its counters: no portal to the MPP, no virtual tenant booths.
    expect(board_map).not_to_contain_text("Portal")
    expect(board_map.locator(".booth")).to_have_count(1)
    expect(board_map).to_contain_text("Loket Pelayanan")
    numbers = sorted(Counter.objects.filter(mall=mall).values_list("number", flat=True))
    expect(board_map.locator("[data-counter]")).to_have_count(len(numbers))
    assert "Imigrasi" not in board_map.inner_html()
    sizes = page.evaluate(SIZES)
    assert min(sizes["map"]) >= 24 and min(sizes["tenant"]) >= 24, sizes
    assert_accessible(page)
    page.context.close()


def test_in_english_the_board_says_so_and_its_own_texts_follow_but_calls_stay_indonesian(
    board_server, browser
):
    context = browser.new_context(viewport=LANDSCAPE, locale="id-ID")
    host = board_server.split("//")[1].split(":")[0]
    context.add_cookies([{"name": "django_language", "value": "en", "domain": host, "path": "/"}])
    page = context.new_page()
    page.goto(f"{board_server}/papan/mpp-kukar/")
    expect(page.locator("[data-link]")).to_have_text("Connected")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("[data-sound-banner]")).to_contain_text("Call sound is off")
    spoken = call_one()
    expect(page.locator(".call.latest .to")).to_contain_text("Counter")
    # The hall is Indonesian: the spoken call is, whatever the screen's language.
    expect(page.locator("body")).to_have_attribute("data-last-spoken", spoken)
    assert spoken.startswith("Nomor antrean")
    assert_accessible(page)
    context.close()
