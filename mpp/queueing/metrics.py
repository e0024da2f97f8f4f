"""Tickets issued, for /metrics (core/metrics.py, docs/adr/0024): by channel (kiosk, phone,
counter, Metapers) and mall, both bounded sets (a regency has about twenty malls)."""

from __future__ import annotations

from django.db import transaction
from prometheus_client import Counter

TICKETS_ISSUED = Counter(
    "mpp_tickets_issued_total",
    "Tickets issued (committed; an idempotent repeat is not a new ticket), by channel and mall.",
    ["channel", "mall"],
)


def count_issued(*, channel: str, mall_slug: str) -> None:
    """Count a ticket once its transaction commits: a rehearsal that rolls back (Metapers
    training) issued nothing. Outside a transaction it counts at once."""
    transaction.on_commit(lambda: TICKETS_ISSUED.labels(channel, mall_slug).inc())
