"""Queue test fixtures: a Monday morning at MPP Kukar, with its counters open."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

WITA = ZoneInfo("Asia/Makassar")
MONDAY_9 = dt.datetime(2026, 11, 30, 9, 0, tzinfo=WITA)


@pytest.fixture
def monday(kukar):  # type: ignore[no-untyped-def]
    """The clock stands on Monday 30 November 2026, 09:00 WITA, and moves only when told."""
    with time_machine.travel(MONDAY_9, tick=False) as traveller:
        yield traveller


@pytest.fixture
def issue(service_by_slug, mall_mpp):  # type: ignore[no-untyped-def]
    from mpp.queueing.actions import issue_ticket
    from mpp.queueing.models import Ticket

    def _issue(
        slug: str = "akta-kelahiran",
        *,
        mall=None,
        priority=Ticket.Priority.NONE,  # type: ignore[no-untyped-def]
        channel=Ticket.Channel.KIOSK,
        key=None,
        owner="user:kios-1",  # whose key it is (queueing.access.idempotency_owner)
    ):
        return issue_ticket(
            mall=mall or mall_mpp,
            service=service_by_slug(slug),
            channel=channel,
            priority=priority,
            idempotency_key=key,
            idempotency_owner=owner,
        )

    return _issue


@pytest.fixture
def dukcapil_counters(mall_mpp, cast):  # type: ignore[no-untyped-def]
    """The Disdukcapil counters of MPP Kukar, opened by one officer."""
    from mpp.queueing.actions import set_counter_status
    from mpp.queueing.models import Counter

    officer = cast.officer_dukcapil()
    counters = list(Counter.objects.filter(mall=mall_mpp, tenant__slug="disdukcapil"))
    return [
        set_counter_status(counter=c, status=Counter.Status.OPEN, acting_user=officer)
        for c in counters
    ]
