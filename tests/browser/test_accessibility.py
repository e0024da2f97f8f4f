"""WCAG 2.1 A/AA sweep of the citizen pages of the catalogue, the malls, the error pages and
Metapers (issue 18): axe-core finds 0 violations of any impact on each, on a Pixel 5 phone and
on a 1280 px desktop, in Indonesian and, where the text differs, in English.

One browser context per viewport and one page reused for every address keep the sweep fast."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, Playwright

from tests.browser.a11y import axe_violations
from tests.browser.conftest import ARGS, CHROMIUM

pytestmark = pytest.mark.django_db(transaction=True)


def _addresses() -> list[str]:
    from mpp.catalog.models import Service

    birth = Service.objects.get(slug="akta-kelahiran").pk
    return [
        "/",
        "/mal/mpp-kukar/",
        "/mal/mini-mpp-loa-kulu/",
        "/instansi/",
        "/instansi/disdukcapil/",
        f"/layanan/{birth}/",
        f"/layanan/{birth}/cetak/",
        "/layanan/",
        "/layanan/?q=akta+lahir",
        "/layanan/?q=ktp",  # hits, and the services that only ask for one folded away
        "/layanan/?q=zzzqqq",  # nothing found
        "/layanan/?q=paspor&mall=mini-mpp-loa-kulu",  # served elsewhere
        "/layanan/?mall=%ZZ",  # 400
        "/tidak-ada/",  # 404
        "/metapers/",
        "/metapers/mpp-kukar/",
        "/metapers/mpp-kukar/instansi/disdukcapil/",
        "/metapers/mpp-kukar/3d/",
    ]


# Pages whose own words differ in English (the rest share the same templates and strings).
IN_ENGLISH = ("/", "/layanan/?q=akta+lahir", "/layanan/?q=paspor&mall=mini-mpp-loa-kulu")


def _forbidden(page: Page, base: str) -> None:
    """The 403 a citizen meets: a form sent with an expired or missing CSRF token."""
    page.goto(f"{base}/instansi/")
    page.evaluate(
        """() => { const f = document.createElement('form'); f.method = 'post';
        f.action = '/instansi/'; document.body.append(f); f.submit(); }"""
    )
    page.wait_for_load_state()


def _sweep(
    page: Page, base: str, addresses: list[str], found: dict[str, list[str]], label: str
) -> None:
    for address in addresses:
        page.goto(base + address)
        if address.endswith("/3d/"):
            page.wait_for_selector("body[data-hall-state=ready]")
        if violations := axe_violations(page):
            found[f"{address} ({label})"] = violations


# The 3D hall needs WebGL: SwiftShader, not --disable-gpu (as in test_metapers_3d.py).
WEBGL_ARGS = [
    *(a for a in ARGS if a != "--disable-gpu"),
    "--enable-unsafe-swiftshader",
    "--use-angle=swiftshader",
    "--ignore-gpu-blocklist",
]


def test_every_citizen_page_of_the_catalogue_malls_errors_and_metapers_passes_axe(
    asgi_server, kukar, playwright: Playwright
):
    from mpp.metapers.demo import ensure_demo_halls

    ensure_demo_halls(kukar)
    addresses = _addresses()
    viewports = {
        "phone": dict(playwright.devices["Pixel 5"]),
        "desktop": {"viewport": {"width": 1280, "height": 800}},
    }
    found: dict[str, list[str]] = {}
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=WEBGL_ARGS)
    try:
        for name, options in viewports.items():
            context = browser.new_context(**options, locale="id-ID")
            page = context.new_page()
            _sweep(page, asgi_server, addresses, found, name)
            # The results after a pause in typing (htmx swapped the list and the status line).
            page.goto(f"{asgi_server}/layanan/")
            page.get_by_label("Cari layanan").press_sequentially("kk")
            page.get_by_role("status").filter(has_text="layanan ditemukan").wait_for()
            if violations := axe_violations(page):
                found[f"/layanan/ typed ({name})"] = violations
            _forbidden(page, asgi_server)
            assert page.locator("h1").inner_text() == "Akses ditolak"
            if violations := axe_violations(page):
                found[f"403 ({name})"] = violations
            context.add_cookies([{"name": "django_language", "value": "en", "url": asgi_server}])
            _sweep(page, asgi_server, list(IN_ENGLISH), found, f"{name}, en")
            context.close()
    finally:
        browser.close()
    assert found == {}, "\n".join(f"{a}:\n  " + "\n  ".join(v) for a, v in found.items())
