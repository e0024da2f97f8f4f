"""The day's waiting count that issuing returns as "ahead" agrees with the tickets, whatever
the officers do (hypothesis drives random days)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mpp.queueing import actions
from mpp.queueing.models import DailySequence, Ticket

STEPS = st.lists(
    st.sampled_from(["issue", "issue_other", "call", "call_out_of_order", "serve", "transfer"]),
    min_size=1,
    max_size=30,
)


def _counts_agree() -> None:
    actual = {
        (row["queue_id"], row["service_day"]): row["n"]
        for row in Ticket.objects.values("queue_id", "service_day").annotate(
            n=Count("id", filter=Q(status=Ticket.Status.WAITING))
        )
    }
    kept = {(s.queue_id, s.service_day): s.waiting for s in DailySequence.objects.all()}
    assert kept == actual


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=STEPS)
def test_the_waiting_count_follows_every_step(  # type: ignore[no-untyped-def]
    monday, issue, dukcapil_counters, cast, service_by_slug, steps
):
    officer = cast.officer_dukcapil()
    skck = service_by_slug("skck-baru")
    counter = dukcapil_counters[0]
    for step in steps:
        monday.shift(dt.timedelta(seconds=30))
        called = Ticket.objects.filter(counter=counter, status=Ticket.Status.CALLED).first()
        if step == "issue":
            issue()
        elif step == "issue_other":
            issue("skck-baru")
        elif step == "call" and called is None:  # one citizen at a time per counter
            actions.call_next_ticket(counter=counter, acting_user=officer)
        elif step == "call_out_of_order" and called is None:
            waiting = Ticket.objects.filter(
                queue__counters=counter, status=Ticket.Status.WAITING
            ).last()
            if waiting is not None:
                actions.call_ticket(
                    counter=counter, ticket=waiting, reason="dokumen lengkap", acting_user=officer
                )
        elif step == "serve" and called is not None:
            actions.start_ticket(ticket=called, acting_user=officer)
            actions.finish_ticket(ticket=called, outcome=Ticket.Outcome.DONE, acting_user=officer)
        elif step == "transfer" and called is not None:
            actions.transfer_ticket(ticket=called, service=skck, acting_user=officer)
        _counts_agree()
    # and "ahead" of a new ticket is that count
    fresh = issue()
    assert (
        fresh.ahead
        == Ticket.objects.filter(
            queue_id=fresh.ticket.queue_id,
            service_day=fresh.ticket.service_day,
            status=Ticket.Status.WAITING,
        )
        .exclude(pk=fresh.ticket.pk)
        .count()
    )
