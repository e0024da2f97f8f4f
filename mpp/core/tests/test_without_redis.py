"""Redis out of reach: `mpp serve` with REDIS_URL on a closed port still hands out API tokens,
issues and calls numbers and shows the phone page; readiness says 503 naming Redis, liveness 200;
the log says so once, without tracebacks (docs/adr/0017).

The server is a real `mpp serve` process on a copy of the test database: Redis' state (the outage)
must not leak into the other tests of this process."""

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
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from mpp.accounts.models import Role
from mpp.accounts.tests.factories import PASSWORD, make_staff
from mpp.catalog.models import Service
from mpp.malls.models import Mall
from mpp.queueing.models import Counter


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
        self, method: str, path: str, body: dict[str, Any] | None = None, token: str = ""
    ) -> tuple[int, Any]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        try:
            connection.request(
                method, path, body=json.dumps(body) if body is not None else None, headers=headers
            )
            response = connection.getresponse()
            raw = response.read()
        finally:
            connection.close()
        is_json = response.getheader("Content-Type", "").startswith("application/json")
        return response.status, json.loads(raw) if is_json and raw else raw.decode()


@pytest.fixture
def officer(transactional_db, kukar, settings):  # type: ignore[no-untyped-def]
    """A Disdukcapil officer at MPP Kukar, committed, with a password the server can check."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    return make_staff(
        Role.TENANT_OFFICER, tenant="disdukcapil", malls=("mpp-kukar",), username="petugas.x"
    )


@pytest.fixture
def server_without_redis(officer, settings, tmp_path) -> Iterator[Served]:  # type: ignore[no-untyped-def]
    """`mpp serve` on this test's data, REDIS_URL pointing at a port where nothing listens."""
    port = free_port()
    env = {
        **os.environ,
        **database_env(tmp_path),
        "DJANGO_SETTINGS_MODULE": "mpp.settings",
        "REDIS_URL": f"redis://127.0.0.1:{free_port()}/5",  # closed: nothing listens there
        "MPP_DEMO_ALWAYS_OPEN": "1",  # the malls take numbers at whatever hour the test runs
        "DEBUG": "1",  # pages find static files without `collectstatic` having run
        "UVICORN_LOG_LEVEL": "info",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "mpp", "serve", "--port", str(port)],
        cwd=settings.BASE_DIR,
        env=env,
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
    while True:  # uvicorn says when it listens; the queue wakes us at each line
        line = lines.get(timeout=120)
        assert line is not None, "the server stopped:\n" + "".join(log)
        if "Uvicorn running on" in line:
            break
    try:
        yield Served(port, process, log)
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_without_redis_numbers_are_issued_and_called_and_readiness_names_redis(
    server_without_redis,
):
    served = server_without_redis
    mall = Mall.objects.get(slug="mpp-kukar")
    akta = Service.objects.get(slug="akta-kelahiran")
    counter = Counter.objects.filter(mall=mall, tenant__slug="disdukcapil").order_by("pk")[0]

    assert served.request("GET", "/livez") == (200, {"status": "alive"})
    status, ready = served.request("GET", "/readyz")
    assert status == 503
    assert ready["down"] == ["redis"]
    assert ready["checks"] == {"database": "ok", "redis": "down"}

    status, issued = served.request(
        "POST", f"/api/v1/malls/{mall.pk}/tickets", {"service_id": akta.pk}
    )
    assert status == 201, issued
    status, signed_in = served.request(
        "POST", "/api/v1/auth/token", {"username": "petugas.x", "password": PASSWORD}
    )
    assert status == 200, signed_in
    token = signed_in["token"]
    status, opened = served.request(
        "POST", f"/api/v1/counters/{counter.pk}/status", {"status": "open"}, token=token
    )
    assert status == 200, opened
    status, called = served.request(
        "POST", f"/api/v1/counters/{counter.pk}/call-next", {}, token=token
    )
    assert status == 200, called
    assert called["number"] == issued["number"]
    status, phone = served.request("GET", f"/api/v1/tickets/{issued['code']}")
    assert (status, phone["status"]) == (200, "called")
    status, page = served.request("GET", f"/antrean/{issued['code']}/")
    assert status == 200, "".join(served.log)
    assert issued["number"] in page

    served.process.terminate()
    served.process.wait(timeout=30)
    log = "".join(served.log)
    assert log.count("Redis unreachable") == 1, log
    assert "Traceback" not in log, log
