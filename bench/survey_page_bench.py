"""The survey page's weight on a phone (issue 4: under 30 KB transferred), written to
docs/BENCHMARKS.md.

A ticket is taken, called, served and finished at MPP Kukar (the queue's actions, before the
server starts); the phone (Debian's Chromium, Pixel 5 profile, Playwright) then opens its
survey, and every request of the first visit is counted, compressed, headers included."""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _server import running_server, write_section
from catalog_bench import machine, page_weight

# Serves one ticket to the end at MPP Kukar and writes its survey path to MPP_BENCH_OUT.
_PREPARE = """
import os
from mpp.accounts.tests.factories import Cast
from mpp.catalog.models import Service
from mpp.malls.models import Mall
from mpp.queueing import actions
from mpp.queueing.models import Counter, Ticket
from mpp.surveys.actions import survey_token_for
mall = Mall.objects.get(slug="mpp-kukar")
officer = Cast().officer_dukcapil()
counter = Counter.objects.filter(mall=mall, tenant__slug="disdukcapil").first()
counter = actions.set_counter_status(counter=counter, status="open", acting_user=officer)
actions.issue_ticket(mall=mall, service=Service.objects.get(slug="akta-kelahiran"), channel="kiosk")
ticket = actions.call_next_ticket(counter=counter, acting_user=officer)
ticket = actions.start_ticket(ticket=ticket, acting_user=officer)
ticket = actions.finish_ticket(ticket=ticket, outcome="done", acting_user=officer)
open(os.environ["MPP_BENCH_OUT"], "w").write(f"/survei/isi/{survey_token_for(ticket).token}/")
"""


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "survey-path"
        env = {"MPP_DEMO_ALWAYS_OPEN": "1", "MPP_BENCH_OUT": str(out)}
        with running_server(extra_env=env, prepare=_PREPARE) as base:
            weight = page_weight(base, out.read_text())
    today = dt.date.today().isoformat()
    lines = [
        f"## Survey page (issue 4) — {today}",
        "",
        f"Machine: {machine()}.",
        "Server: `mpp serve` (uvicorn, one process), SQLite, Kukar's demo data. A ticket is "
        "issued, called, served and finished; the phone (Chromium, Pixel 5 profile) opens its "
        "survey. Command: `make bench`.",
        "",
        "| figure | budget | measured |",
        "| --- | --- | --- |",
        f"| survey page, first visit, bytes transferred (compressed, headers included, all "
        f"requests) | < 30 KB | {weight['total'] / 1024:.1f} KB in {len(weight['requests'])} "
        f"requests |",
        "",
        "| request | type | encoding | bytes |",
        "| --- | --- | --- | --- |",
        *[
            f"| `{r['url']}` | {r['type']} | {r['encoding'] or '—'} | {r['bytes']} |"
            for r in weight["requests"]  # type: ignore[attr-defined]
        ],
        "",
    ]
    section = "\n".join(lines)
    print(section)
    write_section("## Survey page (issue 4)", section)


if __name__ == "__main__":
    main()
