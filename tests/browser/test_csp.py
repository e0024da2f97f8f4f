"""The site's Content-Security-Policy breaks none of its JavaScript pages: a morning walked through
kiosk (and its printed slip), TV board (websocket, speech), officer console, phone page, survey,
3D hall (WebGL, service worker), search (htmx), admin and API docs (Swagger UI), failing on any
violation the browser reports (docs/adr/0013)."""

from __future__ import annotations

import re
import urllib.request
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Playwright, expect

from tests.browser.conftest import ARGS, CHROMIUM, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# SwiftShader gives WebGL without a GPU, for the 3D hall (as in test_metapers_3d.py).
WEBGL_ARGS = [
    *(a for a in ARGS if a != "--disable-gpu"),
    "--enable-unsafe-swiftshader",
    "--use-angle=swiftshader",
    "--ignore-gpu-blocklist",
]

# Every violation becomes a console error the test collects; print() is counted, not shown.
WATCH = """
document.addEventListener("securitypolicyviolation", (e) => {
  console.error(`CSP violation: ${e.effectiveDirective} blocked ${e.blockedURI || "inline"}`
    + ` in ${e.sourceFile || location.pathname}:${e.lineNumber} ${e.sample || ""}`);
});
window.printed = 0;
window.print = () => { window.printed += 1; };
try { localStorage.setItem("metapers.tour.done", "1"); } catch (e) {}
"""


@pytest.fixture(scope="module")
def webgl_browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=WEBGL_ARGS)
    yield browser
    browser.close()


class Watched:
    """Browser contexts whose CSP violations and uncaught page errors are collected."""

    def __init__(self, browser: Browser) -> None:
        self.browser = browser
        self.violations: list[str] = []
        self.contexts: list[BrowserContext] = []

    def context(self, **options: object) -> BrowserContext:
        context = self.browser.new_context(locale="id-ID", **options)  # type: ignore[arg-type]
        context.add_init_script(WATCH)
        context.on("console", self._console)
        context.on("weberror", lambda error: self.violations.append(f"error: {error.error}"))
        self.contexts.append(context)
        return context

    def _console(self, message) -> None:  # type: ignore[no-untyped-def]
        if "CSP violation" in message.text or "Content Security Policy" in message.text:
            self.violations.append(f"{message.page.url if message.page else ''}: {message.text}")

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def watched(webgl_browser: Browser) -> Iterator[Watched]:
    watched = Watched(webgl_browser)
    yield watched
    watched.close()


def test_the_watch_catches_an_inline_script(asgi_server: str, kukar, watched: Watched) -> None:
    page = watched.context().new_page()
    page.goto(f"{asgi_server}/")
    with page.expect_console_message(lambda m: "CSP violation" in m.text):
        page.evaluate(
            """() => { const s = document.createElement("script");
                       s.textContent = "window.injected = 1"; document.body.append(s); }"""
        )
    assert page.evaluate("window.injected") is None  # blocked
    assert any("script-src" in v for v in watched.violations), watched.violations


def test_a_morning_on_every_javascript_page_has_no_csp_violation(
    asgi_server: str, kukar, watched: Watched, playwright: Playwright, settings
) -> None:
    from mpp.accounts.models import Role
    from mpp.accounts.tests.factories import Cast, make_staff
    from mpp.catalog.models import Service
    from mpp.metapers.demo import ensure_demo_halls
    from mpp.queueing.models import Counter, Ticket

    settings.MPP_DEMO_ALWAYS_OPEN = True  # the real clock runs in the server thread
    base = asgi_server
    urllib.request.urlopen(f"{base}/healthz").read()  # noqa: S310 - the server's loop exists
    ensure_demo_halls(kukar)
    make_staff(Role.KIOSK, mall="mpp-kukar", username="kios.mpp")
    officer = Cast().officer_dukcapil()
    Cast().regency_admin()
    counter = Counter.objects.filter(mall__slug="mpp-kukar", tenant__slug="disdukcapil").first()
    assert counter is not None

    # The TV board: its websocket (connect-src 'self') and its spoken calls.
    board = watched.context(viewport={"width": 1280, "height": 720}).new_page()
    board.goto(f"{base}/papan/mpp-kukar/")
    expect(board.locator("[data-link]")).to_have_text("Terhubung")

    # The kiosk: a number, the slip printed by the browser once loaded and again on the button.
    kiosk = sign_in(
        watched.context(viewport={"width": 1080, "height": 1920}),
        base,
        "kios.mpp",
        "/kios/mpp-kukar/",
    )
    kiosk.get_by_role("link", name=re.compile("Disdukcapil Kukar")).click()
    kiosk.get_by_role("link", name="Penerbitan Akta Kelahiran", exact=True).click()
    kiosk.get_by_role("button", name="Tidak, ambil nomor biasa").click()
    number = kiosk.locator(".slip-number").inner_text()
    kiosk.wait_for_function("() => window.printed === 1")
    kiosk.get_by_role("button", name="Cetak ulang").click()
    kiosk.wait_for_function("() => window.printed === 2")
    ticket = Ticket.objects.get()

    # The citizen's phone page, following the ticket live.
    phone_context = watched.context(**_pixel(playwright))
    phone = phone_context.new_page()
    phone.goto(f"{base}/antrean/{ticket.code}/")
    expect(phone.locator(".big-number")).to_have_text(number)

    # The officer's console calls it; the board shows and speaks it.
    console = sign_in(
        watched.context(viewport={"width": 1280, "height": 900}),
        base,
        officer.username,  # type: ignore[attr-defined]
        f"/konsol/loket/{counter.pk}/",
    )
    console.get_by_role("button", name="Buka").click()
    console.get_by_role("button", name="Panggil berikutnya").click()
    expect(console.locator("[data-current]")).to_have_attribute("data-current", number)
    expect(board.locator(".call.latest .num")).to_have_text(number)
    expect(board.locator("body")).to_have_attribute("data-last-spoken", re.compile(r"\w"))
    console.get_by_role("button", name="Mulai").click()
    console.get_by_role("button", name="Selesai", exact=True).click()
    expect(console.locator("[data-current]")).to_have_count(0)

    # The survey, from the phone page.
    survey_link = phone.get_by_role("link", name="Nilai pelayanan kami (survei kepuasan)")
    expect(survey_link).to_be_visible()
    survey_link.tap()
    expect(phone.get_by_role("heading", name="Bagaimana pelayanan kami?")).to_be_visible()
    phone.locator("#q-U1 label.choice").nth(3).tap()

    # The 3D hall on a phone: WebGL, its websocket, the service worker.
    hall = phone_context.new_page()
    hall.goto(f"{base}/metapers/mpp-kukar/3d/")
    hall.wait_for_function("() => document.body.dataset.hallState === 'ready'", timeout=30_000)
    hall.wait_for_function("() => window.mppHall.liveLoads >= 1 && window.mppHall.connected")
    hall.wait_for_function("() => navigator.serviceWorker.controller !== null")
    hall.goto(f"{base}/metapers/mpp-kukar/peta/")
    expect(hall.locator("svg.floor-map")).to_be_visible()

    # Search as you type (htmx), and the printable checklist.
    search = phone_context.new_page()
    search.goto(f"{base}/layanan/")
    search.get_by_label("Cari layanan").press_sequentially("paspor", delay=30)
    expect(search.locator("ol.results li").first).to_contain_text("Paspor")
    akta = Service.objects.get(slug="akta-kelahiran")
    search.goto(f"{base}/layanan/{akta.pk}/cetak/")
    search.get_by_role("button", name="Cetak").click()
    search.wait_for_function("() => window.printed === 1")

    # The admin (a change form with its inlines and widgets) and the API's Swagger UI.
    admin = sign_in(watched.context(), base, "admin.kabupaten", "/admin/malls/mall/")
    admin.get_by_role("link", name="MPP Kukar").first.click()
    expect(admin.locator("#mall_form")).to_be_visible()
    admin.goto(f"{base}/api/v1/docs")
    expect(admin.locator(".swagger-ui .info, .swagger-ui .errors-wrapper").first).to_be_visible()

    assert watched.violations == []
    expect(admin.locator(".swagger-ui .info .title")).to_be_visible()  # the document is read
    expect(admin.locator(".opblock").first).to_be_visible()


def _pixel(playwright: Playwright) -> dict[str, object]:
    return dict(playwright.devices["Pixel 5"])
