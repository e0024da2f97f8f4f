"""Fairness of "call next": properties over any waiting line (hypothesis)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from mpp.queueing.policy import Candidate, Lane, calls_before, choose_next

NOW = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)
MAX_WAIT = dt.timedelta(minutes=45)

candidates = st.lists(
    st.tuples(st.booleans(), st.integers(min_value=0, max_value=120)), max_size=30
).map(
    lambda rows: [
        Candidate(
            id=i + 1, is_priority=p, waiting_since=NOW - dt.timedelta(minutes=m), number=i + 1
        )
        for i, (p, m) in enumerate(rows)
    ]
)


def choose(cands, since=0, ratio=2):  # type: ignore[no-untyped-def]
    return choose_next(
        cands, now=NOW, normal_since_priority=since, normal_per_priority=ratio, max_wait=MAX_WAIT
    )


@given(candidates, st.integers(min_value=0, max_value=5), st.integers(min_value=1, max_value=4))
@settings(max_examples=300)
def test_no_ticket_waits_past_the_maximum_while_another_is_chosen(cands, since, ratio):
    choice = choose(cands, since, ratio)
    if not cands:
        assert choice is None
        return
    chosen = next(c for c in cands if c.id == choice.ticket_id)
    overdue = [c for c in cands if NOW - c.waiting_since >= MAX_WAIT]
    if overdue:
        # The longest-waiting overdue ticket goes first, whatever its lane.
        assert chosen.waiting_since == min(c.waiting_since for c in overdue)
        assert choice.rule == "overdue"


@given(candidates, st.integers(min_value=0, max_value=5), st.integers(min_value=1, max_value=4))
@settings(max_examples=300)
def test_the_priority_lane_gets_its_turn_and_no_more(cands, since, ratio):
    choice = choose(cands, since, ratio)
    if choice is None or choice.rule == "overdue":
        return
    chosen = next(c for c in cands if c.id == choice.ticket_id)
    has_normal = any(not c.is_priority for c in cands)
    has_priority = any(c.is_priority for c in cands)
    if chosen.is_priority:
        assert since >= ratio or not has_normal
    else:
        assert not (has_priority and since >= ratio)


@given(candidates, st.integers(min_value=0, max_value=5))
@settings(max_examples=300)
def test_within_a_lane_first_come_first_served(cands, since):
    choice = choose(cands, since)
    if choice is None or choice.rule == "overdue":
        return
    chosen = next(c for c in cands if c.id == choice.ticket_id)
    same_lane = [c for c in cands if c.is_priority == chosen.is_priority]
    assert chosen.waiting_since == min(c.waiting_since for c in same_lane)


def test_one_priority_per_two_normal_over_a_morning():
    """Simulate calls: with both lanes full, the pattern is P N N P N N ..."""
    waiting = [Candidate(i, i % 2 == 0, NOW - dt.timedelta(minutes=30 - i), i) for i in range(20)]
    since, pattern = 2, []
    for _ in range(9):
        choice = choose(waiting, since)
        chosen = next(c for c in waiting if c.id == choice.ticket_id)
        waiting.remove(chosen)
        pattern.append("P" if chosen.is_priority else "N")
        since = 0 if chosen.is_priority else since + 1
    assert "".join(pattern) == "PNNPNNPNN"


# --- people ahead: calls_before against the counters calling step by step ------------------

QUEUES = (1, 2, 3)
lines = st.lists(
    st.tuples(st.booleans(), st.integers(min_value=0, max_value=90), st.sampled_from(QUEUES)),
    min_size=1,
    max_size=25,
).map(
    lambda rows: [
        Candidate(i + 1, p, NOW - dt.timedelta(minutes=m), i + 1, queue=q)
        for i, (p, m, q) in enumerate(rows)
    ]
)
# Counters as the MPP and the Mini MPP have them: each serves one or more queues (a front desk
# serves all); some queues have several counters.
counter_sets = st.lists(
    st.frozensets(st.sampled_from(QUEUES), min_size=1, max_size=3), min_size=1, max_size=4
)
# Calls before today's first state: None (no priority call yet) or a number of normal calls.
histories = st.lists(st.one_of(st.none(), st.integers(min_value=0, max_value=4)), max_size=4)


def call_order(cands, counters, history, ratio):  # type: ignore[no-untyped-def]
    """The counters call in turn, one after another, as call_next does: each counter's count
    is recounted from the calls made so far (normal calls since its queues' last priority call,
    None before the first), never carried along. Returns the tickets in the order called."""
    waiting, made, order = list(cands), [], []
    start = {i: history[i] if i < len(history) else None for i in range(len(counters))}
    while waiting:
        progressed = False
        for i, queues in enumerate(counters):
            mine = [c for c in waiting if c.queue in queues]
            calls = [c for c in made if c.queue in queues]
            last_priority = max((k for k, c in enumerate(calls) if c.is_priority), default=None)
            if last_priority is None:
                since = None if start[i] is None else start[i] + len(calls)
            else:
                since = len(calls) - last_priority - 1
            choice = choose(mine, ratio if since is None else since, ratio)
            if choice is None:
                continue
            chosen = next(c for c in mine if c.id == choice.ticket_id)
            waiting.remove(chosen)
            made.append(chosen)
            order.append(chosen.id)
            progressed = True
        if not progressed:
            break
    return order


@given(lines, counter_sets, histories, st.integers(min_value=1, max_value=4))
@settings(max_examples=400, deadline=None)  # a simulation per example: no time budget
def test_people_ahead_is_the_place_in_the_order_the_counters_call(cands, counters, history, ratio):
    """For every ticket at once: its "people ahead" is the number of tickets the counters call
    before it, whatever its lane, its queue, and the counters sharing it."""
    order = call_order(cands, counters, history, ratio)
    lanes = [
        Lane(queues, history[i] if i < len(history) else None) for i, queues in enumerate(counters)
    ]
    for c in cands:
        ahead = calls_before(
            c.id, cands, lanes, now=NOW, normal_per_priority=ratio, max_wait=MAX_WAIT
        )
        if c.id in order:
            assert ahead == order.index(c.id)
        else:  # no counter serves its queue: never called while these counters work
            assert ahead == len(cands)


def test_a_priority_ticket_is_not_behind_the_normal_line():
    """The slip of issue 18: an elderly citizen's number came after two normal ones, and was
    called first."""
    cands = [
        Candidate(1, False, NOW - dt.timedelta(minutes=10), 1, queue=1),
        Candidate(2, False, NOW - dt.timedelta(minutes=8), 2, queue=1),
        Candidate(3, True, NOW - dt.timedelta(minutes=1), 3, queue=1),
    ]
    lanes = [Lane(frozenset({1}), None)]
    ahead = {
        c.id: calls_before(c.id, cands, lanes, now=NOW, normal_per_priority=2, max_wait=MAX_WAIT)
        for c in cands
    }
    assert ahead == {3: 0, 1: 1, 2: 2}
