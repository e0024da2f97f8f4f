"""The citizen's other phone screens (issue 18, items 6, 11, 21, 23, 26): the Metapers map as a
list of 44 px targets on a Pixel 5, the chat saying when officers answer when nobody is on duty,
one header everywhere, and every main page whole at 200 % zoom on a 360 px phone (180 CSS px):
no sideways scroll, the number uncut, the menu inside its green bar. axe-core finds nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.a11y import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

WITA = ZoneInfo("Asia/Makassar")


@pytest.fixture
def halls(kukar):  # type: ignore[no-untyped-def]
    from mpp.metapers.demo import ensure_demo_halls

    ensure_demo_halls(kukar)
    return kukar


@pytest.fixture
def zoomed(browser: Browser) -> Iterator[BrowserContext]:
    """A 360 px phone at 200 % zoom: 180 CSS pixels wide."""
    context = browser.new_context(
        viewport={"width": 180, "height": 370},
        device_scale_factor=4,
        is_mobile=True,
        has_touch=True,
        locale="id-ID",
    )
    yield context
    context.close()


def small_targets(page: Page, selector: str) -> list[str]:
    """The visible elements of `selector` less than 44 CSS px tall, with their height."""
    return page.eval_on_selector_all(
        selector,
        """(els) => els.filter((e) => e.offsetParent !== null)
             .map((e) => [e.textContent.trim().slice(0, 30), e.getBoundingClientRect().height])
             .filter(([, h]) => h < 44).map(([t, h]) => `${t}: ${h}px`)""",
    )


def test_the_metapers_map_is_a_list_of_large_targets_on_a_phone(
    asgi_server, halls, android: BrowserContext
) -> None:
    page = android.new_page()
    page.goto(f"{asgi_server}/metapers/mpp-kukar/peta/")
    booths = page.locator(".map-list a")
    expect(booths.first).to_be_visible()
    assert booths.count() >= 10
    assert small_targets(page, ".map-list a") == []
    first = booths.first
    assert float(first.evaluate("(a) => parseFloat(getComputedStyle(a).fontSize)")) >= 16
    expect(first).to_contain_text(",")  # where it stands: "di kiri, dekat pintu masuk"
    # The drawing stays, at a scale where a booth is a target, in a box that scrolls sideways.
    smallest = page.eval_on_selector_all(
        ".floor-map a.booth",
        "(els) => Math.min(...els.map((e) => Math.min(e.getBoundingClientRect().width,"
        " e.getBoundingClientRect().height)))",
    )
    assert smallest >= 44
    assert page.evaluate("document.documentElement.scrollWidth") <= 393
    assert_accessible(page)
    href = first.get_attribute("href")
    first.click()
    expect(page).to_have_url(asgi_server + href)


def test_the_chat_says_when_officers_answer_when_nobody_is_on_duty(
    asgi_server, halls, android: BrowserContext
) -> None:
    # 03.45 WITA on a Monday: the mall opens at 08.00 and nobody is at the chat.
    with time_machine.travel(dt.datetime(2026, 12, 7, 3, 45, tzinfo=WITA), tick=True):
        page = android.new_page()
        page.goto(f"{asgi_server}/metapers/mpp-kukar/instansi/disdukcapil/tanya/")
        when = page.locator("[data-answers-at]")
        expect(when).to_contain_text("dijawab mulai Senin, 7 Desember 2026 pukul 08.00 WITA")
        assert_accessible(page)
        page.get_by_label("Pertanyaan Anda").fill("Syarat akta kelahiran?")
        page.get_by_role("button", name="Kirim").click()
        log = page.locator("[data-messages]")
        expect(log).to_contain_text("dijawab mulai Senin, 7 Desember 2026 pukul 08.00 WITA")
        assert small_targets(page, "main button, main a") == []
        assert_accessible(page)


def test_main_citizen_pages_fit_a_phone_at_200_percent_zoom(
    asgi_server, halls, zoomed: BrowserContext, settings
) -> None:
    from mpp.catalog.models import Service
    from mpp.malls.models import Mall
    from mpp.queueing import actions

    settings.MPP_DEMO_ALWAYS_OPEN = True  # the real clock runs in the server thread
    page = zoomed.new_page()
    page.goto(f"{asgi_server}/")
    akta = Service.objects.get(slug="akta-kelahiran")
    mall = Mall.objects.get(slug="mpp-kukar")
    ticket = actions.issue_ticket(mall=mall, service=akta, channel="online").ticket
    pages = [
        "/",
        "/mal/mpp-kukar/",
        "/layanan/?q=akta",
        f"{akta.get_absolute_url()}?mall=mpp-kukar",
        f"/antrean/{ticket.code}/",
        "/metapers/mpp-kukar/",
        "/metapers/mpp-kukar/peta/",
        "/metapers/mpp-kukar/instansi/disdukcapil/tanya/",
    ]
    wide, outside, logos = {}, {}, set()
    for path in pages:
        page.goto(asgi_server + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 180:
            wide[path] = width
        # The menu inside its green bar: every header link within the header's box.
        out = page.eval_on_selector_all(
            "header.top a",
            """(links) => {
                 const bar = document.querySelector("header.top").getBoundingClientRect();
                 return links.map((a) => a.getBoundingClientRect())
                   .filter((r) => r.right > bar.right + 0.5 || r.bottom > bar.bottom + 0.5)
                   .length; }""",
        )
        if out:
            outside[path] = out
        logos.add(page.locator("header.top .brand").inner_html())
        assert small_targets(page, "header.top a") == [], path
    assert wide == {}
    assert outside == {}
    assert len(logos) == 1  # one header on every page

    page.goto(f"{asgi_server}/antrean/{ticket.code}/")
    number = page.locator(".big-number")
    expect(number).to_have_text(ticket.display_number)
    fits = number.evaluate(
        "(n) => n.scrollWidth <= n.clientWidth && n.getBoundingClientRect().right <= 180"
    )
    assert fits
    assert number.bounding_box()["height"] < 80  # on one line, not broken into pieces
    assert_accessible(page)


def test_phone_pages_have_44_pixel_targets(asgi_server, kukar, android: BrowserContext) -> None:
    page = android.new_page()
    page.goto(f"{asgi_server}/")
    assert small_targets(page, "header.top a, .card a") == []
    page.goto(f"{asgi_server}/mal/mpp-kukar/")
    assert small_targets(page, "header.top a, .foot a, .foot button, .foot select") == []
