"""The citizen's pages fit a small Android phone (360 CSS pixels): nothing scrolls sideways, with
the demo's survey and investment data on them (wide tables scroll inside their own box)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Playwright

pytestmark = pytest.mark.django_db(transaction=True)

WIDTH = 360


@pytest.fixture
def small_phone(playwright: Playwright, browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(
        viewport={"width": WIDTH, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="id-ID",
    )
    yield context
    context.close()


@pytest.fixture
def demo_figures(kukar):  # type: ignore[no-untyped-def]
    from mpp.investment.demo import load_demo_investment
    from mpp.surveys.demo import load_demo_responses

    load_demo_responses(kukar)
    load_demo_investment(kukar)
    return kukar


def test_public_pages_fit_a_360_pixel_phone(
    asgi_server: str, demo_figures, small_phone: BrowserContext
) -> None:
    from mpp.catalog.models import Service

    service = Service.objects.get(slug="akta-kelahiran")
    pages = [
        "/",
        "/layanan/?q=akta",
        f"/layanan/{service.pk}/",
        "/mal/mpp-kukar/",
        "/mal/mpp-kukar/ikm/",
        "/mal/mini-mpp-loa-kulu/ikm/",
        "/investasi/",
    ]
    page = small_phone.new_page()
    wide = {}
    for path in pages:
        response = page.goto(asgi_server + path)
        assert response is not None and response.status == 200, path
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > WIDTH:
            wide[path] = width
    assert wide == {}
