"""Browser tests: Debian's Chromium driven by Playwright for Python (no browser download)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

# Playwright's sync API runs an event loop in the test thread, and these tests call the ORM from
# that thread (the cast, the rows a page should show): Django must allow it here, and only here.
# They run in their own pytest process (Makefile), so the unit suite keeps Django's check.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

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


@pytest.fixture
def asgi_server(transactional_db, settings):  # type: ignore[no-untyped-def]
    """The real ASGI application (pages, API, websockets) under uvicorn in a thread of this
    process, on the test database and the in-process channel layer; yields its base URL."""
    import socket
    import threading

    import uvicorn

    from mpp.asgi import application

    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(
            application, host="127.0.0.1", port=port, log_level="warning", lifespan="off"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    started = threading.Event()

    def wait_started() -> None:
        while not server.started and thread.is_alive():
            started.wait(0.05)  # polling uvicorn's own flag while it binds, not test timing

    wait_started()
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def desktop(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="id-ID")
    yield context
    context.close()


def sign_in(context: BrowserContext, base: str, username: str, next_url: str) -> Page:
    """A new page of `context`, signed in as `username` on the staff sign-in page, at `next_url`
    (loaded)."""
    from mpp.accounts.tests.factories import PASSWORD

    page = context.new_page()
    page.goto(f"{base}/admin/login/?next={next_url}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    # Returned once the signed-in page has loaded, its stylesheets included: a test that
    # measured the layout straight after the click could read the page before its CSS applied.
    page.wait_for_url(lambda url: "/admin/login/" not in url, wait_until="load")
    return page
