"""Where a waiting ticket stands: the people ahead of it by the fairness rule, and when it will
be called, roughly (docs/adr/0028).

"People ahead" is what the counters would call before the ticket if nobody else arrived and they
kept calling now: the fairness rule (policy.calls_before, pure) run over the waiting tickets of
the queues that the counters serving the ticket's queue draw from, with each counter's count of
the priority lane. Read on every poll of the phone page: a fixed number of queries whatever the
length of the line (five, besides the ticket), and the simulation in memory.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from mpp.core import clock
from mpp.queueing.actions import normal_calls_since_priority
from mpp.queueing.models import Counter, QueueSettings, Ticket
from mpp.queueing.policy import Candidate, Lane, calls_before

# The estimate: a counter takes the median of the queue's last RECENT_SERVICES calls today, from
# the call to the end of service; without any, the service's published standard, else
# DEFAULT_MINUTES. The range runs from EARLY x the calls ahead to LATE x one call more, per
# staffed counter, in whole ROUND_MINUTES, at least MIN_SPAN_MINUTES wide.
RECENT_SERVICES = 10
DEFAULT_MINUTES = 10
EARLY, LATE = 0.75, 1.25
ROUND_MINUTES = 5
MIN_SPAN_MINUTES = 10
LONGEST_PLAUSIBLE = dt.timedelta(hours=3)  # a service "finished" hours later was left open


@dataclass(frozen=True)
class Position:
    """A waiting ticket's place: the calls before it and the counters staffed to make them."""

    ahead: int
    staffed: int  # open counters that call from the ticket's pool of queues


def position_of(ticket: Ticket, *, now: dt.datetime | None = None) -> Position:
    """The ticket's people ahead (0 when it no longer waits) and the counters open for it.

    The counters that call it are the open counters serving its queue, with every open counter
    that shares one of their queues (a Mini MPP front desk serving all queues beside a tenant's
    own counter), since their calls empty the same line. With none open, the counters that
    would serve it once opened; with none at all, one counter for its queue alone."""
    if ticket.status != Ticket.Status.WAITING:
        return Position(ahead=0, staffed=0)
    now = now or clock.now()
    links: dict[int, set[int]] = defaultdict(set)
    numbers: dict[int, tuple[str, int]] = {}
    for counter_id, queue_id, status, number in Counter.queues.through.objects.filter(
        counter__mall_id=ticket.mall_id
    ).values_list("counter_id", "queue_id", "counter__status", "counter__number"):
        links[counter_id].add(queue_id)
        numbers[counter_id] = (status, number)
    open_ids = {c for c, (status, _n) in numbers.items() if status == Counter.Status.OPEN}
    counters = _reaching(ticket.queue_id, {c: links[c] for c in open_ids})
    staffed = len(counters)
    if not counters:
        counters = _reaching(ticket.queue_id, links)
    lanes_queues = (
        [frozenset(links[c]) for c in sorted(counters, key=lambda c: numbers[c][1])]
        if counters
        else [frozenset({ticket.queue_id})]
    )
    pool = frozenset().union(*lanes_queues)
    waiting = [
        Candidate(i, p != Ticket.Priority.NONE, w, n, q)
        for i, p, w, n, q in Ticket.objects.filter(
            queue_id__in=pool, service_day=ticket.service_day, status=Ticket.Status.WAITING
        ).values_list("id", "priority", "waiting_since", "number", "queue_id")
    ]
    since = {
        queues: normal_calls_since_priority(sorted(queues), ticket.service_day)
        for queues in set(lanes_queues)
    }
    rules, _created = QueueSettings.objects.get_or_create(mall_id=ticket.mall_id)
    ahead = calls_before(
        ticket.pk,
        waiting,
        [Lane(queues, since[queues]) for queues in lanes_queues],
        now=now,
        normal_per_priority=rules.normal_per_priority,
        max_wait=dt.timedelta(minutes=rules.max_wait_minutes),
    )
    return Position(ahead=ahead, staffed=staffed)


def _reaching(queue_id: int, links: dict[int, set[int]]) -> set[int]:
    """The counters of `links` that serve `queue_id`, and those that share a queue with them,
    and so on: every counter whose calls change what is called before a ticket of the queue."""
    queues, counters = {queue_id}, set[int]()
    while True:
        more = {c for c, served in links.items() if served & queues} - counters
        if not more:
            return counters
        counters |= more
        for c in more:
            queues |= links[c]


def minutes_per_call(ticket: Ticket) -> float:
    """How long a counter of the ticket's queue takes per citizen now: the median of the queue's
    last services today (call to end), else the service's published standard."""
    recent = [
        finished - called
        for called, finished in Ticket.objects.filter(
            queue_id=ticket.queue_id,
            service_day=ticket.service_day,
            status=Ticket.Status.DONE,
            called_at__isnull=False,
            finished_at__isnull=False,
        )
        .order_by("-finished_at")
        .values_list("called_at", "finished_at")[:RECENT_SERVICES]
        if called is not None and finished is not None  # filtered above; for the type checker
    ]
    plausible = [d.total_seconds() / 60 for d in recent if dt.timedelta(0) < d <= LONGEST_PLAUSIBLE]
    if plausible:
        return max(1.0, statistics.median(plausible))
    return float(ticket.service.standard_minutes or DEFAULT_MINUTES)


def call_window(
    *, now: dt.datetime, ahead: int, staffed: int, minutes: float
) -> tuple[dt.datetime, dt.datetime]:
    """When a ticket with `ahead` calls before it is called, `staffed` counters each taking
    about `minutes` per citizen: from EARLY x the calls ahead (each counter free at once) to
    LATE x one call more (each counter has just begun a citizen), rounded outwards."""
    earliest = now + dt.timedelta(minutes=ahead / staffed * minutes * EARLY)
    latest = now + dt.timedelta(minutes=(ahead + 1) / staffed * minutes * LATE)
    earliest = _round(earliest, math.floor)
    latest = max(_round(latest, math.ceil), earliest + dt.timedelta(minutes=MIN_SPAN_MINUTES))
    return earliest, latest


def _round(moment: dt.datetime, how: Any) -> dt.datetime:
    step = ROUND_MINUTES * 60
    seconds = how(moment.timestamp() / step) * step
    return dt.datetime.fromtimestamp(seconds, tz=moment.tzinfo)


def estimate(ticket: Ticket, position: Position, *, now: dt.datetime) -> dict[str, str] | None:
    """The phone page's "perkiraan dipanggil sekitar 10.20–10.40" (mall time), None when the
    ticket no longer waits or no counter is open for it (nobody can say when one opens)."""
    if ticket.status != Ticket.Status.WAITING or position.staffed == 0:
        return None
    earliest, latest = call_window(
        now=now,
        ahead=position.ahead,
        staffed=position.staffed,
        minutes=minutes_per_call(ticket),
    )
    zone = ticket.mall.zone
    earliest, latest = earliest.astimezone(zone), latest.astimezone(zone)
    return {
        "earliest": earliest.isoformat(),
        "latest": latest.isoformat(),
        "label": _("sekitar %(from)s–%(to)s")
        % {"from": earliest.strftime("%H.%M"), "to": latest.strftime("%H.%M")},
    }
