"""The fairness policy of "call next": which waiting ticket a counter gets, and why.

A pure function over plain values, so its properties are tested with hypothesis
(tests/test_policy.py) and the action only feeds it and records its reason.

Rules, in order:
1. A ticket that has waited the maximum time or longer goes first; between several, the one that
   has waited longest. This keeps the priority lane from starving the normal one.
2. The priority lane (UU 25/2009 Pasal 29 and its explanation: Ticket.Priority — elderly,
   disabled, pregnant, with a toddler, children, disaster victims) gets one call after every
   `normal_per_priority` normal calls, or whenever no normal ticket waits.
3. Otherwise first come, first served.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict, deque
from collections.abc import Sequence
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Candidate:
    id: int
    is_priority: bool
    waiting_since: dt.datetime
    number: int
    queue: int = 0  # the queue's id: which counters may call it (calls_before)


@dataclass(frozen=True)
class Choice:
    ticket_id: int
    rule: str  # overdue | priority_turn | priority_only | fifo
    reason: str  # Indonesian, recorded on the ticket


def _order(c: Candidate) -> tuple[dt.datetime, int]:
    return (c.waiting_since, c.number)


def choose_next(
    candidates: Sequence[Candidate],
    *,
    now: dt.datetime,
    normal_since_priority: int,
    normal_per_priority: int,
    max_wait: dt.timedelta,
) -> Choice | None:
    """The ticket to call next among `candidates` (all waiting in the counter's queue)."""
    if not candidates:
        return None
    overdue = sorted((c for c in candidates if now - c.waiting_since >= max_wait), key=_order)
    if overdue:
        minutes = int(max_wait.total_seconds() // 60)
        return Choice(overdue[0].id, "overdue", f"menunggu lebih dari {minutes} menit")
    priority = sorted((c for c in candidates if c.is_priority), key=_order)
    normal = sorted((c for c in candidates if not c.is_priority), key=_order)
    if priority and not normal:
        return Choice(priority[0].id, "priority_only", "hanya antrean prioritas yang menunggu")
    if priority and normal_since_priority >= normal_per_priority:
        return Choice(
            priority[0].id,
            "priority_turn",
            f"giliran prioritas (1 prioritas per {normal_per_priority} biasa)",
        )
    return Choice(normal[0].id, "fifo", "urutan kedatangan")


@dataclass(frozen=True)
class Lane:
    """A counter that calls, as the policy sees it: the queues it serves and its count of normal
    calls since its last priority call (None: no priority call yet today)."""

    queues: frozenset[int]
    normal_since_priority: int | None


def calls_before(
    target_id: int,
    candidates: Sequence[Candidate],
    lanes: Sequence[Lane],
    *,
    now: dt.datetime,
    normal_per_priority: int,
    max_wait: dt.timedelta,
) -> int:
    """How many of `candidates` the counters (`lanes`) call before `target_id` if nobody else
    arrives and they call now, one after another, in turn (the order of `lanes`), each by
    choose_next over the waiting tickets of its own queues: the citizen's "people ahead".

    A lane with nothing to call passes its turn. The target is counted as never called (the
    candidates' length) when no lane serves its queue.

    choose_next only ever takes the first ticket, by arrival, of one of three lines (overdue,
    priority, normal), so each lane asks it about the heads of those lines in its queues, not
    the whole queue: a call costs the lane's queues, not the line's length (300 waiting: about
    a millisecond instead of 300; docs/adr/0028)."""
    if not any(c.id == target_id for c in candidates):
        return 0
    lines: dict[tuple[int, str], deque[Candidate]] = defaultdict(deque)
    for c in sorted(candidates, key=_order):
        kind = (
            "overdue"
            if now - c.waiting_since >= max_wait
            else "priority"
            if c.is_priority
            else "normal"
        )
        lines[(c.queue, kind)].append(c)
    lanes = list(lanes)
    called = 0
    while True:
        progressed = False
        for i in range(len(lanes)):
            lane = lanes[i]
            heads = [
                lines[(q, kind)][0]
                for q in lane.queues
                for kind in ("overdue", "priority", "normal")
                if lines[(q, kind)]
            ]
            since = lane.normal_since_priority
            choice = choose_next(
                heads,
                now=now,
                normal_since_priority=since if since is not None else normal_per_priority,
                normal_per_priority=normal_per_priority,
                max_wait=max_wait,
            )
            if choice is None:
                continue
            if choice.ticket_id == target_id:
                return called
            chosen = next(c for c in heads if c.id == choice.ticket_id)
            for kind in ("overdue", "priority", "normal"):
                line = lines[(chosen.queue, kind)]
                if line and line[0].id == chosen.id:
                    line.popleft()
            called += 1
            progressed = True
            lanes = [_after_call(other, chosen) for other in lanes]
        if not progressed:
            return len(candidates)


def _after_call(lane: Lane, chosen: Candidate) -> Lane:
    """A lane's count after a call from one of its queues, as call_next counts it: the normal
    calls of its queues since their last priority call."""
    if chosen.queue not in lane.queues:
        return lane
    if chosen.is_priority:
        return replace(lane, normal_since_priority=0)
    since = lane.normal_since_priority
    return replace(lane, normal_since_priority=None if since is None else since + 1)


def after_call(lane: Lane, chosen: Candidate) -> Lane:
    """A lane's count after `chosen` was called (for the forecast's walk, forecast.py)."""
    return _after_call(lane, chosen)
