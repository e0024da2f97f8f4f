"""Calling, recalling, serving, finishing, no-shows and transfers: states, reasons and events."""

from __future__ import annotations

import datetime as dt

import pytest

from mpp.queueing import actions
from mpp.queueing.exceptions import WrongState
from mpp.queueing.models import Counter, QueueSettings, Ticket, TicketEvent


@pytest.fixture
def officer(cast):  # type: ignore[no-untyped-def]
    return cast.officer_dukcapil()


def test_call_next_takes_the_oldest_and_records_why(monday, issue, dukcapil_counters, officer):
    first = issue().ticket
    monday.shift(dt.timedelta(minutes=1))
    issue()
    called = actions.call_next_ticket(counter=dukcapil_counters[0], acting_user=officer)
    assert called.pk == first.pk
    assert called.status == Ticket.Status.CALLED
    assert called.counter == dukcapil_counters[0]
    assert called.call_reason == "urutan kedatangan"
    event = TicketEvent.objects.get(ticket=called, type="called")
    assert event.actor == officer and event.data["rule"] == "fifo"


def test_call_next_with_nobody_waiting_gives_none(monday, dukcapil_counters, officer):
    assert actions.call_next_ticket(counter=dukcapil_counters[0], acting_user=officer) is None


def test_a_paused_counter_cannot_call(monday, issue, dukcapil_counters, officer):
    issue()
    counter = actions.set_counter_status(
        counter=dukcapil_counters[0], status=Counter.Status.PAUSED, acting_user=officer
    )
    with pytest.raises(WrongState, match="jeda"):
        actions.call_next_ticket(counter=counter, acting_user=officer)


def test_the_priority_lane_gets_one_call_per_two_normal(monday, issue, dukcapil_counters, officer):
    for i in range(4):
        issue(priority=Ticket.Priority.NONE)
        issue(priority=Ticket.Priority.ELDERLY if i < 2 else Ticket.Priority.PREGNANT)
        monday.shift(dt.timedelta(seconds=30))
    lanes = []
    for _ in range(6):
        t = actions.call_next_ticket(counter=dukcapil_counters[0], acting_user=officer)
        lanes.append("P" if t.is_priority else "N")
        actions.start_ticket(ticket=t, acting_user=officer)
        actions.finish_ticket(ticket=t, outcome=Ticket.Outcome.DONE, acting_user=officer)
        monday.shift(dt.timedelta(seconds=10))
    # No priority call yet today counts as "two normal since": the lane starts with one.
    assert "".join(lanes) == "PNNPNN"


def test_a_normal_ticket_past_the_maximum_wait_goes_first(
    monday, issue, dukcapil_counters, officer, mall_mpp
):
    QueueSettings.objects.filter(mall=mall_mpp).update(max_wait_minutes=20)
    old = issue().ticket
    monday.shift(dt.timedelta(minutes=25))
    issue(priority=Ticket.Priority.DISABILITY)
    called = actions.call_next_ticket(counter=dukcapil_counters[0], acting_user=officer)
    assert called.pk == old.pk
    assert "lebih dari 20 menit" in called.call_reason


def test_recall_start_and_finish(monday, issue, dukcapil_counters, officer):
    issue()
    t = actions.call_next_ticket(counter=dukcapil_counters[0], acting_user=officer)
    t = actions.recall_ticket(ticket=t, acting_user=officer)
    assert t.recall_count == 1
    monday.shift(dt.timedelta(minutes=1))
    t = actions.start_ticket(ticket=t, acting_user=officer)
    monday.shift(dt.timedelta(minutes=9))
    t = actions.finish_ticket(ticket=t, outcome=Ticket.Outcome.DONE, acting_user=officer)
    assert t.status == Ticket.Status.DONE
    assert t.finished_at - t.started_at == dt.timedelta(minutes=9)
    types = list(TicketEvent.objects.filter(ticket=t).values_list("type", flat=True))
    assert types == ["called", "recalled", "started", "finished"]


def test_finishing_a_ticket_not_being_served_is_refused_naming_its_state(
    monday, issue, dukcapil_counters, officer
):
    issue()
    t = actions.call_next_ticket(counter=dukcapil_counters[0], acting_user=officer)
    with pytest.raises(WrongState) as refused:
        actions.finish_ticket(ticket=t, outcome=Ticket.Outcome.DONE, acting_user=officer)
    assert refused.value.status == 409
    assert "dipanggil" in str(refused.value)
    assert refused.value.code == "ticket_called"


def test_rejecting_needs_a_reason(monday, issue, dukcapil_counters, officer):
    issue()
    t = actions.call_next_ticket(counter=dukcapil_counters[0], acting_user=officer)
    t = actions.start_ticket(ticket=t, acting_user=officer)
    with pytest.raises(WrongState, match="alasan"):
        actions.finish_ticket(ticket=t, outcome=Ticket.Outcome.REJECTED, acting_user=officer)
    t = actions.finish_ticket(
        ticket=t, outcome=Ticket.Outcome.REJECTED, reason="KK belum diperbarui", acting_user=officer
    )
    assert t.outcome_reason == "KK belum diperbarui"


def test_no_show_only_after_the_recalls(monday, issue, dukcapil_counters, officer):
    issue()
    t = actions.call_next_ticket(counter=dukcapil_counters[0], acting_user=officer)
    with pytest.raises(WrongState, match="Panggil ulang"):
        actions.mark_no_show(ticket=t, acting_user=officer)
    actions.recall_ticket(ticket=t, acting_user=officer)
    actions.recall_ticket(ticket=t, acting_user=officer)
    t = actions.mark_no_show(ticket=t, acting_user=officer)
    assert t.status == Ticket.Status.NO_SHOW


def test_a_transfer_keeps_the_original_waiting_time(
    monday, issue, dukcapil_counters, officer, service_by_slug
):
    original = issue().ticket
    monday.shift(dt.timedelta(minutes=30))
    t = actions.call_next_ticket(counter=dukcapil_counters[0], acting_user=officer)
    new = actions.transfer_ticket(
        ticket=t, service=service_by_slug("pendaftaran-nib"), acting_user=officer
    )
    assert new.waiting_since == original.waiting_since
    assert new.queue != original.queue and new.status == Ticket.Status.WAITING
    original.refresh_from_db()
    assert original.status == Ticket.Status.TRANSFERRED and original.transferred_to == new


def test_calling_a_number_out_of_order_needs_a_reason(monday, issue, dukcapil_counters, officer):
    issue()
    later = issue().ticket
    with pytest.raises(WrongState, match="alasan"):
        actions.call_ticket(
            counter=dukcapil_counters[0], ticket=later, reason=" ", acting_user=officer
        )
    t = actions.call_ticket(
        counter=dukcapil_counters[0],
        ticket=later,
        reason="berkas sudah diperiksa",
        acting_user=officer,
    )
    assert t.call_reason == "di luar urutan: berkas sudah diperiksa"
    with pytest.raises(WrongState) as again:
        actions.call_ticket(
            counter=dukcapil_counters[1], ticket=later, reason="lagi", acting_user=officer
        )
    assert again.value.status == 409


@pytest.mark.anyio
@pytest.mark.django_db(transaction=True)
async def test_events_reach_the_mall_screens_without_personal_data(uji, settings):
    from channels.db import database_sync_to_async
    from channels.testing import WebsocketCommunicator

    from mpp.asgi import application
    from mpp.catalog.models import Service
    from mpp.malls.models import Mall

    # Real time here: the in-memory channel layer expires group members by the wall clock.
    settings.MPP_DEMO_ALWAYS_OPEN = True
    board = WebsocketCommunicator(
        application,
        "/ws/mal/mpp-uji/",  # the small synthetic region: transactional, it is loaded again
        headers=[(b"origin", b"http://127.0.0.1"), (b"host", b"127.0.0.1")],
    )
    assert (await board.connect())[0]

    def issue() -> Ticket:
        return actions.issue_ticket(
            mall=Mall.objects.get(slug="mpp-uji"),
            service=Service.objects.get(slug="akta-lahir-uji"),
            channel=Ticket.Channel.KIOSK,
        ).ticket

    ticket = await database_sync_to_async(issue)()
    message = await board.receive_json_from(timeout=5)
    assert message["event"] == "ticket.issued"
    assert message["payload"] == {
        "ticket_id": ticket.pk,
        "number": ticket.display_number,
        "queue": ticket.queue.letter,
        "status": "waiting",
        "counter": None,
        "recall": 0,
    }
    assert ticket.code not in str(message)  # the phone page's code is never broadcast
    await board.disconnect()


@pytest.mark.parametrize("served", [False, True])
def test_a_counter_calls_nobody_else_while_its_citizen_is_not_done(
    monday, issue, dukcapil_counters, officer, served
):
    counter = dukcapil_counters[0]
    first = actions.call_next_ticket(counter=counter, acting_user=officer)
    assert first is None  # nobody yet
    b1, b2, b3 = issue().ticket, issue().ticket, issue().ticket
    first = actions.call_next_ticket(counter=counter, acting_user=officer)
    if served:
        actions.start_ticket(ticket=first, acting_user=officer)
    for refused in (
        lambda: actions.call_next_ticket(counter=counter, acting_user=officer),
        lambda: actions.call_ticket(
            counter=counter, ticket=b3, reason="lansia", acting_user=officer
        ),
        lambda: actions.set_counter_status(counter=counter, status="paused", acting_user=officer),
        lambda: actions.set_counter_status(counter=counter, status="closed", acting_user=officer),
    ):
        with pytest.raises(WrongState) as caught:
            refused()
        assert caught.value.code == "counter_busy" and caught.value.status == 409
        assert f"masih melayani nomor {b1.display_number}" in str(caught.value)
    assert Ticket.objects.get(pk=b2.pk).status == Ticket.Status.WAITING
    assert Counter.objects.get(pk=counter.pk).status == Counter.Status.OPEN
    # Done with the citizen, the counter calls the next one and may pause.
    if not served:
        actions.start_ticket(ticket=first, acting_user=officer)
    actions.finish_ticket(ticket=first, outcome=Ticket.Outcome.DONE, acting_user=officer)
    assert actions.call_next_ticket(counter=counter, acting_user=officer).pk == b2.pk
