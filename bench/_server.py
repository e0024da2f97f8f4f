"""Start the platform for a benchmark: a fresh SQLite database with Kukar's data, served by the
same `mpp serve` (uvicorn, one process) that `make demo` uses, on a free local port."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


CHROMIUM = os.environ.get("MPP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def phone_page(pw: Any) -> tuple[Any, Any]:
    """Debian's Chromium and a new page on an Android phone profile (Pixel 5, Indonesian)."""
    browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    context = browser.new_context(**pw.devices["Pixel 5"], locale="id-ID")
    return browser, context.new_page()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def running_server() -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="mpp-bench-") as data_dir:
        env = {
            **os.environ,
            "MPP_DATA_DIR": data_dir,
            "DJANGO_SETTINGS_MODULE": "mpp.settings",
            "UVICORN_LOG_LEVEL": "warning",
        }
        env.pop("DATABASE_URL", None)
        mpp = [sys.executable, "-m", "mpp"]
        subprocess.run(
            [*mpp, "demo", "--no-serve"], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL
        )
        port = free_port()
        proc = subprocess.Popen([*mpp, "serve", "--port", str(port)], env=env, cwd=ROOT)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    urllib.request.urlopen(base + "/healthz", timeout=1)  # noqa: S310 - local
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.2)  # polling a starting server, not synchronising a test
            yield base
        finally:
            proc.terminate()
            proc.wait(timeout=10)
