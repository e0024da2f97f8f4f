"""The 3D hall in Chromium with software WebGL on an Android phone: the renderer's own draw
calls and triangles against the scene's budget, no frames while idle, tapping a booth (and a
Mini MPP's front desk), walking into one, the first-visit tour, and the service worker's offline
copies."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright

from tests.browser.conftest import ARGS, CHROMIUM

pytestmark = pytest.mark.browser

# SwiftShader gives WebGL without a GPU; --disable-gpu would leave the page no WebGL at all.
WEBGL_ARGS = [
    *(a for a in ARGS if a != "--disable-gpu"),
    "--enable-unsafe-swiftshader",
    "--use-angle=swiftshader",
    "--ignore-gpu-blocklist",
]


@pytest.fixture(scope="module")
def webgl_browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=WEBGL_ARGS)
    yield browser
    browser.close()


def phone(playwright: Playwright, browser: Browser, **extra: Any) -> BrowserContext:
    return browser.new_context(**playwright.devices["Pixel 5"], locale="id-ID", **extra)


@pytest.fixture
def halls(kukar: Any) -> Any:
    from mpp.metapers.demo import ensure_demo_halls

    ensure_demo_halls(kukar)
    return kukar


@pytest.fixture
def tour_seen() -> str:
    """An init script that marks the first-visit tour as done (tests of the hall itself)."""
    return "try { localStorage.setItem('metapers.tour.done', '1'); } catch (e) {}"


def open_hall(page: Page, base: str, slug: str) -> None:
    page.goto(f"{base}/metapers/{slug}/3d/")
    page.wait_for_function("() => document.body.dataset.hallState === 'ready'", timeout=30_000)


def wait_live(page: Page) -> None:
    """The board snapshot is applied, the mall's websocket is open, and the frame that
    showed the counts is drawn."""
    page.wait_for_function(
        "() => window.mppHall.liveLoads >= 1 && window.mppHall.connected && !window.mppHall.pending"
    )


def live_hall(
    playwright: Playwright, browser: Browser, tour_seen: str, base: str, *, reduced_motion: bool
) -> tuple[BrowserContext, Page]:
    """The MPP's hall on a phone, past the tour, live (`wait_live`)."""
    extra = {"reduced_motion": "reduce"} if reduced_motion else {}
    context = phone(playwright, browser, **extra)
    context.add_init_script(tour_seen)
    page = context.new_page()
    open_hall(page, base, "mpp-kukar")
    wait_live(page)
    return context, page


def visible_booth(page: Page) -> dict[str, Any]:
    found = page.evaluate(
        """() => {
            for (const id of window.mppHall.booths) {
                const at = window.mppHall.screenPositionOf(id);
                if (at) return { id, ...at };
            }
            return null;
        }"""
    )
    assert found, "no booth is in view from the entrance"
    return found


def test_mpp_hall_draws_within_its_budget_and_exactly_as_estimated(
    asgi_server: str, halls: Any, playwright: Playwright, webgl_browser: Browser, tour_seen: str
) -> None:
    context = phone(playwright, webgl_browser)
    context.add_init_script(tour_seen)
    page = context.new_page()
    open_hall(page, asgi_server, "mpp-kukar")
    stats = page.evaluate("window.mppHall.stats()")
    budget = page.evaluate("window.mppHall.budget")
    assert stats["calls"] <= 30
    assert stats["triangles"] <= 50_000
    assert {"draw_calls": stats["calls"], "triangles": stats["triangles"]} == budget
    context.close()


def test_mini_mpp_hall_with_its_portal_draws_as_estimated(
    asgi_server: str, halls: Any, playwright: Playwright, webgl_browser: Browser, tour_seen: str
) -> None:
    context = phone(playwright, webgl_browser)
    context.add_init_script(tour_seen)
    page = context.new_page()
    open_hall(page, asgi_server, "mini-mpp-loa-kulu")
    stats = page.evaluate("window.mppHall.stats()")
    budget = page.evaluate("window.mppHall.budget")
    assert {"draw_calls": stats["calls"], "triangles": stats["triangles"]} == budget
    assert budget["draw_calls"] == 9  # the portal is one more call
    assert stats["triangles"] <= 50_000
    # 21 tenants' booths and the front desk, drawn alike.
    assert len(page.evaluate("window.mppHall.booths")) == 22
    context.close()


def test_tapping_a_mini_mpps_front_desk_shows_it_without_a_chat(
    asgi_server: str, halls: Any, playwright: Playwright, webgl_browser: Browser, tour_seen: str
) -> None:
    from mpp.metapers.models import Booth

    desk = Booth.objects.get(room__hall__mall__slug="mini-mpp-loa-kulu", tenant__isnull=True)
    context = phone(playwright, webgl_browser, reduced_motion="reduce")
    context.add_init_script(tour_seen)
    page = context.new_page()
    open_hall(page, asgi_server, "mini-mpp-loa-kulu")
    wait_live(page)
    at = page.evaluate(f"window.mppHall.screenPositionOf({desk.pk})")
    assert at, "the front desk is not in view from the entrance"
    page.touchscreen.tap(at["x"], at["y"])
    panel = page.locator("[data-panel]")
    panel.wait_for(state="visible")
    assert panel.get_attribute("data-booth") == str(desk.pk)
    assert page.locator("[data-panel-name]").inner_text() == "Loket Pelayanan"
    live = page.locator("[data-panel-live]").inner_text()
    assert live.startswith("Loket 1–2 · 0 menunggu · ")
    assert "Melayani semua instansi" in page.locator("[data-panel-note]").inner_text()
    assert page.locator("[data-panel-ask]").is_hidden()  # chat is per tenant
    ticket = page.locator("[data-panel-ticket]")
    assert ticket.get_attribute("href") == "/metapers/mini-mpp-loa-kulu/"
    ticket.click()
    page.wait_for_url("**/metapers/mini-mpp-loa-kulu/")
    assert page.locator("[data-front-desk] h3").inner_text() == "Loket Pelayanan"
    context.close()


def test_idle_hall_renders_no_frames(
    asgi_server: str, halls: Any, playwright: Playwright, webgl_browser: Browser, tour_seen: str
) -> None:
    context, page = live_hall(
        playwright, webgl_browser, tour_seen, asgi_server, reduced_motion=False
    )
    # The visitors count arrives on its own socket, maybe after the hall went live: idle
    # means after it too.
    page.wait_for_function("() => document.querySelector('[data-visitors]').textContent !== ''")
    before = page.evaluate("window.mppHall.frames")
    page.wait_for_timeout(1000)  # a measurement window, not a synchronisation
    after = page.evaluate("window.mppHall.frames")
    assert after == before
    # The count's line keeps its height while empty: its arrival does not shrink the stage
    # (on a phone that was a jump of the scene and a frame drawn again).
    empty, filled = page.evaluate(
        """() => {
            const line = document.querySelector('[data-visitors]');
            const stage = document.querySelector('[data-stage]');
            const text = line.textContent;
            line.textContent = '';
            const empty = stage.clientHeight;
            line.textContent = text;
            return [empty, stage.clientHeight];
        }"""
    )
    assert empty == filled
    context.close()


def test_tapping_a_booth_glides_there_and_opens_its_panel(
    asgi_server: str, halls: Any, playwright: Playwright, webgl_browser: Browser, tour_seen: str
) -> None:
    from mpp.metapers.models import Booth

    context, page = live_hall(
        playwright, webgl_browser, tour_seen, asgi_server, reduced_motion=False
    )
    booth = visible_booth(page)
    tenant = Booth.objects.select_related("tenant").get(pk=booth["id"]).tenant
    before = page.evaluate("window.mppHall.frames")
    page.touchscreen.tap(booth["x"], booth["y"])
    panel = page.locator("[data-panel]")
    panel.wait_for(state="visible")
    assert panel.get_attribute("data-booth") == str(booth["id"])
    assert page.locator("[data-panel-name]").inner_text() == tenant.name
    assert "menunggu" in page.locator("[data-panel-live]").inner_text()
    ticket = page.locator("[data-panel-ticket]")
    assert ticket.get_attribute("href") == f"/metapers/mpp-kukar/instansi/{tenant.slug}/"
    ask = page.locator("[data-panel-ask]")
    assert ask.get_attribute("href") == f"/metapers/mpp-kukar/instansi/{tenant.slug}/tanya/"
    # The glide renders frames until it arrives, then the hall is idle again.
    page.wait_for_function(f"() => window.mppHall.frames > {before + 2}")
    ticket.click()
    page.wait_for_url(f"**/metapers/mpp-kukar/instansi/{tenant.slug}/")
    context.close()


def test_reduced_motion_jumps_to_the_booth_in_one_frame(
    asgi_server: str, halls: Any, playwright: Playwright, webgl_browser: Browser, tour_seen: str
) -> None:
    context, page = live_hall(
        playwright, webgl_browser, tour_seen, asgi_server, reduced_motion=True
    )
    booth = visible_booth(page)
    before = page.evaluate("window.mppHall.frames")
    page.touchscreen.tap(booth["x"], booth["y"])
    page.locator("[data-panel]").wait_for(state="visible")
    page.wait_for_function(f"() => window.mppHall.frames > {before}")
    page.wait_for_timeout(500)  # a measurement window: no further frames follow the jump
    assert page.evaluate("window.mppHall.frames") == before + 1
    context.close()


def test_walking_stops_at_a_booth_instead_of_passing_through(
    asgi_server: str, halls: Any, playwright: Playwright, webgl_browser: Browser, tour_seen: str
) -> None:
    context, page = live_hall(
        playwright, webgl_browser, tour_seen, asgi_server, reduced_motion=True
    )
    booth = visible_booth(page)
    page.touchscreen.tap(booth["x"], booth["y"])  # reduced motion: stands in front at once
    page.locator("[data-panel]").wait_for(state="visible")
    floor = page.evaluate(f"window.mppHall.boothFloor({booth['id']})")
    start = page.evaluate("window.mppHall.position")

    def gap(at: dict[str, float]) -> float:
        """Distance from the visitor to the booth's floor (0 inside it)."""
        dx = max(floor["x0"] - at["x"], 0.0, at["x"] - floor["x1"])
        dz = max(floor["z0"] - at["z"], 0.0, at["z"] - floor["z1"])
        return float((dx * dx + dz * dz) ** 0.5)

    assert gap(start) > 1.0  # facing the booth from the aisle
    for _ in range(4):  # 6 m forward, through the booth without collision
        page.keyboard.press("ArrowUp")
    page.wait_for_function("() => !window.mppHall.pending")
    stopped = page.evaluate("window.mppHall.position")
    assert gap(stopped) < gap(start) - 0.5  # walked up to it
    assert gap(stopped) >= 0.2  # and stopped before its desks and floor
    page.keyboard.press("ArrowDown")  # stepping back is never blocked
    page.wait_for_function("() => !window.mppHall.pending")
    back = page.evaluate("window.mppHall.position")
    assert gap(back) > gap(stopped) + 1.0
    context.close()


def inside_floor(floors: list[dict[str, float]], x: float, z: float) -> bool:
    return any(f["x0"] < x < f["x1"] and f["z0"] < z < f["z1"] for f in floors)


def crosses_a_booth(
    floors: list[dict[str, float]], a: dict[str, float], b: dict[str, float]
) -> bool:
    """Whether the straight stretch a -> b passes over a booth's floor (checked every 5 cm)."""
    n = max(1, int(((b["x"] - a["x"]) ** 2 + (b["z"] - a["z"]) ** 2) ** 0.5 / 0.05) + 1)
    return any(
        inside_floor(floors, a["x"] + (b["x"] - a["x"]) * i / n, a["z"] + (b["z"] - a["z"]) * i / n)
        for i in range(n + 1)
    )


def test_a_glide_to_a_booth_goes_round_the_booths_in_its_way(
    asgi_server: str, halls: Any, playwright: Playwright, webgl_browser: Browser, tour_seen: str
) -> None:
    context, page = live_hall(
        playwright, webgl_browser, tour_seen, asgi_server, reduced_motion=False
    )
    floors = page.evaluate("window.mppHall.booths.map((id) => window.mppHall.boothFloor(id))")
    start = page.evaluate("window.mppHall.position")
    routes = page.evaluate("window.mppHall.booths.map((id) => window.mppHall.routeTo(id))")
    detours = 0
    for route in routes:
        assert (route[0]["x"], route[0]["z"]) == (
            pytest.approx(start["x"]),
            pytest.approx(start["z"]),
        )
        for a, b in pairwise(route):
            assert not crosses_a_booth(floors, a, b), route
        if crosses_a_booth(floors, route[0], route[-1]):
            detours += 1
            assert len(route) > 2
    assert detours, "from the entrance every booth is in a straight line: nothing to go round"

    # Tapping a booth in view that has a booth in the way: every frame of the glide stands
    # clear of the booths, and it ends where the route does.
    ids = page.evaluate("window.mppHall.booths")
    round_about = [
        (booth_id, route)
        for booth_id, route in zip(ids, routes, strict=True)
        if len(route) > 2 and page.evaluate(f"window.mppHall.screenPositionOf({booth_id})")
    ]
    assert round_about, "no booth in view from the entrance has another in the way"
    booth_id, route = round_about[0]
    at = page.evaluate(f"window.mppHall.screenPositionOf({booth_id})")
    page.evaluate(
        """() => {
            window.trail = [];
            const record = () => {
                window.trail.push(window.mppHall.position);
                if (!window.trailDone) requestAnimationFrame(record);
            };
            requestAnimationFrame(record);
        }"""
    )
    page.touchscreen.tap(at["x"], at["y"])
    page.wait_for_function("() => window.mppHall.lastRoute !== null && !window.mppHall.pending")
    trail = page.evaluate("window.trailDone = true; window.trail")
    assert page.evaluate("window.mppHall.lastRoute") == route
    assert len(trail) > 5  # it glided over frames, it did not jump
    assert not [p for p in trail if inside_floor(floors, p["x"], p["z"])]
    end = page.evaluate("window.mppHall.position")
    assert (end["x"], end["z"]) == (pytest.approx(route[-1]["x"]), pytest.approx(route[-1]["z"]))
    context.close()


def test_snap_turn_renders_one_frame_and_keeps_the_budget(
    asgi_server: str, halls: Any, playwright: Playwright, webgl_browser: Browser, tour_seen: str
) -> None:
    context, page = live_hall(
        playwright, webgl_browser, tour_seen, asgi_server, reduced_motion=False
    )
    before = page.evaluate("window.mppHall.frames")
    page.get_by_role("button", name="Putar ke kanan 45 derajat").click()
    page.wait_for_function(f"() => window.mppHall.frames === {before + 1}")
    stats = page.evaluate("window.mppHall.stats()")
    assert {"draw_calls": stats["calls"], "triangles": stats["triangles"]} == page.evaluate(
        "window.mppHall.budget"
    )
    context.close()


def test_joystick_moves_while_held_and_the_hall_rests_after(
    asgi_server: str, halls: Any, playwright: Playwright, webgl_browser: Browser, tour_seen: str
) -> None:
    context, page = live_hall(
        playwright, webgl_browser, tour_seen, asgi_server, reduced_motion=False
    )
    box = page.locator("[data-joystick]").bounding_box()
    assert box
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    before = page.evaluate("window.mppHall.frames")
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x, y - box["height"] / 3)  # push forward
    page.wait_for_function(f"() => window.mppHall.frames > {before + 5}")
    page.mouse.up()
    page.wait_for_function("() => !window.mppHall.pending")
    rested = page.evaluate("window.mppHall.frames")
    page.wait_for_timeout(500)  # a measurement window: released, nothing moves
    assert page.evaluate("window.mppHall.frames") == rested
    context.close()


def test_mini_mpp_portal_leads_to_the_mpps_3d_hall(
    asgi_server: str, halls: Any, playwright: Playwright, webgl_browser: Browser, tour_seen: str
) -> None:
    context = phone(playwright, webgl_browser)
    context.add_init_script(tour_seen)
    page = context.new_page()
    open_hall(page, asgi_server, "mini-mpp-loa-kulu")
    wait_live(page)
    turn = page.get_by_role("button", name="Putar ke kanan 45 derajat")
    for _ in range(4):  # face the entrance behind, where the portal stands
        turn.click()
    page.wait_for_function("() => !window.mppHall.pending")  # the turned view is drawn
    at = page.evaluate("window.mppHall.screenPositionOf('portal')")
    assert at, "the portal is not in view after turning round"
    page.touchscreen.tap(at["x"], at["y"])
    page.locator("[data-panel]").wait_for(state="visible")
    assert "MPP Kukar" in page.locator("[data-panel-name]").inner_text()
    assert page.locator("[data-panel-ticket]").is_hidden()
    link = page.locator("[data-panel-portal]")
    assert link.get_attribute("href") == "/metapers/mpp-kukar/3d/"
    link.click()
    page.wait_for_function("() => document.body.dataset.hallState === 'ready'")
    assert page.url.endswith("/metapers/mpp-kukar/3d/")
    context.close()


def test_first_visit_tour_is_shown_once(
    asgi_server: str, halls: Any, playwright: Playwright, webgl_browser: Browser
) -> None:
    context = phone(playwright, webgl_browser)
    page = context.new_page()
    open_hall(page, asgi_server, "mpp-kukar")
    tour = page.locator("[data-tour]")
    assert tour.is_visible()
    for _ in range(3):
        page.get_by_role("button", name="Lanjut").click()
    assert "tanya petugas" in tour.inner_text()
    page.get_by_role("button", name="Lanjut").click()
    assert tour.is_hidden()
    open_hall(page, asgi_server, "mpp-kukar")
    assert tour.is_hidden()
    context.close()


def test_worker_serves_visited_pages_offline_and_says_what_needs_a_connection(
    asgi_server: str, halls: Any, playwright: Playwright, webgl_browser: Browser, tour_seen: str
) -> None:
    context = phone(playwright, webgl_browser)
    context.add_init_script(tour_seen)
    page = context.new_page()
    open_hall(page, asgi_server, "mpp-kukar")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.goto(f"{asgi_server}/metapers/mpp-kukar/")  # visited online: copied to the cache
    heading = page.locator("h1").inner_text()
    page.wait_for_function(
        "() => caches.match('/metapers/mpp-kukar/').then((r) => r !== undefined)"
    )
    context.set_offline(True)
    page.reload()
    assert page.locator("h1").inner_text() == heading
    page.goto(f"{asgi_server}/metapers/mini-mpp-loa-kulu/")  # never visited
    assert "Mengambil nomor dan obrolan memerlukan koneksi internet." in page.content()
    context.close()
