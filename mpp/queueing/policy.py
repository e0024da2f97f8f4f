"""The fairness policy of "call next": which waiting ticket a counter gets, and why.

A pure function over plain values, so its properties are tested with hypothesis
(tests/test_policy.py) and the action only feeds it and records its reason.

Rules, in order:
1. A ticket that has waited the maximum time or longer goes first; between several, the one that
   has waited longest. This keeps the priority lane from starving the normal one.
2. The priority lane (UU 25/2009 Pasal 29: elderly, disabled, pregnant, with a toddler) gets one
   call after every `normal_per_priority` normal calls, or whenever no normal ticket waits.
3. Otherwise first come, first served.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Candidate:
    id: int
    is_priority: bool
    waiting_since: dt.datetime
    number: int


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
