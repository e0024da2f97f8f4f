"""The display board fits one TV screen, which cannot scroll: landscape and portrait, with the
MPP's 34 counters, with 60, and with a Mini MPP's two; its clock tells the mall's time."""

from __future__ import annotations

import datetime as dt
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

pytestmark = pytest.mark.django_db(transaction=True)

LANDSCAPE = {"width": 1920, "height": 1080}
PORTRAIT = {"width": 1080, "height": 1920}

# The page's geometry, measured in the browser: the document's size, the main regions' boxes,
# every counter cell's box, and what is drawn at the centre of the latest call's number.
MEASURE = """() => {
  const box = (e) => { const r = e.getBoundingClientRect();
    return {left: r.left, top: r.top, right: r.right, bottom: r.bottom}; };
  const regions = {};
  for (const [name, sel] of Object.entries({header: "body > header", now: "section.now",
      counters: "section.counters", waiting: "section.waiting", map: "section.map",
      ticker: "body > footer"})) {
    const e = document.querySelector(sel);
    if (e) regions[name] = box(e);
  }
  const num = document.querySelector(".call.latest .num").getBoundingClientRect();
  const hit = document.elementFromPoint(num.left + num.width / 2, num.top + num.height / 2);
  return {
    scrollWidth: document.documentElement.scrollWidth, innerWidth,
    scrollHeight: document.documentElement.scrollHeight, innerHeight,
    regions,
    card: box(document.querySelector(".call.latest")),
    counters: [...document.querySelectorAll("[data-counters] .counter")].map(box),
    waiting: [...document.querySelectorAll("[data-waiting] li")].map(box),
    numberIsOnTop: !!hit && !!hit.closest(".call.latest"),
    // Texts that overflow their box: the latest call's card and the counters' cells.
    cut: [...document.querySelectorAll(".call.latest, [data-counters] .counter")]
      .filter((e) => e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1)
      .map((e) => e.textContent),
  };
}"""


def busy_morning(mall: Any) -> int:
    """Every counter open and serving a number, people waiting in every queue whose tenant
    serves today (Imigrasi only on Wednesdays), 8 recent calls; the number of such queues."""
    from mpp.catalog.models import Service
    from mpp.queueing import actions
    from mpp.queueing.exceptions import TicketRefused
    from mpp.queueing.models import Counter, Queue, Ticket

    for counter in Counter.objects.filter(mall=mall):
        actions.set_counter_status(counter=counter, status=Counter.Status.OPEN, acting_user=None)
    busy = 0
    for queue in Queue.objects.filter(mall=mall):
        services = (
            Service.objects.active()
            .offered_at(mall)
            .filter(tenant__in=queue.tenants.all())
            .order_by("pk")
        )
        assert services, queue
        try:
            for _ in range(queue.counters.count() + 1):
                actions.issue_ticket(mall=mall, service=services[0], channel=Ticket.Channel.KIOSK)
        except TicketRefused:
            continue  # its tenant does not serve today
        busy += 1
    for counter in Counter.objects.filter(mall=mall).order_by("number"):
        actions.call_next_ticket(counter=counter, acting_user=None)
    return busy


def assert_fits_one_screen(page: Page, *, counters: int, waiting: int) -> None:
    expect(page.locator("[data-counters] .counter")).to_have_count(counters)
    expect(page.locator("[data-waiting] li")).to_have_count(waiting)
    m = page.evaluate(MEASURE)
    width, height = m["innerWidth"], m["innerHeight"]
    assert m["scrollHeight"] <= height and m["scrollWidth"] <= width, m

    def inside(r: dict[str, float]) -> bool:
        return r["left"] >= 0 and r["top"] >= 0 and r["right"] <= width and r["bottom"] <= height

    regions = m["regions"]
    assert {"header", "now", "counters", "waiting", "map", "ticker"} <= set(regions)
    for name, r in regions.items():
        assert inside(r), (name, r)
    for r in [m["card"], *m["counters"], *m["waiting"]]:
        assert inside(r), r
    # The cells lie inside their section, above the running text.
    section = regions["counters"]
    for r in m["counters"]:
        assert section["top"] <= r["top"] and r["bottom"] <= section["bottom"], r
        assert r["bottom"] <= regions["ticker"]["top"], r
    names = sorted(regions)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            ra, rb = regions[a], regions[b]
            apart = (
                ra["right"] <= rb["left"]
                or rb["right"] <= ra["left"]
                or ra["bottom"] <= rb["top"]
                or rb["bottom"] <= ra["top"]
            )
            assert apart, (a, ra, b, rb)
    assert m["numberIsOnTop"], "another element covers the latest call's number"
    assert m["cut"] == [], "texts cut off by their box"


@pytest.fixture
def board_server(asgi_server, kukar, settings):  # type: ignore[no-untyped-def]
    from mpp.metapers.demo import ensure_demo_halls

    settings.MPP_DEMO_ALWAYS_OPEN = True  # the real clock runs in the server thread
    ensure_demo_halls(kukar)
    urllib.request.urlopen(f"{asgi_server}/healthz").read()  # noqa: S310 - our own server
    return asgi_server


@pytest.fixture
def open_board(board_server: str, browser: Browser) -> Iterator[Callable[..., Page]]:
    """Opens a mall's board on a screen of the given size, once it follows the live events."""
    contexts: list[BrowserContext] = []

    def open_(slug: str, viewport: dict[str, int], query: str = "") -> Page:
        context = browser.new_context(viewport=viewport, locale="id-ID")
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{board_server}/papan/{slug}/{query}")
        expect(page.locator("[data-link]")).to_have_text("Terhubung")
        return page

    yield open_
    for context in contexts:
        context.close()


@pytest.mark.parametrize(("viewport", "query"), [(LANDSCAPE, ""), (PORTRAIT, "?arah=potret")])
def test_the_mpps_board_shows_everything_on_one_screen(open_board, viewport, query):
    from mpp.malls.models import Mall
    from mpp.queueing.models import Counter

    mall = Mall.objects.get(slug="mpp-kukar")
    busy = busy_morning(mall)
    counters = Counter.objects.filter(mall=mall).count()
    assert counters == 34
    page = open_board("mpp-kukar", viewport, query)
    assert_fits_one_screen(page, counters=counters, waiting=busy)


def test_sixty_counters_still_fit(open_board):
    from mpp.malls.models import Mall
    from mpp.queueing.models import Counter

    mall = Mall.objects.get(slug="mpp-kukar")
    template = Counter.objects.filter(mall=mall, tenant__slug="disdukcapil").first()
    for number in range(35, 61):
        extra = Counter.objects.create(mall=mall, number=number, tenant=template.tenant)
        extra.queues.set(template.queues.all())
    busy = busy_morning(mall)
    for viewport, query in [(LANDSCAPE, ""), (PORTRAIT, "?arah=potret")]:
        page = open_board("mpp-kukar", viewport, query)
        assert_fits_one_screen(page, counters=60, waiting=busy)


@pytest.mark.parametrize(("viewport", "query"), [(LANDSCAPE, ""), (PORTRAIT, "?arah=potret")])
def test_a_mini_mpps_board_fills_the_screen_with_its_two_counters(open_board, viewport, query):
    from mpp.malls.models import Mall

    mall = Mall.objects.get(slug="mini-mpp-loa-kulu")
    busy_morning(mall)
    page = open_board(mall.slug, viewport, query)
    assert_fits_one_screen(page, counters=2, waiting=1)
    # Two counters are not drawn as tiny cells in a corner, nor larger than the latest call.
    # Measured in one step, so that a refresh between two measurements cannot mix two renders.
    heights = page.evaluate(
        """() => ({
          card: document.querySelector(".call.latest .num").getBoundingClientRect().height,
          cells: [...document.querySelectorAll("[data-counters] .counter")].map((c) => ({
            cell: c.getBoundingClientRect().height,
            current: c.querySelector(".cur").getBoundingClientRect().height,
          })),
        })"""
    )
    assert len(heights["cells"]) == 2, heights
    for cell in heights["cells"]:
        assert cell["cell"] >= 0.1 * viewport["height"], heights
        assert 0 < cell["current"] < heights["card"], heights


def test_the_clock_shows_the_malls_time_on_a_tv_set_to_utc(board_server, browser):
    context = browser.new_context(viewport=LANDSCAPE, locale="id-ID", timezone_id="UTC")
    page = context.new_page()
    # 01.27 UTC is 09.27 in Tenggarong (WITA, Asia/Makassar).
    moment = dt.datetime(2026, 11, 30, 1, 27, tzinfo=dt.UTC)
    page.clock.set_fixed_time(moment)
    page.goto(f"{board_server}/papan/mpp-kukar/")
    local = moment.astimezone(ZoneInfo("Asia/Makassar"))
    expect(page.locator("[data-clock]")).to_have_text(f"{local:%H}.{local:%M}")
    assert page.evaluate("new Date().getHours()") == 1  # the TV's own zone is UTC
    expect(page.locator("body")).to_have_attribute("data-tz", "Asia/Makassar")
    context.close()
