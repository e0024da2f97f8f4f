"""A worker that dies does not take the service down: `mpp serve` runs its workers under uvicorn's
supervisor, also with one worker, which starts a new one in its place (issue 16, finding 2).
SIGTERM or SIGINT to the server stops it and leaves no worker behind.

The server is a real `mpp serve` process on a copy of the test database; its workers are found
through /proc (children of the server's process) and killed with SIGKILL, as an abort in C or the
OOM killer would."""

from __future__ import annotations

import os
import signal
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
import redis
from django.db import connection

from mpp.accounts.models import Role
from mpp.accounts.tests.factories import PASSWORD, make_staff
from mpp.catalog.models import Service
from mpp.core.tests.parallel import redis_url_of_this_worker
from mpp.core.tests.serving import Served, database_env, serve
from mpp.malls.models import Mall
from mpp.queueing.models import Ticket

# This test's own database (several server workers share events), one per pytest worker.
REDIS_URL = redis_url_of_this_worker("redis://127.0.0.1:6379/11")
DEADLINE = 60.0  # seconds a worker may take to start on a busy 2-core machine


def children(pid: int) -> list[tuple[int, str]]:
    """(pid, command line) of each process whose parent is `pid`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:  # it ended while we looked
            continue
        # "pid (name) state ppid ...": the name may hold spaces and parentheses.
        if int(stat.rpartition(")")[2].split()[1]) == pid:
            found.append((int(entry.name), cmdline))
    return found


def workers(served: Served) -> set[int]:
    """The server's worker processes (multiprocessing's spawned children, not its resource
    tracker)."""
    return {pid for pid, cmd in children(served.process.pid) if "--multiprocessing-fork" in cmd}


def wait_for_workers(
    served: Served, count: int, *, other_than: frozenset[int] = frozenset()
) -> set[int]:
    """Poll until the server has `count` workers, none of them in `other_than`."""
    deadline = time.monotonic() + DEADLINE
    pause = threading.Event()
    while time.monotonic() < deadline:
        found = workers(served)
        if len(found) == count and not found & other_than:
            return found
        pause.wait(0.05)  # polling /proc with a deadline, not test timing
    raise AssertionError(f"no {count} new workers within {DEADLINE} s:\n" + "".join(served.log))


def is_gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return True
    return state == "Z"  # ended, its exit status not yet collected


def stored_tickets(folder: Path) -> dict[int, int]:
    """Every ticket the server stored: id → number."""
    if connection.vendor == "sqlite":  # the server wrote to its copy of the test database
        with closing(sqlite3.connect(folder / "mpp.sqlite3")) as db:
            return dict(db.execute("SELECT id, number FROM queueing_ticket"))
    return dict(Ticket.objects.values_list("id", "number"))


@pytest.fixture
def kiosk(transactional_db, kukar, settings):  # type: ignore[no-untyped-def]
    """The MPP Kukar kiosk device, committed, with a password the server can check; issuing
    through it has no per-address limit."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    return make_staff(Role.KIOSK, mall="mpp-kukar", username="kios.uji")


def serve_with(workers: int, folder: Path) -> Any:
    """`mpp serve` with `workers` workers on this test's data."""
    return serve(
        {
            **database_env(folder),
            "WORKERS": str(workers),
            "REDIS_URL": REDIS_URL,
            "MPP_DEMO_ALWAYS_OPEN": "1",  # the mall takes numbers at whatever hour the test runs
        }
    )


@pytest.fixture
def clean_redis() -> Iterator[None]:
    """Event numbers and cached generations of an earlier run must not reach this one."""
    db = redis.Redis.from_url(REDIS_URL)
    db.flushdb()
    yield
    db.flushdb()
    db.close()


class Client(threading.Thread):
    """Asks /livez and issues a ticket, over and over, until stopped; notes every answer.

    A request cut by the kill (the connection reset) is retried once, with the same
    Idempotency-Key: the killed worker had accepted that connection and died with it, and it
    may have stored the ticket before it died; the retry reaches a living worker (or waits in
    the listening socket's queue, which the supervisor holds, for the new one) and gets the same
    ticket back if it was stored. A second reset would be a failure of a living worker."""

    def __init__(self, served: Served, token: str, mall_id: int, service_id: int) -> None:
        super().__init__(daemon=True)
        self.served = served
        self.token = token
        self.path = f"/api/v1/malls/{mall_id}/tickets"
        self.body = {"service_id": service_id}
        self.stop = threading.Event()
        self.issued: list[int] = []  # ticket ids, in the order they were acknowledged
        self.progress = threading.Condition()
        self.failures: list[str] = []
        self.retries = 0

    def run(self) -> None:
        try:
            while not self.stop.is_set():
                status, body = self.ask("GET", "/livez", None, {})
                if status != 200:
                    self.failures.append(f"/livez: {status} {body}")
                key = {"Idempotency-Key": uuid.uuid4().hex}
                status, body = self.ask("POST", self.path, self.body, key)
                if status not in (200, 201):  # 200: the retry found the ticket already stored
                    self.failures.append(f"ticket: {status} {body}")
                    continue
                with self.progress:
                    self.issued.append(body["id"])
                    self.progress.notify_all()
        except Exception as error:  # reported by the test, not lost in a thread
            self.failures.append(repr(error))

    def ask(
        self, method: str, path: str, body: dict[str, Any] | None, headers: dict[str, str]
    ) -> tuple[int, Any]:
        try:
            return self.served.request(method, path, body, self.token, headers)
        except (ConnectionResetError, BrokenPipeError):
            self.retries += 1
            return self.served.request(method, path, body, self.token, headers)

    def wait_for(self, count: int) -> list[int]:
        """The ids acknowledged once `count` tickets are (bounded by DEADLINE)."""
        with self.progress:
            self.progress.wait_for(
                lambda: len(self.issued) >= count or bool(self.failures) or not self.is_alive(),
                timeout=DEADLINE,
            )
            assert len(self.issued) >= count, (self.failures, "".join(self.served.log))
            return list(self.issued)


@pytest.mark.parametrize("count", [2, 1])
def test_a_killed_worker_is_replaced_and_every_request_is_answered(
    kiosk, tmp_path, clean_redis, count
):
    mall = Mall.objects.get(slug="mpp-kukar")
    akta = Service.objects.get(slug="akta-kelahiran")
    with serve_with(count, tmp_path) as served:
        before_kill = wait_for_workers(served, count)
        status, signed_in = served.request(
            "POST", "/api/v1/auth/token", {"username": "kios.uji", "password": PASSWORD}
        )
        assert status == 200, signed_in
        client = Client(served, signed_in["token"], mall.pk, akta.pk)
        client.start()
        try:
            issued_before = client.wait_for(5)
            victim = min(before_kill)
            os.kill(victim, signal.SIGKILL)
            after_kill = wait_for_workers(served, count, other_than=frozenset({victim}))
            assert after_kill >= before_kill - {victim}  # the others went on serving
            replaced_at = len(client.wait_for(0))
            issued_after = client.wait_for(replaced_at + 5)[replaced_at:]
        finally:
            client.stop.set()
            client.join(timeout=DEADLINE)
        assert served.request("GET", "/livez") == (200, {"status": "alive"})
    log = "".join(served.log)
    assert not client.failures, (client.failures, log)
    assert f"Child process [{victim}] died" in log
    assert client.retries <= 1  # one client, one request at a time: the kill cut at most one

    stored = stored_tickets(tmp_path)
    assert set(stored) == set(client.issued)  # every acknowledged ticket, and no other
    assert set(issued_before) <= set(stored) and len(issued_after) >= 5
    numbers = sorted(stored.values())
    assert numbers == list(range(numbers[0], numbers[0] + len(numbers)))  # no gap, no duplicate


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_stopping_the_server_leaves_no_process_behind(kiosk, tmp_path, clean_redis, stop):
    with serve_with(2, tmp_path) as served:
        running = wait_for_workers(served, 2)
        assert served.request("GET", "/livez") == (200, {"status": "alive"})
        everything = {pid for pid, _cmd in children(served.process.pid)}
        served.process.send_signal(stop)
        assert served.process.wait(timeout=DEADLINE) == 0
        # The supervisor waited for its workers before it ended.
        assert [pid for pid in running if not is_gone(pid)] == []
        # multiprocessing's resource tracker ends once the server has: poll with a deadline.
        deadline = time.monotonic() + DEADLINE
        pause = threading.Event()
        while any(not is_gone(pid) for pid in everything) and time.monotonic() < deadline:
            pause.wait(0.05)
        assert [pid for pid in everything if not is_gone(pid)] == []
    assert "Stopping parent process" in "".join(served.log)
