"""Survey test fixtures: finished tickets of a Monday morning at MPP Kukar, and responses."""

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
def served(monday, mall_mpp, service_by_slug, cast):  # type: ignore[no-untyped-def]
    """A function that issues, calls, starts and finishes one Disdukcapil ticket at MPP Kukar
    (or stops earlier: `until="called"`), and returns the ticket."""
    from mpp.queueing.actions import (
        call_next_ticket,
        finish_ticket,
        issue_ticket,
        set_counter_status,
        start_ticket,
    )
    from mpp.queueing.models import Counter, Ticket

    officer = cast.officer_dukcapil()
    counter = Counter.objects.filter(mall=mall_mpp, tenant__slug="disdukcapil").first()
    counter = set_counter_status(counter=counter, status=Counter.Status.OPEN, acting_user=officer)

    def _served(slug: str = "akta-kelahiran", *, until: str = "done") -> Ticket:
        issued = issue_ticket(
            mall=mall_mpp, service=service_by_slug(slug), channel=Ticket.Channel.KIOSK
        )
        if until == "waiting":
            return issued.ticket
        ticket = call_next_ticket(counter=counter, acting_user=officer)
        assert ticket is not None and ticket.pk == issued.ticket.pk
        if until == "called":
            return ticket
        ticket = start_ticket(ticket=ticket, acting_user=officer)
        if until == "serving":
            return ticket
        return finish_ticket(ticket=ticket, outcome=Ticket.Outcome.DONE, acting_user=officer)

    return _served


@pytest.fixture
def respond(mall_mpp):  # type: ignore[no-untyped-def]
    """A function that stores a response directly (answers by code), for computation tests."""
    from mpp.catalog.models import Tenant
    from mpp.surveys.models import Questionnaire, Response

    national = Questionnaire.objects.get(mall=None, tenant=None)
    default_tenant = Tenant.objects.get(slug="disdukcapil")

    def _respond(
        answers: dict[str, int | None],
        *,
        mall=None,  # type: ignore[no-untyped-def]
        tenant=None,
        on: dt.date = dt.date(2026, 11, 30),
        **profile,
    ) -> Response:
        columns = {code.lower(): value for code, value in answers.items()}
        return Response.objects.create(
            questionnaire=national,
            mall=mall or mall_mpp,
            tenant=tenant or default_tenant,
            answered_on=on,
            channel=Response.Channel.PAPER,
            **columns,
            **profile,
        )

    return _respond
