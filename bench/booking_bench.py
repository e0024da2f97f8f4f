"""Booking under load (issue 21): 500 concurrent HTTP requests for one slot against `mpp serve`
on PostgreSQL give exactly its capacity, and 100 people × 5 concurrent attempts each give 0
double bookings of one person. Writes its section of docs/BENCHMARKS.md."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter

sys.path.insert(0, os.path.dirname(__file__))
from _server import commit, running_server, shell_json, write_section

PG_URL = os.environ.get("MPP_BENCH_PG", "postgres://postgres@127.0.0.1:5432/mpp_bench")
REDIS = os.environ.get("MPP_BENCH_REDIS", "redis://127.0.0.1:6379/14")
CAPACITY = 5
MARKER = "## Booking under load (issue 21)"

# MPP Kukar's akta kelahiran bookable with 5 places a slot (5 counters × 30 min ÷ 12 min × 40 %).
PREPARE = """
from mpp.appointments.models import BookableService
from mpp.catalog.models import Service
from mpp.malls.models import Mall
mall = Mall.objects.get(slug="mpp-kukar")
akta = Service.objects.get(slug="akta-kelahiran")
BookableService.objects.update_or_create(
    mall=mall, service=akta, defaults={"counters": 5, "minutes_per_citizen": 12}
)
"""

IDS = """
import json
from mpp.catalog.models import Service
from mpp.malls.models import Mall
mall = Mall.objects.get(slug="mpp-kukar")
print(json.dumps([mall.pk, Service.objects.get(slug="akta-kelahiran").pk]))
"""


def nik(n: int) -> str:
    return f"640206150190{n:04d}"


def post(base: str, body: dict[str, object]) -> tuple[int, str]:
    request = urllib.request.Request(  # noqa: S310 - the local server
        base + "/api/v1/appointments",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as answer:  # noqa: S310
            return answer.status, json.load(answer)["status"]
    except urllib.error.HTTPError as refused:
        return refused.code, json.load(refused).get("code", "")


def get_json(url: str) -> object:
    with urllib.request.urlopen(url, timeout=30) as answer:  # noqa: S310 - the local server
        return json.load(answer)


def first_open_day(base: str, mall: int, service: int) -> tuple[str, str]:
    day = dt.date.today() + dt.timedelta(days=1)
    for _ in range(14):
        try:
            slots = get_json(f"{base}/api/v1/malls/{mall}/slots?service_id={service}&date={day}")
        except urllib.error.HTTPError:
            day += dt.timedelta(days=1)
            continue
        return day.isoformat(), slots[0]["start"]  # type: ignore[index]
    raise SystemExit("no bookable day in the horizon")


def burst(bodies: list[dict[str, object]], base: str) -> tuple[list[tuple[int, str]], float]:
    start = threading.Barrier(len(bodies))
    results: list[tuple[int, str]] = []
    lock = threading.Lock()

    def client(body: dict[str, object]) -> None:
        start.wait(timeout=60)
        out = post(base, body)
        with lock:
            results.append(out)

    threads = [threading.Thread(target=client, args=(b,)) for b in bodies]
    began = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, time.monotonic() - began


def run() -> list[str]:
    for sql in ("DROP DATABASE IF EXISTS mpp_bench", "CREATE DATABASE mpp_bench"):
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql], check=True)
    env = {
        "DATABASE_URL": PG_URL,
        "REDIS_URL": REDIS,
        "MPP_BOOKINGS_PER_HOUR": "100000",
    }
    rows = []
    with running_server(extra_env=env, workers=2, prepare=PREPARE) as base:
        server_env = {**os.environ, **env}
        mall, service = shell_json(server_env, IDS)
        day, start = first_open_day(base, mall, service)
        common = {"mall_id": mall, "service_id": service, "date": day, "phone": "081234567890"}

        bodies = [{**common, "start": start, "nik": nik(i + 1)} for i in range(500)]
        results, seconds = burst(bodies, base)
        counts = Counter(f"{status} {code}" for status, code in results)
        slots = get_json(f"{base}/api/v1/malls/{mall}/slots?service_id={service}&date={day}")
        booked_here = CAPACITY - slots[0]["available"]  # type: ignore[index]
        assert counts["201 booked"] == CAPACITY == booked_here, counts
        assert sum(counts.values()) == 500 and counts["409 slot_full"] == 500 - CAPACITY, counts
        rows.append(
            f"| 500 people, one slot of {CAPACITY} | {counts['201 booked']} | "
            f"{counts['409 slot_full']} slot_full | 0 | {seconds:.1f} s |"
        )

        # 100 people, each sending 5 attempts at once, spread over the day's slots.
        all_slots = get_json(f"{base}/api/v1/malls/{mall}/slots?service_id={service}&date={day}")
        starts = [s["start"] for s in all_slots[1:]]  # type: ignore[index]
        bodies = [
            {**common, "start": starts[(p * 5 + k) % len(starts)], "nik": nik(1000 + p)}
            for p in range(100)
            for k in range(5)
        ]
        results, seconds = burst(bodies, base)
        counts = Counter(f"{status} {code}" for status, code in results)
        doubles = shell_json(
            server_env,
            "import json; from django.db.models import Count; "
            "from mpp.appointments.models import Appointment; "
            "print(json.dumps(Appointment.objects.filter(status='booked')"
            ".values('service', 'nik_digest').annotate(n=Count('id')).filter(n__gt=1).count()))",
        )
        assert doubles == 0, doubles
        people = counts["201 booked"]
        assert people + counts["409 already_booked"] + counts["409 slot_full"] == 500, counts
        rows.append(
            f"| 100 people × 5 attempts at once | {people} | "
            f"{counts['409 already_booked']} already_booked, {counts['409 slot_full']} "
            f"slot_full | {doubles} | {seconds:.1f} s |"
        )
    return rows


def main() -> None:
    rows = run()
    section = "\n".join(
        [
            f"{MARKER} — {dt.datetime.now(dt.UTC).date().isoformat()}",
            "",
            "Command: `make bench` (bench/booking_bench.py). `mpp serve` with 2 workers on",
            "PostgreSQL + Redis, the demo's data; the clients are Python threads released at one",
            "instant (a barrier), each sending one `POST /api/v1/appointments`. A place is a",
            "conditional UPDATE of the slot's count; one active booking per person and service is",
            "a partial unique index (docs/adr/0035).",
            f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
            f"{platform.python_version()}. Commit: {commit()}.",
            "",
            "| Run | Booked | Refused | Double bookings of one person | Wall time |",
            "|---|---|---|---|---|",
            *rows,
            "",
        ]
    )
    write_section(MARKER, section)
    print(section)


if __name__ == "__main__":
    main()
