"""Where a waiting ticket stands: the people ahead of it by the fairness rule, and when it will
be called, roughly (docs/adr/0028, the estimate: docs/adr/0034).

"People ahead" is what the counters would call before the ticket if nobody else arrived and they
kept calling now: the fairness rule (policy.calls_before, pure) run over the waiting tickets of
the queues that the counters serving the ticket's queue draw from, with each counter's count of
the priority lane. Read on every poll of the phone page: a fixed number of queries whatever the
length of the line (five, besides the ticket), and the simulation in memory. The estimate adds
three reads (the pool's services, their recent times, the bookings due) and, when its range
moved, the last stored estimate and one insert (CallEstimate, scored against the call).
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mpp.appointments.queries import booked_due
from mpp.catalog.models import Service, minutes_of
from mpp.core import clock
from mpp.core.db import write_transaction
from mpp.malls.models import Mall
from mpp.queueing.actions import normal_calls_since_priority
from mpp.queueing.forecast import (
    Booked,
    Desk,
    Forecast,
    ServiceStats,
    Waiting,
    forecast,
    naive,
    reaching,
)
from mpp.queueing.models import CallEstimate, Counter, QueueSettings, Ticket
from mpp.queueing.policy import Candidate, Lane, calls_before

# Service times (service_stats): the last HISTORY_DAYS days' calls within HOURS_AROUND hours of
# the hour, at most HISTORY_ROWS, blended with the published standard (else DEFAULT_MINUTES, with
# a spread of SPREAD of it) as PRIOR_SERVICES services would be. Calls over
# LONGEST_PLAUSIBLE_MINUTES were left open and are ignored. A booking whose slot began more than
# BOOKED_GRACE ago can no longer check in on time (appointments' default window).
HISTORY_DAYS = 28
HOURS_AROUND = 1
HISTORY_ROWS = 1500
DEFAULT_MINUTES = 10.0
SPREAD = 0.5
PRIOR_SERVICES = 5
LONGEST_PLAUSIBLE_MINUTES = 180
BOOKED_GRACE = dt.timedelta(minutes=15)
BUSY = (Ticket.Status.CALLED, Ticket.Status.SERVING)


@dataclass(frozen=True)
class Position:
    """A waiting ticket's place: the calls before it and the counters staffed to make them;
    with what the estimate walks (forecast.py): the pool's waiting tickets, its open desks."""

    ahead: int
    staffed: int  # open counters that call from the ticket's pool of queues
    waiting: tuple[Waiting, ...] = ()
    desks: tuple[Desk, ...] = ()
    normal_per_priority: int = 2
    max_wait: dt.timedelta = dt.timedelta(minutes=45)
    priority_per_hour: dict[int, float] = field(default_factory=dict)


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
    counters = reaching(ticket.queue_id, {c: links[c] for c in open_ids})
    staffed = len(counters)
    if not counters:
        counters = reaching(ticket.queue_id, links)
    ordered = sorted(counters, key=lambda c: numbers[c][1])
    lanes_queues = (
        [frozenset(links[c]) for c in ordered] if counters else [frozenset({ticket.queue_id})]
    )
    pool = frozenset().union(*lanes_queues)
    waiting, busy, priority_per_hour = _pool_now(pool, ticket.service_day, now=now)
    since = {
        queues: normal_calls_since_priority(sorted(queues), ticket.service_day)
        for queues in set(lanes_queues)
    }
    rules, _created = QueueSettings.objects.get_or_create(mall_id=ticket.mall_id)
    lanes = [Lane(queues, since[queues]) for queues in lanes_queues]
    max_wait = dt.timedelta(minutes=rules.max_wait_minutes)
    ahead = calls_before(
        ticket.pk,
        [w.candidate for w in waiting],
        lanes,
        now=now,
        normal_per_priority=rules.normal_per_priority,
        max_wait=max_wait,
    )
    desks = tuple(
        Desk(lane, *busy.get(counter, (None, None)))
        for counter, lane in zip(ordered, lanes, strict=False)
        if counter in open_ids
    )
    return Position(
        ahead=ahead,
        staffed=staffed,
        waiting=tuple(waiting),
        desks=desks,
        normal_per_priority=rules.normal_per_priority,
        max_wait=max_wait,
        priority_per_hour=dict(priority_per_hour),
    )


def pool_services(queues: frozenset[int]) -> dict[int, tuple[int, float | None]]:
    """The services whose tickets the pool's queues take: service -> (queue, the published
    same-visit standard in minutes or None). One query."""
    out: dict[int, tuple[int, float | None]] = {}
    for service_id, value, unit, queue_id in Service.objects.filter(
        tenant__queues__in=queues
    ).values_list("id", "duration_value", "duration_unit", "tenant__queues"):
        if service_id not in out:
            standard = minutes_of(value, unit)
            out[service_id] = (queue_id, float(standard) if standard else None)
    return out


def service_stats(
    mall_id: int,
    standards: dict[int, float | None],
    *,
    now: dt.datetime,
    day: dt.date,
    zone: ZoneInfo,
) -> dict[int, ServiceStats]:
    """Minutes a counter is taken per call of each service (call to the end, no-shows and all)
    at this mall: the last HISTORY_DAYS days' calls within HOURS_AROUND hours of this hour of
    the day (today's included), the most recent HISTORY_ROWS, blended with the published
    standard (else DEFAULT_MINUTES, spread SPREAD) as if it were PRIOR_SERVICES services: a
    service with little history leans on its standard. One query."""
    hour = now.astimezone(zone).hour
    with timezone.override(zone):
        rows = list(
            Ticket.objects.filter(
                mall_id=mall_id,
                service_id__in=list(standards),
                service_day__gte=day - dt.timedelta(days=HISTORY_DAYS),
                status__in=[Ticket.Status.DONE, Ticket.Status.NO_SHOW],
                called_at__isnull=False,
                finished_at__isnull=False,
                called_at__hour__in=list(range(hour - HOURS_AROUND, hour + HOURS_AROUND + 1)),
            )
            .order_by("-called_at")
            .values_list("service_id", "called_at", "finished_at")[:HISTORY_ROWS]
        )
    minutes: dict[int, list[float]] = defaultdict(list)
    for service_id, called, finished in rows:
        if called is None or finished is None:  # filtered above; for the type checker
            continue
        d = (finished - called).total_seconds() / 60
        if 0 < d <= LONGEST_PLAUSIBLE_MINUTES:
            minutes[service_id].append(d)
    return {s: blended(minutes.get(s, []), standard) for s, standard in standards.items()}


def blended(history: list[float], standard: float | None) -> ServiceStats:
    """The history's mean and spread, pulled towards the standard as PRIOR_SERVICES services."""
    prior = standard or DEFAULT_MINUTES
    prior_var = (SPREAD * prior) ** 2
    n = len(history)
    if n == 0:
        return ServiceStats(prior, math.sqrt(prior_var))
    mean = (sum(history) + PRIOR_SERVICES * prior) / (n + PRIOR_SERVICES)
    var_h = statistics.pvariance(history) if n > 1 else prior_var
    var = (n * var_h + PRIOR_SERVICES * prior_var) / (n + PRIOR_SERVICES)
    return ServiceStats(max(1.0, mean), math.sqrt(var))


def estimate(
    ticket: Ticket,
    position: Position,
    *,
    now: dt.datetime,
    shown: str | None = None,
) -> dict[str, str] | None:
    """The phone page's "perkiraan dipanggil sekitar 10.20–10.35" (mall time), None when the
    ticket no longer waits or no counter is open for it (nobody can say when one opens).

    The forecast (forecast.py) walks the open desks of the ticket's pool by the fairness rule,
    with each service's recent times and the bookings due today. `shown` (CallEstimate.Shown)
    stores the estimate to be scored against the call, when it differs from the last one
    stored for the ticket: a page polled every 15 seconds writes only when its range moves."""
    if ticket.status != Ticket.Status.WAITING or position.staffed == 0 or not position.desks:
        return None
    zone = ticket.mall.zone
    pool = frozenset().union(*(d.lane.queues for d in position.desks))
    services = pool_services(pool)
    for w in position.waiting:  # a ticket of a service its tenant no longer has: still timed
        services.setdefault(w.service, (w.candidate.queue, None))
    stats = service_stats(
        ticket.mall_id,
        {s: standard for s, (_q, standard) in services.items()},
        now=now,
        day=ticket.service_day,
        zone=zone,
    )
    booked = [
        Booked(b.start, b.service_id, services[b.service_id][0])
        for b in booked_due(mall_id=ticket.mall_id, service_ids=services, day=ticket.service_day)
        if b.start >= now - BOOKED_GRACE and b.service_id in services
    ]
    found = forecast(
        ticket.pk,
        position.waiting,
        position.desks,
        stats,
        now=now,
        normal_per_priority=position.normal_per_priority,
        max_wait=position.max_wait,
        booked=booked,
        priority_per_hour=position.priority_per_hour,
    )
    if found is None:
        return None
    if shown:
        means = [stats[w.service].mean for w in position.waiting if w.service in stats]
        simple = naive(
            now=now,
            ahead=position.ahead,
            mean_minutes=statistics.fmean(means) if means else DEFAULT_MINUTES,
            staffed=position.staffed,
        )
        _store(ticket, found, simple, position, shown=shown, now=now)
    earliest, latest = found.earliest.astimezone(zone), found.latest.astimezone(zone)
    return {
        "earliest": earliest.isoformat(),
        "latest": latest.isoformat(),
        "expected": found.expected.astimezone(zone).isoformat(timespec="seconds"),
        "from": earliest.strftime("%H:%M"),
        "to": latest.strftime("%H:%M"),
        "label": _("sekitar %(from)s–%(to)s")
        % {"from": earliest.strftime("%H.%M"), "to": latest.strftime("%H.%M")},
    }


def _store(
    ticket: Ticket,
    found: Forecast,
    simple: dt.datetime,
    position: Position,
    *,
    shown: str,
    now: dt.datetime,
) -> None:
    """One row per range given, not per poll: written only when it differs from the last."""
    last = (
        CallEstimate.objects.filter(ticket=ticket)
        .order_by("-made_at", "-id")
        .values_list("earliest", "latest")
        .first()
    )
    if last == (found.earliest, found.latest):
        return
    with write_transaction():
        CallEstimate.objects.create(
            ticket=ticket,
            made_at=now,
            shown=shown,
            ahead=position.ahead,
            staffed=position.staffed,
            earliest=found.earliest,
            latest=found.latest,
            expected=found.expected,
            naive=simple,
        )


def new_number_estimates(mall: Mall, *, day: dt.date, now: dt.datetime) -> dict[int, str]:
    """The mall page's "nomor baru: sekitar 10.20–10.35" per queue with an open counter: when a
    normal number taken now would be called, by the same forecast as a ticket's (a ticket
    arriving last, of the queue's average service). The counters' priority counts are not read
    (two queries per queue): the priority lane's turn is taken as due, the cautious side. Five
    queries whatever the number of queues; nothing stored (no ticket was given it)."""
    links: dict[int, set[int]] = defaultdict(set)
    for counter_id, queue_id in Counter.queues.through.objects.filter(
        counter__mall_id=mall.pk, counter__status=Counter.Status.OPEN
    ).values_list("counter_id", "queue_id"):
        links[counter_id].add(queue_id)
    queues = frozenset().union(*links.values()) if links else frozenset()
    if not queues:
        return {}
    waiting, busy, priority_per_hour = _pool_now(frozenset(queues), day, now=now)
    services = pool_services(queues)
    for x in waiting:
        services.setdefault(x.service, (x.candidate.queue, None))
    zone = mall.zone
    stats = service_stats(
        mall.pk,
        {s: standard for s, (_q, standard) in services.items()},
        now=now,
        day=day,
        zone=zone,
    )
    booked = [
        Booked(b.start, b.service_id, services[b.service_id][0])
        for b in booked_due(mall_id=mall.pk, service_ids=services, day=day)
        if b.start >= now - BOOKED_GRACE and b.service_id in services
    ]
    rules = settings_of_mall(mall.pk)
    out: dict[int, str] = {}
    for queue_id in sorted(queues):
        counters = sorted(reaching(queue_id, links))
        pool = frozenset().union(*(links[c] for c in counters))
        mine = [stats[s] for s, (q, _std) in services.items() if q == queue_id and s in stats]
        average = (
            ServiceStats(
                statistics.fmean(s.mean for s in mine),
                math.sqrt(statistics.fmean(s.sd**2 for s in mine)),
            )
            if mine
            else ServiceStats(DEFAULT_MINUTES, SPREAD * DEFAULT_MINUTES)
        )
        newcomer = Waiting(Candidate(0, False, now, 10**9, queue_id), 0)
        found = forecast(
            0,
            [x for x in waiting if x.candidate.queue in pool] + [newcomer],
            [Desk(Lane(frozenset(links[c]), None), *busy.get(c, (None, None))) for c in counters],
            {**stats, 0: average},
            now=now,
            normal_per_priority=rules.normal_per_priority,
            max_wait=dt.timedelta(minutes=rules.max_wait_minutes),
            booked=[b for b in booked if b.queue in pool],
            priority_per_hour={q: r for q, r in priority_per_hour.items() if q in pool},
        )
        if found is not None:
            earliest, latest = found.earliest.astimezone(zone), found.latest.astimezone(zone)
            out[queue_id] = _("sekitar %(from)s–%(to)s") % {
                "from": earliest.strftime("%H.%M"),
                "to": latest.strftime("%H.%M"),
            }
    return out


def settings_of_mall(mall_id: int) -> QueueSettings:
    rules, _created = QueueSettings.objects.get_or_create(mall_id=mall_id)
    return rules


def _pool_now(
    queues: frozenset[int], day: dt.date, *, now: dt.datetime
) -> tuple[list[Waiting], dict[int, tuple[int, dt.datetime]], dict[int, float]]:
    """One read of the pool's day: its waiting tickets, each busy counter's citizen (service,
    call time), and the last hour's priority arrivals per queue."""
    waiting: list[Waiting] = []
    busy: dict[int, tuple[int, dt.datetime]] = {}  # counter: its citizen's service, call time
    priority_per_hour: dict[int, float] = defaultdict(float)  # the last hour's, by queue
    recent = now - dt.timedelta(hours=1)
    for i, p, w, n, q, service, status, counter, called, issued in Ticket.objects.filter(
        Q(status__in=[Ticket.Status.WAITING, *BUSY])
        | Q(issued_at__gte=recent) & ~Q(priority=Ticket.Priority.NONE),
        queue_id__in=queues,
        service_day=day,
    ).values_list(
        "id",
        "priority",
        "waiting_since",
        "number",
        "queue_id",
        "service_id",
        "status",
        "counter_id",
        "called_at",
        "issued_at",
    ):
        if p != Ticket.Priority.NONE and issued >= recent:
            priority_per_hour[q] += 1
        if status == Ticket.Status.WAITING:
            waiting.append(Waiting(Candidate(i, p != Ticket.Priority.NONE, w, n, q), service))
        elif status in BUSY and counter is not None and called is not None:
            busy[counter] = (service, called)
    return waiting, busy, priority_per_hour
