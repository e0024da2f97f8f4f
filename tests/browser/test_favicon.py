"""The display board and the staff admin link the site's icon, so the browser never asks for a
missing /favicon.ico (a 404 in the console of every TV and every officer's browser)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import BrowserContext, expect

pytestmark = pytest.mark.django_db(transaction=True)

ICON = re.compile(r"/static/mpp/favicon(\.\w+)?\.svg$")


@pytest.mark.parametrize("path", ["/papan/mpp-kukar/", "/admin/login/"])
def test_the_page_links_the_icon_and_nothing_is_missing(
    asgi_server, kukar, desktop: BrowserContext, path
):
    page = desktop.new_page()
    missing: list[str] = []
    page.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)
    page.goto(f"{asgi_server}{path}")
    icon = page.locator('link[rel="icon"]')
    expect(icon).to_have_attribute("href", ICON)
    expect(icon).to_have_attribute("type", "image/svg+xml")
    page.wait_for_load_state("networkidle")
    assert missing == []


def test_the_admin_keeps_its_title_and_branding(asgi_server, kukar, desktop: BrowserContext):
    page = desktop.new_page()
    page.goto(f"{asgi_server}/admin/login/")
    expect(page.locator("#site-name")).to_have_text("Administrasi MPP")
    expect(page).to_have_title(re.compile(r" \| Administrasi MPP$"))
    expect(page.locator("link[rel=icon]")).to_have_count(1)
