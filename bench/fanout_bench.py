"""Fan-out benchmark (issue 3), written to docs/BENCHMARKS.md.

"From a call's commit to 200 connected boards and phones: p99 under 100 ms." 200 websocket
clients listen on the MPP's socket (/ws/mal/<slug>/: the board and the phone page both use it)
in one asyncio loop of this process; an officer opens a counter and calls the next number 100
times through the API (POST /api/v1/counters/{id}/call-next). Every event carries `sent_at`, the
server's wall clock when the call committed (core.events); each client subtracts it from its own
clock on receipt (same machine, same clock). The next call waits until the previous call's event
has reached all 200 clients (or a timeout, counted as missing), so the boards are never flooded.
Runs on the embedded default (one process, SQLite) and on PostgreSQL with two workers and Redis.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import gc
import http.client
import json
import os
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections import defaultdict
from pathlib import Path
from typing import Any

# A dev dependency (pyproject.toml); uvicorn[standard] uses the same library on the server side.
from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Origin

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _server import kiosk_setup, on_both_setups, running_server, shell_json, write_section
from queue_bench import PG_URL, REDIS

CLIENTS = 200  # e.g. 150 boards and 50 phone pages: the same socket, the same consumer
CALLS = 100
WARM_UP = 3  # calls before the measured ones (first database connections, imports)
ROUNDS = 3  # rounds of CALLS calls, each with new sockets; the median round is reported
BUDGET_MS = 100
DELIVERY_TIMEOUT = 10.0  # seconds to wait for one event at all clients before counting misses
OFFICER = "petugas.dukcapil"
PASSWORD = "demo-mpp-kukar"  # noqa: S105 - the demo's published password

# The Dukcapil counter at the MPP that serves the queue of the ticket with id {ticket}.
_COUNTER = (
    "from mpp.queueing.models import Counter, Ticket\n"
    "t = Ticket.objects.select_related('queue').get(pk={ticket})\n"
    "c = Counter.objects.filter(mall_id=t.mall_id, queues=t.queue,"
    " tenant__in=t.queue.tenants.all()).order_by('number').first()\n"
    "print(c.pk)"
)


def percentile(values: list[float], p: float) -> float:
    """The same nearest-rank percentile as queue_bench."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))]


class Api:
    """One keep-alive HTTP connection to the server (like one officer's console)."""

    def __init__(self, base: str) -> None:
        url = urllib.parse.urlsplit(base)
        self.conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)

    def post(self, path: str, body: dict[str, Any] | None, token: str) -> tuple[int, Any]:
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        data = json.dumps(body).encode() if body is not None else None
        try:
            self.conn.request("POST", path, body=data, headers=headers)
            resp = self.conn.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            # The server closed the idle keep-alive connection (uvicorn: after 5 s, e.g. after
            # a delivery timeout); the request never reached the application: once more.
            self.conn.close()
            self.conn.request("POST", path, body=data, headers=headers)
            resp = self.conn.getresponse()
        raw = resp.read()
        return resp.status, json.loads(raw) if raw else None


def token_for(base: str, username: str) -> str:
    api = Api(base)
    status, body = api.post(
        "/api/v1/auth/token", {"username": username, "password": PASSWORD}, token=""
    )
    assert status == 200, (status, body)
    return str(body["token"])


def counter_for(env: dict[str, str], ticket_id: int) -> int:
    return int(shell_json(env, _COUNTER.format(ticket=ticket_id)))


class Screens:
    """CLIENTS websocket clients; per called ticket, the latency (ms) at each client."""

    def __init__(self) -> None:
        self.latencies: dict[int, list[float]] = defaultdict(list)
        self.complete: dict[int, asyncio.Event] = defaultdict(asyncio.Event)
        self.closed = 0

    async def listen(self, ws: ClientConnection) -> None:
        try:
            async for raw in ws:
                received = time.time()  # before decoding: the arrival, not our JSON parsing
                msg = json.loads(raw)
                if msg.get("event") != "ticket.called":
                    continue
                ticket = msg["payload"]["ticket_id"]
                arrivals = self.latencies[ticket]
                arrivals.append((received - msg["sent_at"]) * 1000)
                if len(arrivals) == CLIENTS:
                    self.complete[ticket].set()
        finally:
            self.closed += 1


async def fanout(base: str, slug: str, counter: int, token: str) -> dict[str, Any]:
    port = urllib.parse.urlsplit(base).port
    url = f"ws://127.0.0.1:{port}/ws/mal/{slug}/"
    # AllowedHostsOriginValidator (mpp/asgi.py): the Origin must name an allowed host, as a
    # browser on the board's own page sends it. proxy=None: never through an HTTP proxy.
    opening = asyncio.Semaphore(20)

    async def open_one() -> ClientConnection:
        async with opening:
            return await connect(url, origin=Origin(f"http://127.0.0.1:{port}"), proxy=None)

    t0 = time.perf_counter()
    sockets = await asyncio.gather(*(open_one() for _ in range(CLIENTS)))
    connect_s = time.perf_counter() - t0
    # 200 screens in one Python process are an artifact of the bench (real ones are 200 devices):
    # keep the client's own garbage-collector scans of its setup out of the measured latencies.
    gc.collect()
    gc.freeze()
    screens = Screens()
    listeners = [asyncio.create_task(screens.listen(ws)) for ws in sockets]
    api = Api(base)
    path = f"/api/v1/counters/{counter}/call-next"
    measured: list[int] = []
    request_ms: list[float] = []
    statuses: dict[int, int] = {}
    missing = 0
    for n in range(WARM_UP + CALLS):
        t1 = time.perf_counter()
        status, body = await asyncio.to_thread(api.post, path, None, token)
        elapsed = (time.perf_counter() - t1) * 1000
        if n < WARM_UP:
            ticket = body["id"]
        else:
            statuses[status] = statuses.get(status, 0) + 1
            if status != 200:
                missing += CLIENTS
                continue
            ticket = body["id"]
            measured.append(ticket)
            request_ms.append(elapsed)
        try:  # synchronise on the event itself: all clients have it
            await asyncio.wait_for(screens.complete[ticket].wait(), DELIVERY_TIMEOUT)
        except TimeoutError:
            if n >= WARM_UP:
                missing += CLIENTS - len(screens.latencies[ticket])
        # A counter serves one citizen at a time (the next call is refused until this one is
        # done): serve and finish it, unmeasured, as the officer would.
        await asyncio.to_thread(api.post, f"/api/v1/tickets/{ticket}/start", None, token)
        done = {"outcome": "done"}
        await asyncio.to_thread(api.post, f"/api/v1/tickets/{ticket}/finish", done, token)
    dropped = screens.closed  # sockets the server closed during the run
    for ws in sockets:
        await ws.close()
    await asyncio.gather(*listeners, return_exceptions=True)
    api.conn.close()
    all_ms = [ms for t in measured for ms in screens.latencies[t]]
    last_ms = [max(screens.latencies[t]) for t in measured if screens.latencies[t]]
    return {
        "connect_s": connect_s,
        "deliveries": len(all_ms),
        "missing": missing,
        "dropped": dropped,
        "statuses": statuses,
        "p50": percentile(all_ms, 0.5),
        "p99": percentile(all_ms, 0.99),
        "max": max(all_ms),
        "last_p50": percentile(last_ms, 0.5),
        "last_p99": percentile(last_ms, 0.99),
        "request_p50": percentile(request_ms, 0.5),
        "request_p99": percentile(request_ms, 0.99),
    }


def run(label: str, extra_env: dict[str, str], workers: int) -> list[str]:
    with tempfile.TemporaryDirectory(prefix="mpp-fanout-bench-") as data_dir:
        return _run(label, {"MPP_DATA_DIR": data_dir, **extra_env}, workers)


def _run(label: str, extra_env: dict[str, str], workers: int) -> list[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update({"DJANGO_SETTINGS_MODULE": "mpp.settings", **extra_env})
    with running_server(extra_env=extra_env, workers=workers) as base:
        mall, service, kiosk = kiosk_setup(base)
        slug = next(
            m["slug"]
            for m in json.load(urllib.request.urlopen(base + "/api/v1/malls"))  # noqa: S310
            if m["id"] == mall
        )
        api = Api(base)
        tickets = []
        for _ in range((WARM_UP + CALLS) * ROUNDS):
            status, body = api.post(f"/api/v1/malls/{mall}/tickets", {"service_id": service}, kiosk)
            assert status == 201, (status, body)
            tickets.append(body["id"])
        counter = counter_for(env, tickets[0])
        officer = token_for(base, OFFICER)
        status, body = api.post(f"/api/v1/counters/{counter}/status", {"status": "open"}, officer)
        assert status == 200, (status, body)
        api.conn.close()
        # The VM's speed drifts: several rounds (new sockets each), the median round reported.
        results = [asyncio.run(fanout(base, slug, counter, officer)) for _ in range(ROUNDS)]
    results.sort(key=lambda x: x["p99"])
    r = results[len(results) // 2]
    verdict = "within" if r["p99"] < BUDGET_MS else "**over**"
    expected = CLIENTS * CALLS * ROUNDS
    statuses: dict[int, int] = {}
    for x in results:
        for k, v in x["statuses"].items():
            statuses[k] = statuses.get(k, 0) + v
    p99s = ", ".join(f"{x['p99']:.0f}" for x in results)
    return [
        f"| {label} | commit → each of {CLIENTS} sockets, {CALLS} calls "
        f"({WARM_UP} warm-up calls not counted), median of {ROUNDS} rounds | "
        f"p50 {r['p50']:.1f} ms, **p99 {r['p99']:.1f} ms** "
        f"({verdict} the {BUDGET_MS} ms budget; rounds' p99 {p99s} ms), max {r['max']:.1f} ms |",
        f"| {label} | deliveries, all rounds | {sum(x['deliveries'] for x in results)} of "
        f"{expected} ({sum(x['missing'] for x in results)} missing); sockets closed by the "
        f"server during the runs: {sum(x['dropped'] for x in results)}; call-next statuses "
        f"{statuses} |",
        f"| {label} | commit → the last of the {CLIENTS} sockets, per call | "
        f"p50 {r['last_p50']:.1f} ms, p99 {r['last_p99']:.1f} ms |",
        f"| {label} | the call-next request itself (one officer, HTTP round trip) | "
        f"p50 {r['request_p50']:.1f} ms, p99 {r['request_p99']:.1f} ms |",
        f"| {label} | opening the {CLIENTS} sockets (20 at a time) | {r['connect_s']:.1f} s |",
    ]


def main() -> None:
    rows = on_both_setups(run, pg_url=PG_URL, redis_url=REDIS)
    section = "\n".join(
        [
            f"## Fan-out (issue 3) — {dt.date.today().isoformat()}",
            "",
            "Command: `make bench` (bench/fanout_bench.py). Figure: from a call's commit to 200",
            "connected boards and phones, p99 under 100 ms. 200 websocket clients on",
            "`/ws/mal/<slug>/` (the socket of both the board and the phone page) in one asyncio",
            "loop, on the same 2-core machine as the server (they share the CPU); one officer",
            "calls the next number through the API, each call after the previous call's event",
            "reached all 200. Latency: the client's clock on receipt minus the event's `sent_at`",
            "(the server's clock right after the commit; same machine, same clock). Single runs",
            "of this bench varied from 47 to 163 ms p99 on the same code within an hour; each",
            "set-up now runs three rounds and reports the median one. The server and this client",
            "both keep their start-up objects out of the garbage collector's scans (gc.freeze).",
            "",
            "| set-up | measure | result |",
            "| --- | --- | --- |",
            *rows,
            "",
        ]
    )
    print(section)
    write_section("## Fan-out (issue 3)", section)


if __name__ == "__main__":
    main()
