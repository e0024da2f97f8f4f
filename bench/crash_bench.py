"""Crash benchmark (issue 16), written to docs/BENCHMARKS.md.

Several clients issue tickets through the API (POST /api/v1/malls/{id}/tickets with a kiosk
token, as bench/queue_bench.py does) while the server (`mpp serve`, with all its workers) is
killed with SIGKILL at a random moment; the server is started again and the round repeats. At
the end the database is compared with what the clients were told: a ticket acknowledged (HTTP 201
received) but missing from the database, or stored with another number, is lost; a number held
by two tickets of one queue and day is a duplicate. Requests cut by the kill (no answer) are
counted apart: their ticket may or may not have been committed, and no client was promised it.

Runs on the embedded default (SQLite, one process) and on PostgreSQL (a throwaway database,
dropped and created) with Redis (db 4) and two workers. Loopback only; each round and the whole
run are bounded in time, and every server started is killed before the script returns.

    .venv/bin/python bench/crash_bench.py [--rounds 6] [--clients 8] [--no-write]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import http.client
import json
import os
import platform
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _server import ROOT, free_port, kiosk_setup, shell_json, write_section

PG_ADMIN = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc"]
PG_DB = "mpp_crash_bench"
PG_URL = os.environ.get("MPP_BENCH_PG_CRASH", f"postgres://postgres@127.0.0.1:5432/{PG_DB}")
REDIS = os.environ.get("MPP_BENCH_REDIS_CRASH", "redis://127.0.0.1:6379/4")
START_TIMEOUT = 60  # s for a server to answer after a start
RUN_DEADLINE = 15 * 60  # s for the whole script: past it, no new round starts
LOAD_SECONDS = (1.0, 3.0)  # each round issues for a random time in this range, then the kill


@dataclass
class Tally:
    """What the clients were told, over every round of one set-up."""

    acknowledged: dict[int, str] = field(default_factory=dict)  # ticket id → number, from 201s
    acknowledged_twice: int = 0  # the same ticket id acknowledged to two requests
    statuses: Counter[int] = field(default_factory=Counter)
    no_answer: int = 0  # connection refused, reset or closed: the request's fate is unknown
    lock: threading.Lock = field(default_factory=threading.Lock)


class Server:
    """`mpp serve` in its own session, so SIGKILL reaches the supervisor and every worker."""

    def __init__(self, env: dict[str, str], workers: int, log: Path) -> None:
        self.env, self.workers, self.log = env, workers, log
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "mpp",
                    "serve",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.port),
                    "--workers",
                    str(self.workers),
                ],
                env=self.env,
                cwd=ROOT,
                stdout=out,
                stderr=out,
                start_new_session=True,
            )
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                urllib.request.urlopen(self.base + "/api/v1/ping", timeout=1)  # noqa: S310 - local
                return
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"server did not start; see {self.log}") from None
                time.sleep(0.1)  # polling a starting server

    def kill(self) -> None:
        """SIGKILL to the server's whole process group: no handler, no shutdown, no flush."""
        if self.proc is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)
        self.proc = None


def client(
    server: Server, path: str, body: bytes, token: str, tally: Tally, stop: threading.Event
) -> None:
    """Issue tickets one after another until `stop`; reconnect after every failure."""
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    conn: http.client.HTTPConnection | None = None
    while not stop.is_set():
        try:
            if conn is None:
                conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
            conn.request("POST", path, body=body, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
        except (OSError, http.client.HTTPException):
            if conn is not None:
                conn.close()
            conn = None
            with tally.lock:
                tally.no_answer += 1
            stop.wait(0.05)  # the server is down: do not spin until the round ends
            continue
        with tally.lock:
            tally.statuses[resp.status] += 1
            if resp.status == 201:
                ticket = json.loads(data)
                if ticket["id"] in tally.acknowledged:
                    tally.acknowledged_twice += 1
                tally.acknowledged[ticket["id"]] = ticket["number"]
    if conn is not None:
        conn.close()


def stored_tickets(env: dict[str, str]) -> list[tuple[int, int, str, int, str]]:
    """(id, queue id, service day, number, display number) of every ticket in the database."""
    code = (
        "import json\nfrom mpp.queueing.models import Ticket\n"
        "rows = [(t.pk, t.queue_id, t.service_day.isoformat(), t.number, t.display_number)"
        " for t in Ticket.objects.select_related('queue')]\n"
        "print(json.dumps(rows))"
    )
    return [tuple(r) for r in shell_json(env, code)]


def run_setup(
    label: str, extra_env: dict[str, str], workers: int, rounds: int, clients: int, t_end: float
) -> dict[str, object]:
    rng = random.Random(16)  # the same kill moments on every run and set-up
    with tempfile.TemporaryDirectory(prefix="mpp-crash-bench-") as data_dir:
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "mpp.settings",
                "MPP_DATA_DIR": data_dir,
                "MPP_DEMO_ALWAYS_OPEN": "1",
                "UVICORN_LOG_LEVEL": "warning",
                **extra_env,
            }
        )
        subprocess.run(
            [sys.executable, "-m", "mpp", "demo", "--no-serve"],
            env=env,
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        log = Path(data_dir) / "server.log"
        server = Server(env, workers, log)
        tally = Tally()
        done = 0
        started = time.monotonic()
        try:
            server.start()
            mall, service, token = kiosk_setup(server.base)
            path = f"/api/v1/malls/{mall}/tickets"
            body = json.dumps({"service_id": service}).encode()
            for n in range(rounds):
                if time.monotonic() > t_end:
                    break
                if n:
                    server.start()
                stop = threading.Event()
                threads = [
                    threading.Thread(target=client, args=(server, path, body, token, tally, stop))
                    for _ in range(clients)
                ]
                for t in threads:
                    t.start()
                time.sleep(rng.uniform(*LOAD_SECONDS))  # load for a while, then the crash
                server.kill()
                stop.set()
                for t in threads:
                    t.join(timeout=30)
                done += 1
            # One more start after the last kill: the server comes back and numbering goes on.
            server.start()
            after = json.loads(
                _post(server.base + path, body, token)  # the next number after every crash
            )
        finally:
            server.kill()
        elapsed = time.monotonic() - started
        stored = stored_tickets(env)
    by_id = {row[0]: row for row in stored}
    top = max((r[3] for r in stored if r[0] != after["id"]), default=0)
    lost = sum(
        1
        for ticket_id, number in tally.acknowledged.items()
        if ticket_id not in by_id or by_id[ticket_id][4] != number
    )
    per_day: dict[tuple[int, str], list[int]] = {}
    for _id, queue, day, number, _shown in stored:
        per_day.setdefault((queue, day), []).append(number)
    duplicates = sum(len(ns) - len(set(ns)) for ns in per_day.values())
    gaps = sum(max(ns) - len(set(ns)) for ns in per_day.values())
    shown = Counter(tally.acknowledged.values())
    return {
        "label": label,
        "rounds": done,
        "clients": clients,
        "seconds": elapsed,
        "acknowledged": len(tally.acknowledged),
        "lost": lost,
        "duplicates": duplicates,
        "acknowledged_same_number": sum(n - 1 for n in shown.values() if n > 1),
        "acknowledged_twice": tally.acknowledged_twice,
        "gaps": gaps,
        "stored": len(stored),
        "unacknowledged_stored": len(set(by_id) - set(tally.acknowledged)),
        "no_answer": tally.no_answer,
        "statuses": dict(sorted(tally.statuses.items())),
        "after": after["number"],
        "top": top,
    }


def _post(url: str, body: bytes, token: str) -> str:
    req = urllib.request.Request(  # noqa: S310 - local server
        url,
        method="POST",
        data=body,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    return urllib.request.urlopen(req, timeout=10).read().decode()  # noqa: S310


def row(r: dict[str, object]) -> str:
    return (
        f"| {r['label']} | {r['rounds']} | {r['acknowledged']:,} | **{r['lost']}** | "
        f"**{r['duplicates']}** ({r['acknowledged_same_number']} numbers acknowledged twice) | "
        f"{r['gaps']} | {r['no_answer']:,} ({r['unacknowledged_stored']} of them stored) | "
        f"{r['statuses']} | {r['after']} after the last restart (highest stored before it: "
        f"{r['top']}) | {r['seconds']:.0f} s |"
    )


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    pg = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc", "SHOW server_version"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    return (
        f"{os.cpu_count()} cores ({cpu}), Linux {platform.release()}, Python "
        f"{platform.python_version()}; SQLite {sqlite3.sqlite_version}, PostgreSQL {pg.split()[0]}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--no-write", action="store_true", help="print, do not write the docs")
    args = parser.parse_args()
    t_end = time.monotonic() + RUN_DEADLINE
    results = [
        run_setup("SQLite (WAL), 1 process", {}, 1, args.rounds, args.clients, t_end),
    ]
    for sql in (f"DROP DATABASE IF EXISTS {PG_DB}", f"CREATE DATABASE {PG_DB}"):
        subprocess.run([*PG_ADMIN, sql], check=True)
    try:
        results.append(
            run_setup(
                "PostgreSQL + Redis, 2 workers",
                {"DATABASE_URL": PG_URL, "REDIS_URL": REDIS},
                2,
                args.rounds,
                args.clients,
                t_end,
            )
        )
    finally:
        subprocess.run([*PG_ADMIN, f"DROP DATABASE IF EXISTS {PG_DB}"], check=False)
    # MPP_BENCH_COMMIT names the commit when the tree is an export (git archive), not a clone.
    commit = (
        os.environ.get("MPP_BENCH_COMMIT")
        or subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
    )
    section = "\n".join(
        [
            f"## Crash (issue 16) — {dt.date.today().isoformat()}",
            "",
            f"Machine: {machine()}. Commit: {commit or 'unknown'}.",
            f"Command: `make bench` (`.venv/bin/python bench/crash_bench.py --rounds {args.rounds}"
            f" --clients {args.clients}`). Each set-up starts from a fresh demo database;",
            f"{args.clients} clients (Python threads, keep-alive connections) issue tickets into",
            "one queue with the MPP kiosk's token while `mpp serve` and its workers are killed",
            f"with SIGKILL after a random {LOAD_SECONDS[0]:.0f}–{LOAD_SECONDS[1]:.0f} s; the",
            "server is started again for the next round, and once more at the end to issue one",
            "ticket.",
            "**Lost**: acknowledged with HTTP 201 but missing from the database or stored with",
            "another number. **Duplicates**: two tickets of one queue and day with one number.",
            "A request cut by the kill has no answer: no client was promised its ticket.",
            "This is a crash of the server process, not of the machine: SQLite runs with",
            "`synchronous=NORMAL` in WAL mode, which survives the first and may lose the last",
            "commits in a power cut (PostgreSQL keeps `synchronous_commit` on, docs/adr/0012).",
            "",
            "| set-up | kill -9 rounds | tickets acknowledged (201) | lost | duplicates | "
            "gaps in numbers | requests without an answer | statuses answered | "
            "numbering after the crashes | time |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
            *(row(r) for r in results),
            "",
        ]
    )
    print(section)
    if not args.no_write:
        write_section("## Crash (issue 16)", section)
    failed = [r for r in results if r["lost"] or r["duplicates"] or r["acknowledged_twice"]]
    if failed:
        raise SystemExit(f"tickets lost or duplicated: {[r['label'] for r in failed]}")


if __name__ == "__main__":
    main()
