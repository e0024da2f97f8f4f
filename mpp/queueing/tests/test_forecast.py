"""The call-time forecast, pure (docs/adr/0034): counters stepped forward by the fairness rule,
bookings due and the priority lane's arrivals, the range and its rounding."""

from __future__ import annotations

import datetime as dt
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from mpp.queueing.forecast import (
    HORIZON_MINUTES,
    MIN_SPAN_MINUTES,
    ROUND_MINUTES,
    Booked,
    Desk,
    ServiceStats,
    Waiting,
    forecast,
    naive,
    residual,
)
from mpp.queueing.policy import Candidate, Lane, calls_before

NOW = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)
TEN = ServiceStats(10.0, 5.0)
RULES = {"normal_per_priority": 2, "max_wait": dt.timedelta(minutes=45)}


def w(i: int, minutes_ago: float, *, priority: bool = False, queue: int = 1, service: int = 1):
    since = NOW - dt.timedelta(minutes=minutes_ago)
    return Waiting(Candidate(i, priority, since, i, queue), service)


def minutes(moment: dt.datetime) -> float:
    return (moment - NOW).total_seconds() / 60


def close(got: float, walk: float) -> bool:
    """The middle shown is the walk's, a little less for what the walk cannot see (the median
    of a right-skewed time: forecast.RELATIVE)."""
    return walk * 0.98 - 0.05 <= got <= walk + 0.05


def test_one_idle_counter_calls_in_turn_each_taking_its_service_mean():
    line = [w(1, 30), w(2, 20), w(3, 10, service=2)]
    stats = {1: ServiceStats(6.0, 0.0), 2: ServiceStats(20.0, 0.0)}
    desk = [Desk(Lane(frozenset({1}), None))]
    # No spread at all: the middle is the walk, 6 + 6 minutes, to the second.
    found = forecast(3, line, desk, stats, now=NOW, **RULES)
    assert found is not None and found.ahead == 2
    assert close(minutes(found.expected), 12)
    assert minutes(forecast(1, line, desk, stats, now=NOW, **RULES).expected) == 0


def test_two_counters_share_the_work_and_a_busy_one_is_free_when_its_citizen_is_done():
    line = [w(i, 30 - i) for i in range(1, 5)]
    stats = {1: ServiceStats(10.0, 0.0)}
    lanes = Lane(frozenset({1}), None)
    idle = forecast(4, line, [Desk(lanes), Desk(lanes)], stats, now=NOW, **RULES)
    # 1 and 2 at once, 3 and 4 at minute 10.
    assert close(minutes(idle.expected), 10)
    # One counter began a 10-minute citizen 8 minutes ago: the idle one calls 1 at once, the
    # busy one 2 when free at minute 2; 3 at minute 10, 4 at minute 12.
    busy = Desk(lanes, service=1, began=NOW - dt.timedelta(minutes=8))
    second = forecast(2, line, [busy, Desk(lanes)], stats, now=NOW, **RULES)
    assert close(minutes(second.expected), 2)
    found = forecast(4, line, [busy, Desk(lanes)], stats, now=NOW, **RULES)
    assert close(minutes(found.expected), 12)


def test_the_fairness_rule_decides_the_order_as_the_counters_would():
    """An elderly citizen who came last is called first; calls before the target are the
    people ahead the phone shows (policy.calls_before)."""
    line = [w(1, 30), w(2, 25), w(3, 20), w(4, 2, priority=True)]
    desk = [Desk(Lane(frozenset({1}), None))]
    elderly = forecast(4, line, desk, {1: TEN}, now=NOW, **RULES)
    assert elderly.ahead == 0 and minutes(elderly.expected) == 0
    last = forecast(3, line, desk, {1: TEN}, now=NOW, **RULES)
    people = calls_before(3, [x.candidate for x in line], [desk[0].lane], now=NOW, **RULES)
    assert last.ahead == people == 3


def test_a_ticket_that_becomes_overdue_while_waiting_is_foreseen():
    """Ticket 1 has waited 40 minutes: by the time the counter is free again it is past the
    45-minute limit and goes before the elderly citizen who would otherwise come first."""
    line = [w(1, 40), w(2, 1, priority=True)]
    busy = Desk(Lane(frozenset({1}), 2), service=1, began=NOW)  # the priority lane's turn
    stats = {1: ServiceStats(10.0, 0.0)}
    first = forecast(1, line, [busy], stats, now=NOW, **RULES)
    second = forecast(2, line, [busy], stats, now=NOW, **RULES)
    assert minutes(first.expected) < minutes(second.expected)
    # Without the walk in time (people ahead counted now) the elderly citizen would be first.
    assert calls_before(2, [x.candidate for x in line], [busy.lane], now=NOW, **RULES) == 0


def test_a_booking_due_comes_before_walk_ins_who_came_after_its_slot_weighted_by_show_up():
    line = [w(1, 5), w(2, 0)]  # 08.55 and 09.00
    stats = {1: ServiceStats(10.0, 0.0)}
    desk = [Desk(Lane(frozenset({1}), None))]
    slot = Booked(NOW - dt.timedelta(minutes=3), 1, 1)  # booked for 08.57, not checked in yet
    without = forecast(2, line, desk, stats, now=NOW, **RULES)
    found = forecast(2, line, desk, stats, now=NOW, booked=[slot], show_rate=0.8, **RULES)
    assert found.booked_ahead == 1 and found.ahead == 1
    assert 7.4 < minutes(found.expected) - minutes(without.expected) <= 8.05  # 0.8 x 10
    # A slot later than the target's arrival does not go before it.
    later = Booked(NOW + dt.timedelta(minutes=1), 1, 1)
    assert forecast(2, line, desk, stats, now=NOW, booked=[later], **RULES).booked_ahead == 0
    # A slot that starts while the counter is busy: called when the counter is next free.
    soon = Booked(NOW + dt.timedelta(minutes=5), 1, 1)
    third = w(3, -20)  # a ticket whose wait counts from 09.20 (an early check-in)
    found = forecast(3, [*line, third], desk, stats, now=NOW, booked=[soon], **RULES)
    assert found.booked_ahead == 1 and found.ahead == 2


def test_the_priority_lane_still_to_come_delays_a_normal_ticket_not_a_priority_one():
    line = [w(i, 7 - i) for i in range(1, 7)]  # none overdue before the counter reaches it
    stats = {1: ServiceStats(10.0, 0.0)}
    desk = [Desk(Lane(frozenset({1}), 0))]
    calm = forecast(6, line, desk, stats, now=NOW, **RULES)
    busy = forecast(6, line, desk, stats, now=NOW, priority_per_hour={1: 6.0}, **RULES)
    assert minutes(busy.expected) > minutes(calm.expected) + 9  # at least one more call
    elderly = [*line, w(7, 0, priority=True)]
    first = forecast(7, elderly, desk, stats, now=NOW, priority_per_hour={1: 6.0}, **RULES)
    assert minutes(first.expected) <= 20  # those to come are behind it in its lane


def test_no_desk_for_its_queue_no_forecast():
    line = [w(1, 10, queue=2)]
    assert forecast(1, line, [Desk(Lane(frozenset({1}), None))], {}, now=NOW, **RULES) is None
    assert forecast(9, line, [Desk(Lane(frozenset({2}), None))], {}, now=NOW, **RULES) is None
    assert forecast(1, line, [], {}, now=NOW, **RULES) is None


def test_a_front_desk_serving_two_queues_shares_its_calls_between_them():
    line = [w(1, 30, queue=1), w(2, 20, queue=2), w(3, 10, queue=1)]
    stats = {1: ServiceStats(10.0, 0.0)}
    front = Desk(Lane(frozenset({1, 2}), None))
    found = forecast(3, line, [front], stats, now=NOW, **RULES)
    assert found.ahead == 2 and close(minutes(found.expected), 20)


def test_what_is_left_of_a_long_service_grows_with_its_spread():
    s = ServiceStats(10.0, 5.0)
    fresh, spread = residual(s, 0)
    assert fresh == 10 and spread == 5
    halfway, _ = residual(s, 5)
    overdue, _ = residual(s, 20)
    assert 5 < halfway < 10  # more than the mean less the time spent: some take long
    assert overdue > 2  # well past the mean: not "done at once"
    assert residual(ServiceStats(10.0, 0.0), 4) == (6.0, 0.0)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 120), st.booleans(), st.integers(1, 2)), min_size=1, max_size=30
    ),
    st.integers(1, 4),
    st.floats(1, 40),
    st.floats(0, 20),
)
def test_the_range_holds_the_middle_is_rounded_and_wide_enough(tickets, desks, mean, sd):
    line = [w(i, m, priority=p, queue=q) for i, (m, p, q) in enumerate(tickets)]
    lanes = [Desk(Lane(frozenset({1, 2}), None)) for _ in range(desks)]
    stats = {1: ServiceStats(mean, sd)}
    # A line whose work fits the forecast's horizon (a long day) is always forecast; beyond it
    # the answer may be None ("no estimate"), tested on its own below.
    fits = len(line) * mean / desks <= HORIZON_MINUTES / 2
    for target in line:
        found = forecast(target.candidate.id, line, lanes, stats, now=NOW, **RULES)
        if found is None:
            assert not fits
            continue
        assert found.earliest <= found.expected <= found.latest
        assert found.earliest <= NOW + dt.timedelta(
            minutes=1
        ) or found.earliest >= NOW - dt.timedelta(minutes=ROUND_MINUTES)
        assert found.earliest.timestamp() % (ROUND_MINUTES * 60) == 0
        assert found.latest.timestamp() % (ROUND_MINUTES * 60) == 0
        assert found.latest - found.earliest >= dt.timedelta(minutes=MIN_SPAN_MINUTES)


def test_a_call_beyond_the_horizon_gets_no_estimate_rather_than_a_wild_one():
    line = [w(i, 60 - i) for i in range(30)]
    stats = {1: ServiceStats(40.0, 0.0)}  # 30 citizens of 40 minutes at one desk: 20 hours
    desk = [Desk(Lane(frozenset({1}), None))]
    assert forecast(0, line, desk, stats, now=NOW, **RULES) is not None
    assert forecast(29, line, desk, stats, now=NOW, **RULES) is None


def test_the_last_of_300_at_4_counters_costs_a_few_milliseconds():
    line = [w(i, 300 - i, priority=i % 7 == 0, queue=1 + i % 2, service=i % 5) for i in range(300)]
    desks = [Desk(Lane(frozenset({1, 2}), 1), 1, NOW - dt.timedelta(minutes=3)) for _ in range(4)]
    stats = {s: ServiceStats(2.0 + s, 1.0) for s in range(5)}
    start = time.perf_counter()
    found = forecast(299, line, desks, stats, now=NOW, **RULES)
    spent = time.perf_counter() - start
    assert found is not None and found.ahead == 299
    assert spent < 0.25  # about 5 ms on the 2-core machine; a generous bound for a busy one


def test_the_naive_estimate_is_people_ahead_times_the_mean_over_the_counters():
    assert naive(now=NOW, ahead=6, mean_minutes=10, staffed=3) == NOW + dt.timedelta(minutes=20)
    assert naive(now=NOW, ahead=2, mean_minutes=10, staffed=0) == NOW + dt.timedelta(minutes=20)
