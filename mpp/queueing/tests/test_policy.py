"""Fairness of "call next": properties over any waiting line (hypothesis)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from mpp.queueing.policy import Candidate, choose_next

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
