"""Demo traffic: citizens arrive, officers call and serve, so boards and consoles move.

Every change goes through the queue's own actions (and so through its events). Used by
`mpp simulate` and `mpp demo --simulate`; never in production.
"""

from __future__ import annotations

import datetime as dt
import random
import threading
from dataclasses import dataclass, field

from django.db import close_old_connections

from mpp.catalog.models import Service
from mpp.core import clock
from mpp.malls.models import Mall
from mpp.queueing import actions
from mpp.queueing.exceptions import QueueError
from mpp.queueing.models import Counter, Ticket

PRIORITY_SHARE = 0.15  # share of visitors in the priority lane
PRIORITIES = [
    Ticket.Priority.ELDERLY,
    Ticket.Priority.DISABILITY,
    Ticket.Priority.PREGNANT,
    Ticket.Priority.TODDLER,
]


@dataclass
class Simulator:
    """A morning brought to life at the given malls, `speed` times faster than real time."""

    mall_slugs: list[str]
    arrivals_per_hour: float = 90.0
    service_minutes: tuple[float, float] = (3.0, 12.0)
    speed: float = 10.0
    rng: random.Random = field(default_factory=random.Random)
    _due: dict[int, dt.datetime] = field(default_factory=dict)

    def step(self, seconds: float) -> dict[str, int]:
        """Advance the simulation by `seconds` of real time; returns what happened."""
        done = {"issued": 0, "called": 0, "started": 0, "finished": 0}
        for mall in Mall.objects.filter(slug__in=self.mall_slugs, status=Mall.Status.OPERATING):
            self._arrivals(mall, seconds, done)
            self._counters(mall, done)
        return done

    def _arrivals(self, mall: Mall, seconds: float, done: dict[str, int]) -> None:
        expected = self.arrivals_per_hour * self.speed * seconds / 3600
        count = int(expected) + (1 if self.rng.random() < expected % 1 else 0)
        services = list(Service.objects.active().offered_at(mall).values_list("pk", flat=True))
        for _ in range(count):
            if not services:
                return
            priority = (
                self.rng.choice(PRIORITIES)
                if self.rng.random() < PRIORITY_SHARE
                else Ticket.Priority.NONE
            )
            try:
                actions.issue_ticket(
                    mall=mall,
                    service=Service.objects.get(pk=self.rng.choice(services)),
                    channel=Ticket.Channel.KIOSK,
                    priority=priority,
                )
                done["issued"] += 1
            except QueueError:
                continue  # that tenant does not serve today, or its quota is reached

    def _counters(self, mall: Mall, done: dict[str, int]) -> None:
        now = clock.now()
        for counter in Counter.objects.filter(mall=mall).order_by("number"):
            if counter.status == Counter.Status.CLOSED:
                counter = actions.set_counter_status(
                    counter=counter, status=Counter.Status.OPEN, acting_user=None
                )
            if counter.status != Counter.Status.OPEN:
                continue
            current = Ticket.objects.filter(
                counter=counter, status__in=[Ticket.Status.CALLED, Ticket.Status.SERVING]
            ).first()
            try:
                if current is None:
                    called = actions.call_next_ticket(counter=counter, acting_user=None)
                    if called is not None:
                        done["called"] += 1
                        self._due[called.pk] = now + dt.timedelta(
                            seconds=30 / self.speed
                        )  # walks up
                elif current.status == Ticket.Status.CALLED and now >= self._due.get(
                    current.pk, now
                ):
                    actions.start_ticket(ticket=current, acting_user=None)
                    done["started"] += 1
                    minutes = self.rng.uniform(*self.service_minutes)
                    self._due[current.pk] = now + dt.timedelta(minutes=minutes / self.speed)
                elif current.status == Ticket.Status.SERVING and now >= self._due.get(
                    current.pk, now
                ):
                    actions.finish_ticket(
                        ticket=current, outcome=Ticket.Outcome.DONE, acting_user=None
                    )
                    done["finished"] += 1
            except QueueError:
                continue


def run_in_background(simulator: Simulator, tick_seconds: float = 2.0) -> threading.Event:
    """Run `simulator` in a daemon thread until the returned event is set."""
    stop = threading.Event()

    def loop() -> None:
        while not stop.wait(tick_seconds):
            try:
                simulator.step(tick_seconds)
            finally:
                close_old_connections()

    threading.Thread(target=loop, name="mpp-simulate", daemon=True).start()
    return stop
