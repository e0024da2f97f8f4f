"""A real `mpp serve` process for tests that need the whole stack and their own settings (Redis
out of reach, a public host behind a proxy): its own environment, so nothing it does leaks into
the test process."""

from __future__ import annotations

import http.client
import json
import os
import queue
import socket
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

# Settings the test process's environment may carry that must not reach the server's.
SETTINGS_ENV = {
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "MPP_TRUSTED_PROXIES",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_COOKIES",
    "MPP_DEMO_ALWAYS_OPEN",
    "REDIS_URL",
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # tests/browser/conftest.py's, for Playwright; never a server's
}


# Seconds an in-process ASGI request may take (channels' HttpCommunicator waits 1 s by default):
# a process's first request imports views and builds the URL map, which took over a second on a
# loaded 2-core machine. A bound, not a pause: the test goes on as soon as the answer comes.
FIRST_REQUEST_TIMEOUT = 10


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def database_env(folder: Path) -> dict[str, str]:
    """The environment that gives a server process this test's committed rows."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        copy = sqlite3.connect(folder / "mpp.sqlite3")
        connection.connection.backup(copy)
        copy.close()
        return {"MPP_DATA_DIR": str(folder), "DATABASE_URL": ""}
    db = connection.settings_dict
    return {
        "DATABASE_URL": (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        )
    }


class Served:
    """An `mpp serve` process: requests, and what it wrote to its log."""

    def __init__(self, port: int, process: subprocess.Popen[str], log: list[str]) -> None:
        self.port = port
        self.process = process
        self.log = log

    def request(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None = None,
        token: str = "",
        headers: dict[str, str] | None = None,
    ) -> tuple[int, Any]:
        status, _headers, content = self.exchange(method, path, body, token, headers)
        return status, content

    def exchange(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None = None,
        token: str = "",
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], Any]:
        """Status, headers (lower-case names) and body (parsed when JSON)."""
        sent = {"Content-Type": "application/json", **(headers or {})}
        if token:
            sent["Authorization"] = f"Bearer {token}"
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(
                method, path, body=json.dumps(body) if body is not None else None, headers=sent
            )
            response = conn.getresponse()
            raw = response.read()
        finally:
            conn.close()
        got = {k.lower(): v for k, v in response.getheaders()}
        is_json = got.get("content-type", "").startswith("application/json")
        return response.status, got, json.loads(raw) if is_json and raw else raw.decode()


@contextmanager
def serve(env: dict[str, str]) -> Iterator[Served]:
    """`mpp serve` on a free port with `env` over a clean environment; stopped at the end."""
    port = free_port()
    clean = {k: v for k, v in os.environ.items() if k not in SETTINGS_ENV}
    process = subprocess.Popen(
        [sys.executable, "-m", "mpp", "serve", "--port", str(port)],
        cwd=settings.BASE_DIR,
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "mpp.settings",
            "UVICORN_LOG_LEVEL": "info",
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
            **env,
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    log: list[str] = []
    lines: queue.Queue[str | None] = queue.Queue()

    def drain() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            log.append(line)
            lines.put(line)
        lines.put(None)

    threading.Thread(target=drain, daemon=True).start()
    try:
        # A worker's first line, once it has loaded the application. `mpp serve` (the supervisor)
        # binds its socket, says "Uvicorn running on" and only then listens, before it starts its
        # workers: a request sent on that line could be refused, one sent on this waits in the
        # socket's queue until a worker takes it. The queue wakes us at each line.
        while True:
            line = lines.get(timeout=120)
            assert line is not None, "the server stopped:\n" + "".join(log)
            if "Started server process" in line:
                break
        yield Served(port, process, log)
    finally:
        process.terminate()
        process.wait(timeout=30)
