"""Demo traffic goes through the queue's own actions: numbers issued, called, served."""

from __future__ import annotations

import datetime as dt
import random

from django.core.management import call_command

from mpp.queueing.models import Ticket, TicketEvent
from mpp.queueing.simulation import Simulator


def test_a_simulated_morning_issues_calls_and_serves(monday):
    sim = Simulator(
        mall_slugs=["mpp-kukar", "mini-mpp-loa-kulu"],
        arrivals_per_hour=120,
        speed=30,
        rng=random.Random(7),
    )
    totals = {"issued": 0, "called": 0, "started": 0, "finished": 0}
    for _ in range(40):
        for key, n in sim.step(10).items():
            totals[key] += n
        monday.shift(dt.timedelta(seconds=10))
    assert totals["issued"] > 20 and totals["called"] > 5 and totals["finished"] > 0
    assert Ticket.objects.filter(status=Ticket.Status.DONE).count() == totals["finished"]
    assert Ticket.objects.count() == totals["issued"]
    assert TicketEvent.objects.filter(type="called").count() == totals["called"]
    assert Ticket.objects.filter(mall__slug="mini-mpp-loa-kulu").exists()


def test_the_simulate_command_runs_a_given_number_of_steps(monday, capsys):
    call_command("simulate", live=True, ticks=2, tick_seconds=0.01, speed=1000)
    out = capsys.readouterr().out
    assert "langkah 2:" in out
