"""The kiosk as an elderly citizen uses it (issue 18, items 7, 8, 24, 26, 27): a 1080×1920
portrait touch screen and the 1280×1024 and 1920×1080 landscape ones, no keyboard.

Screenshots go to $MPP_SHOTS when it is set (to look at them), nowhere otherwise."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.a11y import assert_accessible
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

PORTRAIT = {"width": 1080, "height": 1920}
SIZES = [PORTRAIT, {"width": 1280, "height": 1024}, {"width": 1920, "height": 1080}]
SERVICE = "Penerbitan Akta Kelahiran"


def shot(page: Page, name: str) -> None:
    folder = os.environ.get("MPP_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        size = page.viewport_size or {"width": 0, "height": 0}
        page.screenshot(path=f"{folder}/{name}-{size['width']}x{size['height']}.png")


def kiosk(browser: Browser, base: str, viewport: dict[str, int], **context: object) -> Page:
    from mpp.accounts.models import Role
    from mpp.accounts.tests.factories import make_staff

    make_staff(Role.KIOSK, mall="mpp-kukar", username="kios.mpp")
    new = browser.new_context(viewport=viewport, locale="id-ID", has_touch=True, **context)
    return sign_in(new, base, "kios.mpp", "/kios/mpp-kukar/")


def imigrasi_not_today() -> str:
    """Imigrasi serves on a weekday other than today's (the server runs on the real clock)."""
    from mpp.catalog.models import MallTenant
    from mpp.malls.models import Mall

    today = Mall.objects.get(slug="mpp-kukar").local_now().isoweekday()
    other = str(today % 5 + 1 if today <= 5 else 3)
    MallTenant.objects.filter(mall__slug="mpp-kukar", tenant__slug="imigrasi-samarinda").update(
        service_days=other
    )
    return other


def fits(page: Page, selector: str) -> list[str]:
    """The elements of `selector` whose content is wider than they are, and the page if it
    scrolls sideways."""
    return page.evaluate(
        """(sel) => {
            const wide = [...document.querySelectorAll(sel)]
                .filter((e) => e.scrollWidth > e.clientWidth + 1)
                .map((e) => e.textContent.trim().slice(0, 40));
            if (document.documentElement.scrollWidth > window.innerWidth) wide.push("page");
            return wide;
        }""",
        selector,
    )


@pytest.mark.parametrize("viewport", SIZES, ids=lambda v: f"{v['width']}x{v['height']}")
def test_the_first_screen_fits_explains_and_marks_who_is_not_serving(
    asgi_server, kukar, browser, settings, viewport
):
    settings.MPP_DEMO_ALWAYS_OPEN = False  # the tiles follow the tenants' days
    imigrasi_not_today()
    page = kiosk(browser, asgi_server, viewport)
    expect(page.get_by_role("heading", level=2)).to_have_text("Sentuh instansi yang Anda tuju")
    assert fits(page, ".tile") == []
    imigrasi = page.locator(".tile", has_text="Imigrasi Samarinda")
    expect(imigrasi).to_have_class(re.compile("closed-today"))
    expect(imigrasi).to_contain_text(re.compile(r"Hari ini tidak melayani; buka \w+, \d+ \w+"))
    expect(page.locator(".tile", has_text="DPMPTSP")).to_contain_text(
        "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"
    )
    expect(page.locator(".tile", has_text="BKPSDM")).to_contain_text("Badan Kepegawaian")
    expect(page.locator(".tile", has_text="Kejari")).to_contain_text("Kejaksaan Negeri")
    for tile in page.locator(".tile").all()[:3]:
        box = tile.bounding_box()
        assert box is not None and box["height"] >= 120 and box["width"] >= 280
    shot(page, "kiosk-home")
    assert_accessible(page)

    imigrasi.click()
    expect(page.get_by_role("heading", level=2)).to_have_text("Nomor antrean tidak dapat diberikan")
    expect(page.locator(".message")).to_contain_text("Imigrasi Samarinda hari ini tidak melayani")
    assert page.locator("meta[http-equiv=refresh]").count() == 0
    back = page.get_by_role("link", name="Kembali ke awal")
    box = back.bounding_box()
    assert box is not None and box["height"] >= 72
    shot(page, "kiosk-refused")
    assert_accessible(page)
    page.context.close()


@pytest.mark.parametrize("viewport", SIZES[:2], ids=lambda v: f"{v['width']}x{v['height']}")
def test_one_button_per_service_then_the_priority_question(
    asgi_server, kukar, browser, settings, viewport
):
    from mpp.queueing.models import Ticket

    settings.MPP_DEMO_ALWAYS_OPEN = True  # the real clock runs in the server thread
    page = kiosk(browser, asgi_server, viewport)
    page.get_by_role("link", name=re.compile("Disdukcapil Kukar")).click()
    expect(page.get_by_role("heading", level=2)).to_have_text("Disdukcapil Kukar: pilih layanan")
    buttons = page.locator(".service-button")
    expect(buttons).to_have_count(16)
    expect(buttons.first).to_have_text("Perekaman KTP Elektronik (KTP-el)")
    assert page.get_by_role("button").count() == 1  # the search's; no priority buttons here
    back = page.get_by_role("link", name="Kembali")
    box = back.bounding_box()
    assert box is not None and box["height"] >= 72 and box["width"] >= 200
    assert fits(page, ".service-button, .tile-line") == []
    shot(page, "kiosk-services")
    assert_accessible(page)
    # The idle countdown's dialog, shown as kiosk.js shows it (axe needs the real clock).
    page.evaluate("document.querySelector('dialog[data-idle]').showModal()")
    assert_accessible(page)
    page.get_by_role("button", name="Saya masih di sini").click()

    # The search, typed on the screen's keyboard: the list narrows, one status line says how far.
    page.get_by_label("Cari layanan Disdukcapil Kukar").fill("akta kematian")
    expect(page.locator(".service-button:visible")).to_have_count(1)
    expect(page.locator("[data-search-status]")).to_have_text("1 layanan cocok")
    page.get_by_label("Cari layanan Disdukcapil Kukar").fill("")
    expect(page.locator(".service-button:visible")).to_have_count(16)

    page.get_by_role("link", name=SERVICE, exact=True).click()
    question = page.get_by_role("group", name="Apakah Anda termasuk salah satu kelompok ini?")
    expect(question).to_be_visible()
    child = question.get_by_role("button", name="Anak-anak")
    # Tied to the service: inside the question's group, described by the chosen service.
    assert child.evaluate(
        "(b) => document.getElementById(b.getAttribute('aria-describedby')).textContent"
    ).endswith(SERVICE)
    for name in ("Lansia", "Korban bencana alam atau sosial", "Tidak, ambil nomor biasa"):
        box = question.get_by_role("button", name=name).bounding_box()
        assert box is not None and box["height"] >= 88
    assert fits(page, ".group, .no") == []
    shot(page, "kiosk-priority")
    assert_accessible(page)

    child.click()
    expect(page.locator(".slip-priority")).to_have_text("PRIORITAS: Anak-anak")
    assert Ticket.objects.get().priority == "anak"
    shot(page, "kiosk-slip")
    assert_accessible(page)
    page.context.close()


def freeze_clock(page: Page) -> None:
    """The page's timers move only when the test moves them (Playwright's clock, paused)."""
    page.clock.install()
    page.clock.pause_at(page.evaluate("Date.now() + 1000"))


def test_the_screen_returns_to_the_start_after_a_minute_unless_touched(
    asgi_server, kukar, browser, settings
):
    settings.MPP_DEMO_ALWAYS_OPEN = True
    page = kiosk(browser, asgi_server, PORTRAIT)
    freeze_clock(page)
    page.get_by_role("link", name=re.compile("Disdukcapil Kukar")).click()
    expect(page.locator(".service-button").first).to_be_visible()
    dialog = page.locator("dialog[data-idle]")
    page.clock.run_for(59_000)
    expect(dialog).to_be_hidden()
    page.clock.run_for(1_000)
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Layar kembali ke awal dalam 20 detik.")
    page.clock.run_for(5_000)
    expect(dialog.locator("[data-idle-count]")).to_have_text("15")
    shot(page, "kiosk-idle")  # axe runs on the dialog in test_one_button_per_service_…

    dialog.get_by_role("button", name="Saya masih di sini").click()  # a touch stops it
    expect(dialog).to_be_hidden()
    page.clock.run_for(30_000)
    expect(dialog).to_be_hidden()
    assert "/instansi/disdukcapil/" in page.url

    page.clock.run_for(31_000 + 21_000)
    expect(page).to_have_url(re.compile(r"/kios/mpp-kukar/$"))
    page.context.close()


def test_the_slip_prints_on_a_58_mm_page_with_the_logo_and_the_priority(
    asgi_server, kukar, browser, settings, tmp_path
):
    from mpp.queueing.models import Ticket

    settings.MPP_DEMO_ALWAYS_OPEN = True
    page = kiosk(browser, asgi_server, PORTRAIT)
    # The slip opens the print dialogue once loaded (mpp/print.js): counted here, so that the
    # PDF below is the only print.
    page.add_init_script("window.print = () => { window.printed = (window.printed || 0) + 1; };")
    page.get_by_role("link", name=re.compile("Disdukcapil Kukar")).click()
    page.get_by_role("link", name=SERVICE, exact=True).click()
    page.get_by_role("button", name="Lansia").click()
    page.wait_for_function("() => window.printed === 1")
    expect(page.locator(".slip-number")).to_be_visible()
    page.wait_for_function("() => document.querySelector('.slip-logo').complete")
    number = Ticket.objects.get().display_number

    pdf = tmp_path / "slip.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    pages = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf.read_bytes())
    assert len(pages) == 1, pages  # one slip, one page
    width_mm, height_mm = (float(v) * 25.4 / 72 for v in pages[0])
    assert abs(width_mm - 58) < 0.5 and 60 < height_mm < 200, (width_mm, height_mm)
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert number in text and "PRIORITAS: Lansia" in text

    # The printed page as pixels (150 dpi): the logo, 14 mm square centred at the top, has ink.
    from PIL import Image

    subprocess.run(["pdftoppm", "-png", "-r", "150", str(pdf), str(tmp_path / "slip")], check=True)
    png = next(tmp_path.glob("slip*.png"))
    folder = os.environ.get("MPP_SHOTS")
    if folder:
        (Path(folder) / "kiosk-slip-printed.png").write_bytes(png.read_bytes())
    dots = 150 / 25.4
    image = Image.open(png).convert("L")
    logo = image.crop((int(22 * dots), int(2 * dots), int(36 * dots), int(16 * dots)))
    inked = sum(1 for value in logo.tobytes() if value < 160)  # one byte per pixel (L)
    assert inked > 0.3 * logo.width * logo.height, inked
    page.context.close()


def test_the_kiosk_in_english(asgi_server, kukar, browser, settings):
    settings.MPP_DEMO_ALWAYS_OPEN = True
    page = kiosk(browser, asgi_server, PORTRAIT)
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": asgi_server}]
    )
    page.goto(f"{asgi_server}/kios/mpp-kukar/")
    assert page.locator("html").get_attribute("lang") == "en"
    expect(page.get_by_role("heading", level=2)).to_have_text("Touch the agency you want to visit")
    freeze_clock(page)
    page.get_by_role("link", name=re.compile("Disdukcapil Kukar")).click()
    expect(page.locator(".service-button").first).to_be_visible()
    page.clock.run_for(60_000)
    dialog = page.locator("dialog[data-idle]")
    expect(dialog).to_contain_text("The screen returns to the start in 20 seconds.")
    dialog.get_by_role("button", name="I am still here").click()
    page.get_by_label("Search the services of Disdukcapil Kukar").fill("kematian")
    page.clock.run_for(1_000)
    expect(page.locator("[data-search-status]")).to_have_text("1 matching service(s)")
    page.clock.resume()  # axe waits on timers
    assert_accessible(page)
    page.context.close()
