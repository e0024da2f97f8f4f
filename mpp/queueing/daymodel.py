"""A mall's day as a discrete-event model on SimPy: citizens arrive by the hour, some booked with
a slot, some in the priority lane, some never come to the counter when called; the open counters
call by the fairness rule itself (policy.choose_next) and serve for a service's time
(docs/adr/0034).

It answers the supervisor's question — how many counters, hour by hour, keep the 90th-percentile
wait under the standard (`advise`), with the textbook M/M/c (Erlang-C) figure beside it
(`erlang_c_counters`) — and drives the estimator's bench (bench/estimator_bench.py), which looks
at the day as it runs (`Day.snapshot`) and asks the product's forecast (forecast.py).

Pure: a `DayPlan` of plain values in; `plan_for` (below, the only part that reads the
database) builds one from a mall's history, else from a built-in profile.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Callable, Generator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import simpy

from mpp.queueing.forecast import Booked, Desk, Waiting, reaching
from mpp.queueing.policy import Candidate, Lane, after_call, choose_next

if TYPE_CHECKING:
    from mpp.malls.models import Mall

# When a mall has no history: each hour's arrivals as a share of the peak hour's (08.00-15.00,
# a morning peak; Kukar's counters open at 08.00 and take numbers until 15.00), and at the peak
# each queue's counters busy PEAK_LOAD of the time on average (a mall staffs its counters where
# its citizens go; more than 1 and the line grows all morning).
PROFILE = {8: 0.65, 9: 1.0, 10: 1.0, 11: 0.85, 12: 0.5, 13: 0.65, 14: 0.55, 15: 0.3}
PEAK_LOAD = 0.85
MORE_COUNTERS = 10  # the advice may ask for this many counters beyond those the mall has


@dataclass(frozen=True)
class ServiceProfile:
    id: int
    queue: int
    share: float  # of the day's arrivals
    mean: float  # minutes a counter is taken per citizen, call to the end of service
    sd: float


@dataclass(frozen=True)
class DayPlan:
    arrivals: Mapping[int, float]  # hour of the day -> citizens expected in that hour
    services: tuple[ServiceProfile, ...]
    counters: tuple[frozenset[int], ...]  # each counter's queues, by counter number
    staffing: Mapping[int, int] | None = None  # hour -> the first n counters open; None: all
    priority_share: float = 0.15
    booking_share: float = 0.2
    show_rate: float = 0.8  # booked persons who come
    punctuality_sd: float = 6.0  # minutes around "5 minutes early"
    checkin_after: float = 15.0  # a booked person later than this joins as a walk-in
    slot_minutes: int = 30
    walk_in_no_show: float = 0.05  # called and not there (gone home, another line)
    no_show_minutes: float = 2.0  # the counter's time to call again and give up
    normal_per_priority: int = 2
    max_wait_minutes: int = 45
    exponential: bool = False  # service times exponential (M/M/c) rather than lognormal


@dataclass
class Citizen:
    id: int
    service: ServiceProfile
    priority: bool
    arrival: float  # minutes since midnight: at the mall (a booked person: at the kiosk)
    waiting_since: float  # the fairness rule's clock: arrival, or a booked person's slot start
    minutes: float  # the counter's time for them when called
    booked_slot: float | None = None
    called: float | None = None


@dataclass
class _Counter:
    index: int
    lane: Lane
    serving: Citizen | None = None
    began: float = 0.0


BASE = dt.datetime(2026, 1, 5, tzinfo=dt.UTC)  # minutes of the model as datetimes (forecast)


def at(minutes: float) -> dt.datetime:
    return BASE + dt.timedelta(minutes=minutes)


class Day:
    """One simulated day of `plan`, seeded. `run()` returns the citizens, each with its call time
    (None: never called; arrivals stop at the last hour's end and the counters then empty the
    line). `observe(day)` is called at every arrival and every `every` minutes."""

    def __init__(
        self,
        plan: DayPlan,
        *,
        seed: int,
        observe: Callable[[Day, Citizen | None], None] | None = None,
        every: float = 5.0,
        last_hour: int | None = None,
    ) -> None:
        self.plan = plan
        self.env = simpy.Environment()
        self.observe = observe
        self.every = every
        self.citizens: list[Citizen] = []
        self.waiting: list[Citizen] = []  # present, not called
        self.pending_bookings: list[Citizen] = []  # booked, not arrived (and may never come)
        self.priority_arrivals: list[tuple[float, int]] = []  # (when, queue), as they came
        self.counters = [_Counter(i, Lane(q, None)) for i, q in enumerate(plan.counters)]
        self._wake = self.env.event()
        self._to_come = 0  # citizens who will still arrive
        self._draw(seed, last_hour)

    # --- arrivals ---------------------------------------------------------------------------

    def _draw(self, seed: int, last_hour: int | None) -> None:
        """Arrival times on a unit Poisson process mapped through the day's intensity, with each
        citizen's draws from a second stream in a fixed count: more arrivals in a plan keep the
        same first citizens (common random numbers: the advice's comparisons are fair)."""
        times, traits = random.Random(seed), random.Random(seed * 7919 + 1)
        hours = sorted(h for h in self.plan.arrivals if last_hour is None or h <= last_hour)
        services = [s for s in self.plan.services if s.share > 0]
        total_share = sum(s.share for s in services)
        if not services or not hours:
            return
        clock, i = 0.0, 0
        for h in hours:
            rate = self.plan.arrivals[h] / 60  # per minute
            if rate <= 0:
                continue
            end = (h + 1) * 60.0
            clock = max(clock, h * 60.0)
            while True:
                clock += times.expovariate(rate)
                if clock >= end:
                    clock = end
                    break
                self._citizen(i, clock, traits, services, total_share)
                i += 1
            clock = end

    def _citizen(
        self,
        i: int,
        when: float,
        traits: random.Random,
        services: list[ServiceProfile],
        total: float,
    ) -> None:
        p = self.plan
        u_service, u_priority, u_booked, u_show, u_no_show = (traits.random() for _ in range(5))
        late, size = traits.gauss(-5.0, p.punctuality_sd), traits.random()
        acc, service = 0.0, services[-1]
        for s in services:
            acc += s.share / total
            if u_service < acc:
                service = s
                break
        minutes = _service_minutes(service, size, exponential=p.exponential)
        if u_no_show < p.walk_in_no_show:
            minutes = p.no_show_minutes
        priority = u_priority < p.priority_share
        if u_booked < p.booking_share and not priority:
            slot = math.floor(when / p.slot_minutes) * p.slot_minutes
            citizen = Citizen(i, service, False, slot + late, slot, minutes, booked_slot=slot)
            self.citizens.append(citizen)
            self.pending_bookings.append(citizen)
            if u_show < p.show_rate:
                if late > p.checkin_after:  # too late: a walk-in from now
                    citizen.waiting_since = citizen.arrival
                self._to_come += 1
                self.env.process(self._arrive(citizen))
            else:  # never comes: the booking is "due" until its check-in window closes
                self.env.process(self._expire(citizen))
            return
        citizen = Citizen(i, service, priority, when, when, minutes)
        self.citizens.append(citizen)
        self._to_come += 1
        self.env.process(self._arrive(citizen))

    def _arrive(self, citizen: Citizen) -> Generator[simpy.events.Event, Any, None]:
        yield self.env.timeout(max(0.0, citizen.arrival - self.env.now))
        self._to_come -= 1
        if citizen in self.pending_bookings:
            self.pending_bookings.remove(citizen)
        self.waiting.append(citizen)
        if citizen.priority:
            self.priority_arrivals.append((self.env.now, citizen.service.queue))
        if self.observe is not None:
            self.observe(self, citizen)  # what the slip says
        self._wake.succeed()
        self._wake = self.env.event()

    def _expire(self, citizen: Citizen) -> Generator[simpy.events.Event, Any, None]:
        assert citizen.booked_slot is not None
        end = citizen.booked_slot + self.plan.checkin_after
        yield self.env.timeout(max(0.0, end - self.env.now))
        self.pending_bookings.remove(citizen)

    # --- counters ---------------------------------------------------------------------------

    def _is_open(self, counter: _Counter) -> bool:
        staffing = self.plan.staffing
        if staffing is None:
            return True
        hour = int(self.env.now // 60)
        return counter.index < staffing.get(hour, staffing.get(max(staffing), 0))

    def _counter(self, counter: _Counter) -> Generator[simpy.events.Event, Any, None]:
        p = self.plan
        max_wait = dt.timedelta(minutes=p.max_wait_minutes)
        while True:
            now = self.env.now
            mine = [c for c in self.waiting if c.service.queue in counter.lane.queues]
            if not self._is_open(counter) or not mine:
                if self._done():
                    return
                to_hour = 60 - now % 60 or 60.0
                yield self._wake | self.env.timeout(to_hour)
                continue
            since = counter.lane.normal_since_priority
            choice = choose_next(
                [_candidate(c) for c in mine],
                now=at(now),
                normal_since_priority=since if since is not None else p.normal_per_priority,
                normal_per_priority=p.normal_per_priority,
                max_wait=max_wait,
            )
            assert choice is not None
            chosen = next(c for c in mine if c.id == choice.ticket_id)
            self.waiting.remove(chosen)
            chosen.called = now
            called = _candidate(chosen)
            for other in self.counters:
                other.lane = after_call(other.lane, called)
            counter.serving, counter.began = chosen, now
            yield self.env.timeout(chosen.minutes)
            counter.serving = None

    def _done(self) -> bool:
        return not self.waiting and self._to_come == 0

    def _watch(self) -> Generator[simpy.events.Event, Any, None]:
        while not self._done():
            if self.observe is not None:
                self.observe(self, None)
            yield self.env.timeout(self.every)

    def run(self) -> list[Citizen]:
        for counter in self.counters:
            self.env.process(self._counter(counter))
        if self.observe is not None:
            first = min((c.arrival for c in self.citizens), default=0.0)
            self.env.process(self._delayed_watch(first))
        self.env.run(until=48 * 60)
        return self.citizens

    def _delayed_watch(self, first: float) -> Generator[simpy.events.Event, Any, None]:
        yield self.env.timeout(max(0.0, first))
        yield self.env.process(self._watch())

    # --- what the estimator sees (bench) ----------------------------------------------------

    def snapshot(self, queue: int) -> Snapshot:
        """The pool of `queue` as position.position_of reads it from the database: the waiting
        tickets of the queues its open counters draw from, those counters (their lanes and who
        they serve since when), the bookings due (not arrived, window still open), and the
        priority lane's arrivals of the last hour per queue."""
        open_counters = {c.index: c for c in self.counters if self._is_open(c)}
        links = {i: set(c.lane.queues) for i, c in open_counters.items()}
        pool_counters = sorted(reaching(queue, links))
        pool = frozenset().union(*(links[i] for i in pool_counters)) if pool_counters else {queue}
        waiting = [
            Waiting(_candidate(c), c.service.id) for c in self.waiting if c.service.queue in pool
        ]
        desks = []
        for i in pool_counters:
            counter = open_counters[i]
            serving = counter.serving
            desks.append(
                Desk(counter.lane, serving.service.id, at(counter.began))
                if serving is not None
                else Desk(counter.lane)
            )
        now = self.env.now
        booked = [
            Booked(at(c.booked_slot), c.service.id, c.service.queue)
            for c in self.pending_bookings
            if c.booked_slot is not None
            and c.service.queue in pool
            and c.booked_slot >= now - self.plan.checkin_after
        ]
        recent: dict[int, float] = {}
        for when, q in reversed(self.priority_arrivals):
            if when < now - 60:
                break
            if q in pool:
                recent[q] = recent.get(q, 0.0) + 1
        return Snapshot(waiting, desks, booked, recent)


@dataclass(frozen=True)
class Snapshot:
    waiting: list[Waiting]
    desks: list[Desk]
    booked: list[Booked]
    priority_per_hour: dict[int, float]


def _candidate(c: Citizen) -> Candidate:
    return Candidate(c.id, c.priority, at(c.waiting_since), c.id, c.service.queue)


def _service_minutes(s: ServiceProfile, u: float, *, exponential: bool) -> float:
    """The u-quantile of the service's time: exponential, or lognormal with its mean and sd."""
    u = min(max(u, 1e-9), 1 - 1e-9)
    if exponential:
        return -s.mean * math.log(1 - u)
    sigma2 = math.log(1 + (s.sd / s.mean) ** 2)
    mu = math.log(s.mean) - sigma2 / 2
    return math.exp(mu + math.sqrt(sigma2) * _normal_quantile(u))


def _normal_quantile(u: float) -> float:
    from statistics import NormalDist

    return NormalDist().inv_cdf(u)


# --- staffing advice ------------------------------------------------------------------------


@dataclass(frozen=True)
class HourAdvice:
    hour: int
    arrivals: float
    counters: int  # the model's: the p90 wait of that hour's arrivals under the standard
    p90_wait: float  # minutes, with those counters
    erlang_c: int  # the textbook M/M/c figure
    reached: bool = True  # False: even the most counters tried did not keep under it


def erlang_c_wait_probability(
    c: int, arrivals_per_hour: float, mean_minutes: float, t: float
) -> float:
    """P(wait > t minutes) in an M/M/c queue (Erlang C); 1 when the queue is unstable."""
    lam, mu = arrivals_per_hour / 60, 1 / mean_minutes
    a = lam / mu
    if c <= a:
        return 1.0
    term, total = 1.0, 1.0  # a^k / k!, from k = 0
    for k in range(1, c):
        term *= a / k
        total += term
    top = term * a / c * c / (c - a)  # a^c / c! * c / (c - a)
    waits = top / (total + top)
    return waits * math.exp(-(c * mu - lam) * t)


def erlang_c_counters(
    arrivals_per_hour: float, mean_minutes: float, t: float, *, share: float = 0.1
) -> int:
    """The fewest counters with P(wait > t) ≤ share, by Erlang C (0 when nobody arrives)."""
    if arrivals_per_hour <= 0:
        return 0
    c = max(1, math.floor(arrivals_per_hour / 60 * mean_minutes))
    while erlang_c_wait_probability(c, arrivals_per_hour, mean_minutes, t) > share:
        c += 1
    return c


def groups(plan: DayPlan) -> list[DayPlan]:
    """The plan split into lines that share no counter (a tenant's counters and its queue), each
    a plan of its own: they do not wait for each other."""
    remaining = dict(enumerate(plan.counters))
    out = []
    queues_served: set[int] = set()
    while remaining:
        first = next(iter(remaining))
        members = reaching(next(iter(remaining[first])), {i: set(q) for i, q in remaining.items()})
        queues = frozenset().union(*(remaining[i] for i in members))
        counters = tuple(remaining.pop(i) for i in sorted(members))
        queues_served |= queues
        services = tuple(s for s in plan.services if s.queue in queues)
        share = sum(s.share for s in plan.services)
        mine = sum(s.share for s in services)
        if not services or share <= 0 or mine <= 0:
            continue
        out.append(
            replace(
                plan,
                services=services,
                counters=counters,
                arrivals={h: n * mine / share for h, n in plan.arrivals.items()},
            )
        )
    return out


def _p90(values: Sequence[float]) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(0.9 * len(ordered)) - 1)]


def advise(plan: DayPlan, *, days: int, seed: int, standard_minutes: float) -> list[HourAdvice]:
    """Counters per hour for the whole mall: per line (`groups`), hour by hour in order, the
    fewest counters whose simulated days keep the 90th percentile of that hour's arrivals' waits
    under `standard_minutes`, the hours before at their advice and the hours after as many as
    this one; summed over the lines. Erlang C beside it, per line from that hour's arrivals and
    its mean service time, summed."""
    hours = sorted(plan.arrivals)
    totals = {h: [0.0, 0, 0.0, 0, True] for h in hours}
    for line in groups(plan):
        mean = sum(s.share * s.mean for s in line.services) / sum(s.share for s in line.services)
        most = len(line.counters) + MORE_COUNTERS
        # More counters than the line has: copies of its first counter.
        counters = line.counters + tuple(line.counters[0] for _ in range(MORE_COUNTERS))
        line = replace(line, counters=counters)
        chosen: dict[int, int] = {}
        for h in hours:
            best, best_p90, reached = most, math.inf, False
            for c in range(1, most + 1):
                staffing = {**chosen, **{k: c for k in hours if k >= h}}
                p90 = _hour_p90(replace(line, staffing=staffing), h, days=days, seed=seed)
                if p90 <= standard_minutes:
                    best, best_p90, reached = c, p90, True
                    break
                best_p90 = p90
            if line.arrivals.get(h, 0) <= 0:
                best, best_p90, reached = 0, 0.0, True
            chosen[h] = max(best, 1)  # one counter at least, for those still waiting
            row = totals[h]
            row[0] += line.arrivals.get(h, 0.0)
            row[1] += best
            row[2] = max(row[2], best_p90)
            row[3] += erlang_c_counters(line.arrivals.get(h, 0.0), mean, standard_minutes)
            row[4] = row[4] and reached
    return [
        HourAdvice(h, float(r[0]), int(r[1]), float(r[2]), int(r[3]), bool(r[4]))
        for h, r in ((h, totals[h]) for h in hours)
    ]


def _hour_p90(plan: DayPlan, hour: int, *, days: int, seed: int) -> float:
    """The 90th percentile of the waits of `hour`'s arrivals over `days` seeded days (arrivals
    after the next hour cannot come before them and are left out)."""
    waits: list[float] = []
    for d in range(days):
        for c in Day(plan, seed=seed + d, last_hour=hour + 1).run():
            if int(c.arrival // 60) == hour and c.called is not None:
                waits.append(max(0.0, c.called - c.arrival))
    return _p90(waits)


# --- from the database ----------------------------------------------------------------------


def plan_for(mall: Mall, *, day: dt.date, weeks: int = 4) -> tuple[DayPlan, bool]:
    """The day model of `mall` on `day` from its last `weeks` weeks: tickets per hour of the day
    (per day with tickets), the services' shares and times (position.service_stats' blend with
    the published standard), the priority and no-show shares, bookings and their show-up rate,
    the counters and their queues, the mall's queue rules. Without history (fewer than
    MIN_HISTORY tickets) the built-in PROFILE. Returns the plan and whether history was used."""
    from django.db.models import Count, Q
    from django.db.models.functions import ExtractHour
    from django.utils import timezone

    from mpp.appointments.models import Appointment
    from mpp.catalog.models import Service, minutes_of
    from mpp.queueing.issuing import settings_of
    from mpp.queueing.models import Counter, Queue, Ticket
    from mpp.queueing.position import LONGEST_PLAUSIBLE_MINUTES, blended

    first = day - dt.timedelta(weeks=weeks)
    tickets = Ticket.objects.filter(mall=mall, service_day__gte=first, service_day__lt=day)
    queues = list(Queue.objects.filter(mall=mall).values_list("pk", flat=True))
    links: dict[int, set[int]] = {}
    numbers: dict[int, int] = {}
    for counter_id, queue_id, number in Counter.queues.through.objects.filter(
        counter__mall=mall
    ).values_list("counter_id", "queue_id", "counter__number"):
        links.setdefault(counter_id, set()).add(queue_id)
        numbers[counter_id] = number
    counters = tuple(frozenset(links[c]) for c in sorted(links, key=numbers.__getitem__))
    if not counters:
        counters = tuple(frozenset({q}) for q in queues)
    services: dict[int, tuple[int, float | None]] = {}
    for service_id, value, unit, queue_id in (
        Service.objects.active()
        .offered_at(mall)
        .filter(tenant__queues__mall=mall)
        .values_list("id", "duration_value", "duration_unit", "tenant__queues")
    ):
        if service_id not in services:
            standard = minutes_of(value, unit)
            services[service_id] = (queue_id, float(standard) if standard else None)
    with timezone.override(mall.zone):
        by_hour = dict(
            tickets.annotate(h=ExtractHour("issued_at"))
            .values_list("h")
            .annotate(n=Count("id"))
            .values_list("h", "n")
        )
    count = sum(by_hour.values())
    days_seen = tickets.values("service_day").distinct().count()
    used_history = count >= MIN_HISTORY and days_seen > 0
    if used_history:
        arrivals = {int(h): n / days_seen for h, n in by_hour.items()}
        per_service = dict(
            tickets.values_list("service_id").annotate(n=Count("id")).values_list("service_id", "n")
        )
        shares = {s: float(per_service.get(s, 0)) for s in services}
        if not any(shares.values()):
            shares = dict.fromkeys(services, 1.0)
        figures = tickets.aggregate(
            n=Count("id"),
            priority=Count("id", filter=~Q(priority=Ticket.Priority.NONE)),
            no_show=Count("id", filter=Q(status=Ticket.Status.NO_SHOW)),
        )
        priority_share = figures["priority"] / figures["n"]
        no_show = figures["no_show"] / figures["n"]
    else:
        # Each queue's peak-hour arrivals: PEAK_LOAD of what its counters serve in an hour.
        served_by = {q: sum(1 for c in counters if q in c) for q in queues}
        in_queue: dict[int, list[int]] = {}
        for s, (q, _standard) in services.items():
            in_queue.setdefault(q, []).append(s)
        shares = {}
        for q, members in in_queue.items():
            mean = sum(blended([], services[s][1]).mean for s in members) / len(members)
            peak = PEAK_LOAD * max(served_by.get(q, 0), 1) * 60 / mean
            shares.update({s: peak / len(members) for s in members})
        peak_total = sum(shares.values())
        arrivals = {h: peak_total * share for h, share in PROFILE.items()}
        priority_share, no_show = 0.15, 0.05
    # The services' times over whole days (the estimate reads the hours around its moment).
    minutes: dict[int, list[float]] = {}
    for service_id, called, finished in tickets.filter(
        status__in=[Ticket.Status.DONE, Ticket.Status.NO_SHOW],
        called_at__isnull=False,
        finished_at__isnull=False,
    ).values_list("service_id", "called_at", "finished_at"):
        if called is None or finished is None:  # filtered above; for the type checker
            continue
        d = (finished - called).total_seconds() / 60
        if 0 < d <= LONGEST_PLAUSIBLE_MINUTES:
            minutes.setdefault(service_id, []).append(d)
    stats = {s: blended(minutes.get(s, []), standard) for s, (_q, standard) in services.items()}
    bookings = Appointment.objects.filter(mall=mall, slot__date__gte=first, slot__date__lt=day)
    booked = bookings.aggregate(
        came=Count("id", filter=Q(status=Appointment.Status.CHECKED_IN)),
        missed=Count("id", filter=Q(status=Appointment.Status.NO_SHOW)),
    )
    decided = booked["came"] + booked["missed"]
    show_rate = booked["came"] / decided if decided else 0.8
    booking_share = min(0.5, decided / count) if used_history and decided else 0.2
    rules = settings_of(mall)
    profiles = tuple(
        ServiceProfile(s, q, shares[s], stats[s].mean, stats[s].sd)
        for s, (q, _standard) in sorted(services.items())
    )
    return (
        DayPlan(
            arrivals=arrivals,
            services=profiles,
            counters=counters,
            priority_share=priority_share,
            walk_in_no_show=no_show,
            booking_share=booking_share,
            show_rate=show_rate,
            normal_per_priority=rules.normal_per_priority,
            max_wait_minutes=rules.max_wait_minutes,
        ),
        used_history,
    )


MIN_HISTORY = 200
