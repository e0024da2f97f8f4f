"""The audit trail of the queue: each counter change and each ticket step leaves exactly one
AuditEntry naming who, where, what and how; issuing leaves none (docs/adr/0015)."""

from __future__ import annotations

import pytest

from mpp.core.models import AuditEntry
from mpp.queueing import actions
from mpp.queueing.models import Counter, QueueSettings, Ticket


@pytest.fixture
def officer(cast):  # type: ignore[no-untyped-def]
    return cast.officer_dukcapil()


@pytest.fixture
def counter(mall_mpp) -> Counter:  # type: ignore[no-untyped-def]
    return Counter.objects.filter(mall=mall_mpp, tenant__slug="disdukcapil").order_by("number")[0]


@pytest.fixture
def open_counter(monday, counter, officer) -> Counter:  # type: ignore[no-untyped-def]
    return actions.set_counter_status(counter=counter, status="open", acting_user=officer)


@pytest.fixture
def called(issue, open_counter, officer) -> Ticket:  # type: ignore[no-untyped-def]
    issue()
    ticket = actions.call_next_ticket(counter=open_counter, acting_user=officer)
    assert ticket is not None
    return ticket


def only_new_entry(before: int) -> AuditEntry:
    """The one entry written since `before` (the highest id then); fails on none or several."""
    entries = list(AuditEntry.objects.filter(pk__gt=before))
    assert len(entries) == 1, [e.action for e in entries]
    return entries[0]


def last_id() -> int:
    return AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


@pytest.mark.parametrize(
    ("status", "action"),
    [("open", "counter.opened"), ("paused", "counter.paused"), ("closed", "counter.closed")],
)
def test_each_counter_status_change_is_one_audit_entry(
    monday, counter, officer, mall_mpp, status, action
):
    before = last_id()
    actions.set_counter_status(counter=counter, status=status, acting_user=officer)
    entry = only_new_entry(before)
    assert entry.action == action
    assert entry.actor == officer
    assert entry.mall_id == mall_mpp.pk
    assert (entry.object_type, entry.object_id) == ("queueing.counter", str(counter.pk))
    assert entry.data == {"counter": counter.number, "from": "closed", "to": status}


def test_issuing_a_ticket_writes_no_audit_entry(monday, issue):
    """The ticket row (issued_at, channel, issued_by) is the record of issuing: the hot path
    pays no second insert (docs/adr/0015)."""
    before = last_id()
    issue()
    assert not AuditEntry.objects.filter(pk__gt=before).exists()


def test_calling_the_next_ticket_is_one_audit_entry(monday, issue, open_counter, officer):
    ticket = issue().ticket
    before = last_id()
    actions.call_next_ticket(counter=open_counter, acting_user=officer)
    entry = only_new_entry(before)
    assert entry.action == "ticket.called"
    assert entry.actor == officer and entry.mall_id == ticket.mall_id
    assert (entry.object_type, entry.object_id) == ("queueing.ticket", str(ticket.pk))
    assert entry.data == {
        "number": ticket.display_number,
        "service_day": "2026-11-30",
        "counter": open_counter.number,
        "rule": "fifo",
        "reason": "urutan kedatangan",
    }


def test_calling_out_of_order_records_the_reason_with_personal_numbers_masked(
    monday, issue, open_counter, officer
):
    issue()
    second = issue().ticket
    before = last_id()
    ticket = actions.call_ticket(
        counter=open_counter,
        ticket=second,
        reason="ibu hamil, NIK 6402064708950001, hp 0812-3456-7890",
        acting_user=officer,
    )
    entry = only_new_entry(before)
    assert entry.action == "ticket.called" and entry.object_id == str(second.pk)
    assert entry.data["rule"] == "out_of_order"
    assert "6402064708950001" not in str(entry.data) and "3456" not in str(entry.data)
    assert "6402••••••••0001" in entry.data["reason"]
    assert "6402064708950001" not in ticket.call_reason


@pytest.mark.parametrize(
    ("step", "action", "data"),
    [
        (actions.recall_ticket, "ticket.recalled", {"recall": 1}),
        (actions.start_ticket, "ticket.started", {}),
    ],
)
def test_each_step_of_a_called_ticket_is_one_audit_entry(called, officer, step, action, data):
    before = last_id()
    step(ticket=called, acting_user=officer)
    entry = only_new_entry(before)
    assert entry.action == action
    assert entry.actor == officer and entry.mall_id == called.mall_id
    assert entry.object_id == str(called.pk)
    assert entry.data == {
        "number": called.display_number,
        "service_day": "2026-11-30",
        "counter": called.counter.number,
        **data,
    }


def test_finishing_is_one_audit_entry_with_the_outcome(called, officer):
    actions.start_ticket(ticket=called, acting_user=officer)
    before = last_id()
    actions.finish_ticket(
        ticket=called,
        outcome=Ticket.Outcome.REJECTED,
        reason="berkas kurang; hubungi 081234567890",
        acting_user=officer,
    )
    entry = only_new_entry(before)
    assert entry.action == "ticket.finished" and entry.actor == officer
    assert entry.data["outcome"] == "rejected"
    called.refresh_from_db()
    assert "081234567890" not in called.outcome_reason


def test_a_no_show_is_one_audit_entry(called, officer, mall_mpp):
    QueueSettings.objects.filter(mall=mall_mpp).update(recalls_before_no_show=0)
    before = last_id()
    actions.mark_no_show(ticket=called, acting_user=officer)
    entry = only_new_entry(before)
    assert entry.action == "ticket.no_show" and entry.actor == officer
    assert entry.object_id == str(called.pk) and entry.data["counter"] == called.counter.number


def test_a_transfer_is_one_audit_entry_naming_the_new_number(called, officer, service_by_slug):
    ktp = service_by_slug("perekaman-ktp-el")
    before = last_id()
    new = actions.transfer_ticket(ticket=called, service=ktp, acting_user=officer)
    entry = only_new_entry(before)
    assert entry.action == "ticket.transferred" and entry.actor == officer
    assert entry.object_id == str(called.pk)
    assert entry.data["to"] == new.display_number and entry.data["service_id"] == ktp.pk


def test_a_refused_step_leaves_no_audit_entry(called, officer):
    before = last_id()
    with pytest.raises(actions.WrongState):
        actions.finish_ticket(ticket=called, outcome=Ticket.Outcome.DONE, acting_user=officer)
    assert not AuditEntry.objects.filter(pk__gt=before).exists()
