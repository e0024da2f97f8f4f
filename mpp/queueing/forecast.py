"""When a waiting ticket will be called: the counters stepped forward in expected time, each
calling by the fairness rule itself (docs/adr/0034).

Pure: plain values in, a Forecast out; no database. `position.estimate` feeds it from the
database for the phone page, the slip and the API; `bench/estimator_bench.py` feeds it from the
SimPy day model (daymodel.py) to score it.

The walk: every counter (a `Desk`) is free at some moment — now when idle, else when its current
citizen is expected to be done. The earliest-free desk calls next, by `policy.choose_next` over
the waiting tickets of its queues as they stand at that moment (a ticket past the maximum wait by
then is overdue then), and is busy for the expected service time of the ticket it called. A booked
person who has not checked in yet is a candidate from their slot's start (they wait from it, so
they come before walk-ins who arrived later), weighted by the show-up rate: a desk that calls one
is busy for `show_rate` of a service. The walk stops when the target is called: its expected time.

The range: each service's variance is summed along the way (a desk's remaining service, then every
service called before the target), pooled over the desks (the desks share the work: the target's
call time is the total work ahead divided among them), and widened by what the walk cannot see
(citizens not yet arrived in the priority lane, a pause, a no-show): RELATIVE of the minutes
ahead and ABSOLUTE minutes. The range is expected − Z_EARLY·sd to expected + Z_LATE·sd, rounded
outwards to ROUND_MINUTES and at least MIN_SPAN_MINUTES wide; the constants are calibrated on the
bench so that about 85 % of calls land inside (docs/BENCHMARKS.md).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict, deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from statistics import NormalDist

from mpp.queueing.policy import Candidate, Lane, after_call, choose_next

# Calibrated on bench/estimator_bench.py (docs/adr/0034): share of calls inside the range.
Z_EARLY = 1.0
Z_LATE = 1.2
RELATIVE = 0.12  # of the minutes ahead: arrivals to the priority lane, pauses, unseen no-shows
ABSOLUTE = 2.0  # minutes: a citizen walking up, an officer's call a little late
ROUND_MINUTES = 5
MIN_SPAN_MINUTES = 10
# A citizen at the counter longer than the mean still needs a little: at least this share of it.
RESIDUAL_SHARE = 0.2
SHOW_RATE = 0.8  # booked persons who come, when the mall has no figure of its own
HORIZON_MINUTES = 12 * 60  # no forecast beyond a (long) day


@dataclass(frozen=True)
class ServiceStats:
    """Minutes a counter is taken per call of a service (call to the end), mean and spread."""

    mean: float
    sd: float


@dataclass(frozen=True)
class Waiting:
    """A waiting ticket as the rule sees it, with its service (for how long it takes)."""

    candidate: Candidate
    service: int


@dataclass(frozen=True)
class Booked:
    """A booked person not checked in yet: from `start` on they count as waiting since then."""

    start: dt.datetime
    service: int
    queue: int


@dataclass(frozen=True)
class Desk:
    """An open counter: its lane (queues, priority count) and the citizen it serves now, if
    any — their service and when they were called."""

    lane: Lane
    service: int | None = None
    began: dt.datetime | None = None


@dataclass(frozen=True)
class Forecast:
    expected: dt.datetime
    earliest: dt.datetime
    latest: dt.datetime
    ahead: int  # walk-ins and checked-in tickets called before the target in the walk
    booked_ahead: int  # booked persons (not yet checked in) called before it


def forecast(
    target_id: int,
    waiting: Sequence[Waiting],
    desks: Sequence[Desk],
    stats: Mapping[int, ServiceStats],
    *,
    now: dt.datetime,
    normal_per_priority: int,
    max_wait: dt.timedelta,
    booked: Sequence[Booked] = (),
    show_rate: float = SHOW_RATE,
    priority_per_hour: Mapping[int, float] | None = None,
    default: ServiceStats = ServiceStats(10.0, 5.0),
) -> Forecast | None:
    """The expected call time of `target_id` and its range, or None when no desk will call it
    (no desk serves its queue, or it is not among `waiting`).

    `priority_per_hour` (queue: citizens an hour, the last hour's count): the priority lane's
    citizens still to come, evenly spaced from now, each taking the mean time of its queue's
    waiting services — they may be called before the target, as the rule calls them."""
    target = next((w for w in waiting if w.candidate.id == target_id), None)
    if target is None or not any(target.candidate.queue in d.lane.queues for d in desks):
        return None
    lines: dict[tuple[int, str], deque[Candidate]] = defaultdict(deque)
    service_of: dict[int, int] = {}
    for w in sorted(waiting, key=lambda w: (w.candidate.waiting_since, w.candidate.number)):
        c = w.candidate
        lines[(c.queue, "priority" if c.is_priority else "normal")].append(c)
        service_of[c.id] = w.service
    for i, b in enumerate(sorted(booked, key=lambda b: b.start)):
        c = Candidate(-(i + 1), False, b.start, 0, b.queue)  # ids below 0: never a ticket's
        lines[(b.queue, "booked")].append(c)
        service_of[c.id] = b.service

    def of(service: int | None) -> ServiceStats:
        return stats.get(service, default) if service is not None else default

    # The priority lane's citizens still to come: one line per queue, the next one made when
    # the last is called (ids below -10**6). Their time: the mean of the queue's waiting.
    spacing = {q: 60 / r for q, r in (priority_per_hour or {}).items() if r > 0}
    coming_stats: dict[int, ServiceStats] = {}
    for q in spacing:
        mine = [of(service_of[c.id]) for kind in ("priority", "normal") for c in lines[(q, kind)]]
        coming_stats[q] = (
            ServiceStats(
                sum(s.mean for s in mine) / len(mine),
                math.sqrt(sum(s.sd**2 for s in mine) / len(mine)),
            )
            if mine
            else default
        )
    made = dict.fromkeys(spacing, 0)

    def come(q: int) -> None:
        j = made[q]
        made[q] += 1
        when = now + dt.timedelta(minutes=(j + 0.5) * spacing[q])
        lines[(q, "coming")].append(Candidate(-(10**6) - j, True, when, 0, q))

    for q in spacing:
        come(q)

    # Per desk: minutes from now until it is free; the variance gathered from every desk.
    free: list[float] = []
    variance = 0.0
    for d in desks:
        if d.service is None or d.began is None:
            free.append(0.0)
            continue
        remaining, spread = residual(of(d.service), (now - d.began).total_seconds() / 60)
        free.append(remaining)
        variance += spread**2
    lanes = [d.lane for d in desks]
    working = len(desks)
    ahead = booked_ahead = 0
    while True:
        i = min(range(len(free)), key=lambda j: (free[j], j))
        if free[i] > HORIZON_MINUTES:
            return None  # every desk has run out of tickets it may call: never called
        at = now + dt.timedelta(minutes=free[i])
        lane = lanes[i]
        heads = []
        next_booking = math.inf
        for q in lane.queues:
            for kind in ("priority", "normal", "booked", "coming"):
                line = lines.get((q, kind))
                if not line:
                    continue
                if kind in ("booked", "coming") and line[0].waiting_since > at:
                    wait = (line[0].waiting_since - now).total_seconds() / 60
                    next_booking = min(next_booking, wait)
                    continue
                heads.append(line[0])
        since = lane.normal_since_priority
        choice = choose_next(
            heads,
            now=at,
            normal_since_priority=since if since is not None else normal_per_priority,
            normal_per_priority=normal_per_priority,
            max_wait=max_wait,
        )
        if choice is None:
            free[i] = next_booking  # idle until a booked person may come, or for good
            continue
        if choice.ticket_id == target_id:
            middle, earliest, latest = _ranged(now, at, variance, working)
            return Forecast(middle, earliest, latest, ahead=ahead, booked_ahead=booked_ahead)
        chosen = next(c for c in heads if c.id == choice.ticket_id)
        if chosen.id <= -(10**6):  # a priority citizen still to come
            lines[(chosen.queue, "coming")].popleft()
            come(chosen.queue)
            s = coming_stats[chosen.queue]
            mean = s.mean
            variance += s.sd**2
            free[i] += mean
            lanes = [after_call(other, chosen) for other in lanes]
            continue
        lines[(chosen.queue, "booked" if chosen.id < 0 else kind_of(chosen))].popleft()
        s = of(service_of[chosen.id])
        if chosen.id < 0:
            # Comes with probability show_rate: the mean and variance of that mixture.
            mean = show_rate * s.mean
            variance += show_rate * (s.sd**2 + s.mean**2) - mean**2
            booked_ahead += 1
        else:
            mean = s.mean
            variance += s.sd**2
            ahead += 1
        free[i] += mean
        lanes = [after_call(other, chosen) for other in lanes]


_NORMAL = NormalDist()


def residual(s: ServiceStats, elapsed: float) -> tuple[float, float]:
    """The mean and spread of what is left of a service that has lasted `elapsed` minutes, its
    time lognormal with the service's mean and spread (right-skewed, as service times are): a
    citizen at the counter longer than usual is likely to take a while yet, not to be done at
    once."""
    if s.mean <= 0:
        return 0.0, 0.0
    if elapsed <= 0 or s.sd <= 0:
        return max(s.mean - max(elapsed, 0.0), RESIDUAL_SHARE * s.mean), s.sd
    sigma2 = math.log(1 + (s.sd / s.mean) ** 2)
    sigma, mu = math.sqrt(sigma2), math.log(s.mean) - sigma2 / 2
    z = (math.log(elapsed) - mu) / sigma
    tail = 1 - _NORMAL.cdf(z)
    if tail < 1e-9:  # far beyond any usual service: a little more, as long again as its spread
        return RESIDUAL_SHARE * s.mean, s.sd
    first = s.mean * (1 - _NORMAL.cdf(z - sigma)) / tail
    second = math.exp(2 * mu + 2 * sigma2) * (1 - _NORMAL.cdf(z - 2 * sigma)) / tail
    return max(first - elapsed, 0.0), math.sqrt(max(second - first**2, 0.0))


def kind_of(c: Candidate) -> str:
    return "priority" if c.is_priority else "normal"


def _ranged(
    now: dt.datetime, at: dt.datetime, variance: float, desks: int
) -> tuple[dt.datetime, dt.datetime, dt.datetime]:
    """The middle and the range of the call, the minutes until it taken as lognormal with the
    walk's mean and the pooled variance (a sum of right-skewed service times is right-skewed:
    Fenton-Wilkinson): its median is the estimate shown and scored (half the calls earlier,
    half later: the least absolute error), its quantiles the range."""
    minutes = (at - now).total_seconds() / 60
    var = variance / max(desks, 1) ** 2 + (RELATIVE * minutes) ** 2
    if minutes <= 0:
        middle, low, high = 0.0, 0.0, ABSOLUTE
    else:
        sigma = math.sqrt(math.log(1 + var / minutes**2))
        mu = math.log(minutes) - sigma**2 / 2
        middle = math.exp(mu)
        low = max(0.0, math.exp(mu - Z_EARLY * sigma) - ABSOLUTE)
        high = math.exp(mu + Z_LATE * sigma) + ABSOLUTE
    earliest, latest = call_range(now + dt.timedelta(minutes=low), now + dt.timedelta(minutes=high))
    return now + dt.timedelta(minutes=middle), earliest, latest


def call_range(earliest: dt.datetime, latest: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """Rounded outwards to ROUND_MINUTES, at least MIN_SPAN_MINUTES wide."""
    earliest = _round(earliest, math.floor)
    latest = max(_round(latest, math.ceil), earliest + dt.timedelta(minutes=MIN_SPAN_MINUTES))
    return earliest, latest


def _round(moment: dt.datetime, how: object) -> dt.datetime:
    step = ROUND_MINUTES * 60
    seconds = how(moment.timestamp() / step) * step  # type: ignore[operator]
    return dt.datetime.fromtimestamp(seconds, tz=moment.tzinfo)


def reaching(queue_id: int, links: Mapping[int, set[int]]) -> set[int]:
    """The counters of `links` (counter: its queues) that serve `queue_id`, and those that share
    a queue with them, and so on: every counter whose calls change what is called before a
    ticket of the queue (its pool)."""
    queues, counters = {queue_id}, set[int]()
    while True:
        more = {c for c, served in links.items() if served & queues} - counters
        if not more:
            return counters
        counters |= more
        for c in more:
            queues |= links[c]


def naive(*, now: dt.datetime, ahead: int, mean_minutes: float, staffed: int) -> dt.datetime:
    """The naive estimate the forecast is scored against: people ahead × mean service time ÷
    open counters."""
    return now + dt.timedelta(minutes=ahead * mean_minutes / max(staffed, 1))
