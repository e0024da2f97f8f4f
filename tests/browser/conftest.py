"""Browser tests: Debian's Chromium driven by Playwright for Python (no browser download)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Playwright, sync_playwright

CHROMIUM = os.environ.get("MPP_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (.ci/ensure-chromium).")
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
    yield browser
    browser.close()


@pytest.fixture
def android(playwright: Playwright, browser: Browser) -> Iterator[BrowserContext]:
    """A cheap Android phone: Pixel 5 viewport, touch, mobile user agent, Indonesian locale."""
    context = browser.new_context(**playwright.devices["Pixel 5"], locale="id-ID")
    yield context
    context.close()


@pytest.fixture
def android_no_js(playwright: Playwright, browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(
        **playwright.devices["Pixel 5"], locale="id-ID", java_script_enabled=False
    )
    yield context
    context.close()
