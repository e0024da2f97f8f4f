"""Queue benchmarks (issue 3), written to docs/BENCHMARKS.md.

Ticket issuing through the API (POST /api/v1/malls/{id}/tickets with a kiosk token) against a
minimal JSON endpoint of our own on the same server (GET /api/v1/ping), with the same
client (wrk, bench/_wrk.py): throughput, latency percentiles and the ratio. For information,
also against `POST /api/v1/ping` with the same token and body as a ticket request (what issuing
does before taking a number). Then 10,000 issues
from 32 concurrent clients (Python threads, an exact count), checked for duplicate or missing
numbers and for errors ("database is locked").
Runs on the embedded default (one process, SQLite) and on PostgreSQL with two workers and Redis.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _server import kiosk_setup, on_both_setups, running_server, shell_json, write_section
from _wrk import wrk

ROUNDS = 5
SECONDS = 5  # per round and endpoint
PG_URL = os.environ.get("MPP_BENCH_PG", "postgres://postgres@127.0.0.1:5432/mpp_bench")
REDIS = os.environ.get("MPP_BENCH_REDIS", "redis://127.0.0.1:6379/14")


def load(
    base: str,
    method: str,
    path: str,
    body: bytes | None,
    headers: dict[str, str],
    clients: int,
    total: int,
) -> dict[str, float]:
    """`total` requests from `clients` threads, each on its own keep-alive connection."""
    host = urllib.parse.urlsplit(base)
    per_client = total // clients
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)

    def client() -> None:
        conn = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
        mine, codes = [], {}
        start.wait()
        for _ in range(per_client):
            t0 = time.perf_counter()
            conn.request(method, path, body=body, headers=headers)
            resp = conn.getresponse()
            resp.read()
            mine.append((time.perf_counter() - t0) * 1000)
            codes[resp.status] = codes.get(resp.status, 0) + 1
        conn.close()
        with lock:
            latencies.extend(mine)
            for k, v in codes.items():
                statuses[k] = statuses.get(k, 0) + v

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    start.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    latencies.sort()
    n = len(latencies)
    return {
        "n": n,
        "rps": n / elapsed,
        "p50": statistics.median(latencies),
        "p99": latencies[min(n - 1, int(n * 0.99))],
        "statuses": statuses,
    }


def check_numbers(env: dict[str, str]) -> dict[str, int]:
    """Duplicates and gaps per (queue, day) in the database the server used."""
    code = (
        "import json; from django.db.models import Count, Max\n"
        "from mpp.queueing.models import Ticket\n"
        "rows = Ticket.objects.values('queue_id', 'service_day').annotate("
        "n=Count('id'), distinct=Count('number', distinct=True), top=Max('number'))\n"
        "print(json.dumps({'tickets': sum(r['n'] for r in rows),"
        " 'duplicates': sum(r['n'] - r['distinct'] for r in rows),"
        " 'missing': sum(r['top'] - r['distinct'] for r in rows)}))"
    )
    return shell_json(env, code)


def run(label: str, extra_env: dict[str, str], workers: int) -> list[str]:
    with tempfile.TemporaryDirectory(prefix="mpp-queue-bench-") as data_dir:
        return _run(label, {"MPP_DATA_DIR": data_dir, **extra_env}, workers)


def _run(label: str, extra_env: dict[str, str], workers: int) -> list[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update({"DJANGO_SETTINGS_MODULE": "mpp.settings", **extra_env})
    rows = []
    with running_server(extra_env=extra_env, workers=workers) as base:
        mall, service, token = kiosk_setup(base)
        issue_headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        body = json.dumps({"service_id": service}).encode()
        path = f"/api/v1/malls/{mall}/tickets"
        wrk(base, "GET", "/api/v1/ping", None, {}, 8, 2)  # warm up
        wrk(base, "POST", "/api/v1/ping", body, issue_headers, 8, 2)
        wrk(base, "POST", path, body, issue_headers, 8, 2)
        # The machine is a shared VM whose speed drifts from minute to minute: alternate short
        # rounds of the two endpoints and report the median round, so both see the same drift.
        rounds = []
        for _ in range(ROUNDS):
            ping = wrk(base, "GET", "/api/v1/ping", None, {}, 8, SECONDS)
            # For information: the same token and body as a ticket request, no number taken.
            ping_post = wrk(base, "POST", "/api/v1/ping", body, issue_headers, 8, SECONDS)
            issue8 = wrk(base, "POST", path, body, issue_headers, 8, SECONDS)
            rounds.append((issue8["rps"] / ping["rps"], ping, issue8, ping_post))
        single_ping = wrk(base, "GET", "/api/v1/ping", None, {}, 1, SECONDS)
        single_issue = wrk(base, "POST", path, body, issue_headers, 1, SECONDS)
        issue32 = load(base, "POST", path, body, issue_headers, 32, 10016)
        numbers = check_numbers(env)
    rounds.sort(key=lambda r: r[0])
    ratio, ping, issue8, ping_post = rounds[len(rounds) // 2]
    spread = f"{rounds[0][0]:.0%}–{rounds[-1][0]:.0%}"
    post_ratios = sorted(r[2]["rps"] / r[3]["rps"] for r in rounds)
    p99s = sorted(r[2]["p99"] for r in rounds)
    rows.append(
        f"| {label} | minimal endpoint `GET /api/v1/ping`, 8 connections (median of {ROUNDS} "
        f"rounds of {SECONDS} s) | {ping['rps']:.0f} req/s, p50 {ping['p50']:.1f} ms, "
        f"p99 {ping['p99']:.1f} ms; errors {ping['errors']} |"
    )
    rows.append(
        f"| {label} | issue a ticket, 8 connections (same round) | {issue8['rps']:.0f} tickets/s "
        f"(**{ratio:.0%}** of the minimal endpoint; rounds {spread}), p50 {issue8['p50']:.1f} ms, "
        f"**p99 {issue8['p99']:.1f} ms** (rounds {p99s[0]:.0f}–{p99s[-1]:.0f} ms); "
        f"{issue8['n']} tickets, errors {issue8['errors']} |"
    )
    rows.append(
        f"| {label} | for information: `POST /api/v1/ping` with the kiosk's token and the "
        f"ticket's body (no number taken), 8 connections (same round) | "
        f"{ping_post['rps']:.0f} req/s, p99 {ping_post['p99']:.1f} ms; issuing reaches "
        f"{issue8['rps'] / ping_post['rps']:.0%} of it (rounds {post_ratios[0]:.0%}–"
        f"{post_ratios[-1]:.0%}) |"
    )
    rows.append(
        f"| {label} | one connection (time per request) | ping p50 "
        f"{single_ping['p50']:.1f} ms, issue p50 {single_issue['p50']:.1f} ms "
        f"(p99 {single_issue['p99']:.1f} ms) |"
    )
    rows.append(
        f"| {label} | issue a ticket, 32 clients, {issue32['n']} issues | "
        f"{issue32['rps']:.0f} tickets/s, p99 {issue32['p99']:.1f} ms; "
        f"statuses {issue32['statuses']} |"
    )
    rows.append(
        f"| {label} | numbers after the run | {numbers['tickets']} tickets, "
        f"{numbers['duplicates']} duplicates, {numbers['missing']} missing |"
    )
    return rows


def main() -> None:
    rows = on_both_setups(run, pg_url=PG_URL, redis_url=REDIS)
    # Fewer HTTP threads per worker: less waiting for the interpreter lock, less room for slow
    # requests (exports) beside quick ones. The default is 4 (settings.HTTP_THREADS).
    for sql in ("DROP DATABASE IF EXISTS mpp_bench", "CREATE DATABASE mpp_bench"):
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql], check=True)
    rows += run(
        "PostgreSQL + Redis, 2 workers, `MPP_HTTP_THREADS=2`",
        {
            "MPP_DEMO_ALWAYS_OPEN": "1",
            "DATABASE_URL": PG_URL,
            "REDIS_URL": REDIS,
            "MPP_HTTP_THREADS": "2",
        },
        2,
    )
    section = "\n".join(
        [
            f"## Queue (issue 3) — {dt.date.today().isoformat()}",
            "",
            "Command: `make bench` (bench/queue_bench.py). Client: wrk (one thread, keep-alive",
            "connections, each sending its next request when the answer arrived) on the same",
            "2-core machine; the 32-client run uses Python threads for an exact count of issues.",
            f"Server: `mpp serve` ({os.cpu_count()} cores here), HTTP through Django's sync",
            "handler in a pool of threads (docs/adr/0008-http-through-one-thread-hop.md).",
            "",
            "| set-up | measure | result |",
            "| --- | --- | --- |",
            *rows,
            "",
        ]
    )
    print(section)
    write_section("## Queue (issue 3)", section)


if __name__ == "__main__":
    main()
