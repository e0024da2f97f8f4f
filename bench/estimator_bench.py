"""The call-time estimator (issue 21, item 4) scored on simulated days, written to
docs/BENCHMARKS.md.

50 days at MPP Kukar and 50 at a Mini MPP (Loa Kulu), each from the SimPy day model
(mpp/queueing/daymodel.py) built by `plan_for` from the mall's data in a fresh database (no
history yet: the built-in arrival profile, the services' published standards). While each day
runs, at every arrival (what the slip says) and every 5 minutes for every waiting ticket (what
the phone page says), the bench asks the **same** pure function the product uses
(`forecast.forecast`) over what the database would hold at that moment (`Day.snapshot`: the
pool's waiting tickets, its open counters and who they serve, the bookings due), with service
times learnt as the product learns them (position.blended: the earlier days' services, pulled
towards the published standard), and the naive estimate (people ahead by the fairness rule ×
the mean service time of those waiting ÷ open counters). When the day is over each estimate is
scored against the real call.

Targets: the forecast's mean absolute error at most 70 % of the naive one's, and at least 80 %
of calls inside the range shown. Also the cost of one forecast of the last of 300 waiting
tickets at 4 counters (the phone page polls it).

Run: `python bench/estimator_bench.py [--days 50] [--no-write]` (a temporary data directory).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MALLS = [("mpp-kukar", "MPP Kukar (Tenggarong)"), ("mini-mpp-loa-kulu", "Mini MPP Loa Kulu")]
EVERY = 5.0  # minutes between the phone page's estimates of each waiting ticket
DAY = dt.date(2027, 1, 4)  # a Monday


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


class Scorer:
    """Called by the day model at every arrival and every EVERY minutes: asks the product's
    forecast and the naive estimate for each ticket concerned, keeps them to score."""

    def __init__(self, plan: Any, stats: dict[int, Any]) -> None:
        self.plan, self.stats = plan, stats
        self.max_wait = dt.timedelta(minutes=plan.max_wait_minutes)
        self.given: list[tuple[Any, dt.datetime, dt.datetime, dt.datetime, dt.datetime]] = []
        self.cost, self.calls = 0.0, 0

    def __call__(self, day: Any, arrived: Any) -> None:
        from mpp.queueing.daymodel import at
        from mpp.queueing.forecast import forecast, naive
        from mpp.queueing.policy import calls_before

        targets = [arrived] if arrived is not None else list(day.waiting)
        now = at(day.env.now)
        snapshots: dict[int, Any] = {}
        for c in targets:
            q = c.service.queue
            snap = snapshots.get(q) or snapshots.setdefault(q, day.snapshot(q))
            start = time.perf_counter()
            found = forecast(
                c.id,
                snap.waiting,
                snap.desks,
                self.stats,
                now=now,
                normal_per_priority=self.plan.normal_per_priority,
                max_wait=self.max_wait,
                booked=snap.booked,
                show_rate=self.plan.show_rate,
                priority_per_hour=snap.priority_per_hour,
            )
            self.cost += time.perf_counter() - start
            self.calls += 1
            if found is None:
                continue
            ahead = calls_before(
                c.id,
                [w.candidate for w in snap.waiting],
                [desk.lane for desk in snap.desks],
                now=now,
                normal_per_priority=self.plan.normal_per_priority,
                max_wait=self.max_wait,
            )
            simple = naive(
                now=now,
                ahead=ahead,
                mean_minutes=statistics.fmean(self.stats[w.service].mean for w in snap.waiting),
                staffed=len(snap.desks),
            )
            self.given.append((c, found.expected, found.earliest, found.latest, simple))


def score_mall(slug: str, days: int) -> dict[str, float]:
    from mpp.malls.models import Mall
    from mpp.queueing.daymodel import Day, at, plan_for
    from mpp.queueing.position import HISTORY_DAYS, blended

    mall = Mall.objects.get(slug=slug)
    plan, _history = plan_for(mall, day=DAY)
    standards = {s.id: s.mean for s in plan.services}  # no history: the blend's prior
    learnt: list[dict[int, list[float]]] = []  # per earlier day: service -> minutes
    errors: list[float] = []
    naive_errors: list[float] = []
    bias: list[float] = []
    naive_bias: list[float] = []
    widths: list[float] = []
    inside = 0
    cost, calls, citizens_seen = 0.0, 0, 0
    for d in range(days):
        history: dict[int, list[float]] = defaultdict(list)
        for day_minutes in learnt[-HISTORY_DAYS:]:
            for s, values in day_minutes.items():
                history[s].extend(values)
        stats = {s: blended(history.get(s, []), standards[s]) for s in standards}
        scorer = Scorer(plan, stats)
        citizens = Day(plan, seed=1000 + d, observe=scorer, every=EVERY).run()
        citizens_seen += len(citizens)
        cost, calls = cost + scorer.cost, calls + scorer.calls
        for c, expected, earliest, latest, simple in scorer.given:
            if c.called is None:
                continue
            called = at(c.called)
            errors.append(abs((expected - called).total_seconds()) / 60)
            naive_errors.append(abs((simple - called).total_seconds()) / 60)
            bias.append((called - expected).total_seconds() / 60)
            naive_bias.append((called - simple).total_seconds() / 60)
            inside += earliest <= called <= latest
            widths.append((latest - earliest).total_seconds() / 60)
        minutes: dict[int, list[float]] = defaultdict(list)
        for c in citizens:
            if c.called is not None:
                minutes[c.service.id].append(c.minutes)
        learnt.append(minutes)
        log(
            f"{slug} day {d + 1}: {len(citizens)} citizens; so far MAE "
            f"{statistics.fmean(errors):.1f} vs naive {statistics.fmean(naive_errors):.1f}, "
            f"inside {inside / len(errors):.1%}, late by {statistics.fmean(bias):.1f} "
            f"(naive {statistics.fmean(naive_bias):.1f})"
        )
    return {
        "estimates": len(errors),
        "citizens": citizens_seen / days,
        "mae": statistics.fmean(errors),
        "naive_mae": statistics.fmean(naive_errors),
        "inside": inside / len(errors),
        "width": statistics.median(widths),
        "bias": statistics.fmean(bias),
        "naive_bias": statistics.fmean(naive_bias),
        "arrivals": sum(plan.arrivals.values()),
        "counters": len(plan.counters),
        "cost_ms": cost / calls * 1000,
    }


def cost_of_300() -> float:
    """Milliseconds for the last of 300 waiting tickets at 4 counters (median of 20)."""
    from mpp.queueing.forecast import Desk, ServiceStats, Waiting, forecast
    from mpp.queueing.policy import Candidate, Lane

    now = dt.datetime(2026, 11, 30, 9, tzinfo=dt.UTC)
    waiting = [
        Waiting(Candidate(i, i % 7 == 0, now - dt.timedelta(minutes=300 - i), i, 1 + i % 2), i % 5)
        for i in range(300)
    ]
    desks = [Desk(Lane(frozenset({1, 2}), 1), 1, now - dt.timedelta(minutes=3)) for _ in range(4)]
    stats = {s: ServiceStats(2.0 + s, 1.0) for s in range(5)}  # 300 served within the day
    samples = []
    for _ in range(20):
        start = time.perf_counter()
        found = forecast(
            299,
            waiting,
            desks,
            stats,
            now=now,
            normal_per_priority=2,
            max_wait=dt.timedelta(minutes=45),
        )
        samples.append(time.perf_counter() - start)
        assert found is not None
    return statistics.median(samples) * 1000


def dirty() -> str:
    """ " with uncommitted changes" when the working tree differs from its commit."""
    import subprocess

    changed = subprocess.run(
        # The results file itself is written by the benches before this one.
        ["git", "status", "--porcelain", "--untracked-files=no", "--", ".", ":!docs/BENCHMARKS.md"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return " with uncommitted changes" if changed else ""


def machine() -> str:
    """The machine, as the other sections name it (no browser here)."""
    import platform

    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=50)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    data = tempfile.mkdtemp(prefix="mpp-estimator-bench-")
    os.environ["MPP_DATA_DIR"] = data
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mpp.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from mpp.regions.loader import load_region

    call_command("migrate", verbosity=0)
    load_region("kukar")
    started = time.perf_counter()
    results = {slug: score_mall(slug, args.days) for slug, _name in MALLS}
    seconds = time.perf_counter() - started
    one = cost_of_300()
    from _server import commit, write_section

    lines = [
        f"## Call-time estimator (issue 21) — {dt.datetime.now(dt.UTC).date().isoformat()}",
        "",
        f"Commit: {commit()}{dirty()} (the tree these figures were measured on).",
        "",
        f"Machine: {machine()}.",
        f"Command: `make bench` (bench/estimator_bench.py), {args.days} simulated days per mall "
        f"with the SimPy day model (mpp/queueing/daymodel.py, seeds 1000–{999 + args.days}), "
        f"{seconds:.0f} s in all. The model is built by `plan_for` from Kukar's region data in a "
        "fresh database: no history, so the built-in arrival profile (08.00–15.00, morning "
        "peak), the services' published standards with a spread of half the mean (lognormal), "
        "15 % priority lane, 20 % booked (80 % come, punctuality ±6 min), 5 % of walk-ins not "
        "there when called, every counter open. Estimates at every arrival (the slip) and every "
        f"{EVERY:.0f} minutes for every waiting ticket (the phone page), by the product's "
        "`forecast.forecast` with service times learnt from the earlier simulated days "
        "(`position.blended`), scored against the simulated call.",
        "",
        "| mall | citizens/day (model) | counters | estimates scored | MAE forecast | MAE naive "
        "| ratio (target ≤ 70 %) | called inside the range (target ≥ 80 %) | median range width "
        "| mean lateness of the call: forecast / naive |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for slug, name in MALLS:
        r = results[slug]
        ratio = r["mae"] / r["naive_mae"]
        lines.append(
            f"| {name} | {r['citizens']:.0f} | {r['counters']} | {r['estimates']:,} | "
            f"{r['mae']:.1f} min | {r['naive_mae']:.1f} min | **{ratio:.0%}** | "
            f"**{r['inside']:.1%}** | {r['width']:.0f} min | "
            f"{r['bias']:+.1f} / {r['naive_bias']:+.1f} min |"
        )
    lines += [
        "",
        f"Cost of one forecast: the last of 300 waiting tickets at 4 counters, median "
        f"{one:.2f} ms (pure function; the bench's own estimates averaged "
        f"{statistics.fmean(r['cost_ms'] for r in results.values()):.2f} ms).",
        "",
    ]
    section = "\n".join(lines)
    print(section)
    if not args.no_write:
        write_section("## Call-time estimator (issue 21)", section)


if __name__ == "__main__":
    main()
