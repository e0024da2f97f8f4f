"""Every state change of the queue: issue, call, recall, start, finish, no-show, transfer.

Each action is one write transaction that writes the ticket, its TicketEvent and its audit entry
(issuing writes the ticket alone: issued_at, channel and issued_by are its first step; it lives in
queueing.issuing, the hot path; docs/adr/0015), and publishes one event to the mall's group after
commit.
Events carry numbers and counters only: they reach public screens.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import F
from django.utils.translation import gettext as _

from mpp.applications.actions import open_application
from mpp.catalog.models import MallTenant, Service, Tenant
from mpp.core import clock
from mpp.core.db import write_transaction
from mpp.core.events import Event, group_name, publish
from mpp.core.models import audit
from mpp.core.privacy import mask_personal_data
from mpp.malls.models import Mall
from mpp.queueing import issuing
from mpp.queueing.exceptions import QueueCode, WrongState
from mpp.queueing.issuing import (  # noqa: F401 - the queue's actions, issuing included
    PHONE_ISSUES_PER_MINUTE,
    REMOTE_CHANNELS,
    Issued,
    _check_can_issue,
    _not_offered,
    arrived_before,
    issue_refs,
    new_ticket,
    phone_may_issue,
    publish_ticket,
    service_day,
    settings_of,
)
from mpp.queueing.metrics import count_issued
from mpp.queueing.models import CallEstimate, Counter, DailySequence, Queue, Ticket, TicketEvent
from mpp.queueing.policy import Candidate, choose_next
from mpp.rollout import trials
from mpp.rollout.training import missing_message, missing_modules_for_counter

# --- issuing --------------------------------------------------------------------------------


def issue_ticket(*, mall: Mall, service: Service, channel: str, **options: Any) -> Issued:
    """Give the next number (queueing.issuing.issue_ticket: its invariants and its options),
    and count a new ticket for /metrics once it is committed (queueing/metrics.py)."""
    issued = issuing.issue_ticket(mall=mall, service=service, channel=channel, **options)
    if issued.created:
        count_issued(channel=channel, mall_slug=mall.slug)
    return issued


# --- counters -------------------------------------------------------------------------------

_COUNTER_ACTIONS: dict[str, str] = {
    Counter.Status.OPEN: "counter.opened",
    Counter.Status.PAUSED: "counter.paused",
    Counter.Status.CLOSED: "counter.closed",
}


def set_counter_status(*, counter: Counter, status: str, acting_user: Any) -> Counter:
    """Open, pause or close a counter; opening it takes it for `acting_user`. A counter with a
    called or served ticket is not paused or closed: that citizen would be left at it. A Mini
    MPP's counter opens only for an officer trained for it, when the region requires it."""
    with write_transaction():
        if status != Counter.Status.OPEN:
            _require_free(counter)
        else:
            _require_trained(counter, acting_user)
        counter = Counter.objects.select_for_update(no_key=True).get(pk=counter.pk)
        before = counter.status
        counter.status = status
        counter.officer = acting_user if status != Counter.Status.CLOSED else None
        counter.save(update_fields=["status", "officer"])
        audit(
            actor=acting_user,
            action=_COUNTER_ACTIONS[status],
            obj=counter,
            mall_id=counter.mall_id,
            data={"counter": counter.number, "from": before, "to": status},
        )
        publish(
            group_name("mall", counter.mall_id),
            Event("counter.changed", {"counter": counter.number, "status": counter.status}),
        )
    return counter


def reassign_counter(*, counter: Counter, tenant: Tenant | None, acting_user: Any) -> Counter:
    """Give a counter to another tenant (None: the mall's front counter, serving every queue);
    it then serves the queues of that tenant at its mall.

    Invariants: never while the counter has a called or served ticket; the counter closes and
    its officer leaves it, since an officer of the old tenant may not work for the new one."""
    with write_transaction():
        counter = (
            Counter.objects.select_for_update(no_key=True).select_related("mall").get(pk=counter.pk)
        )
        busy = Ticket.objects.filter(
            counter=counter, status__in=[Ticket.Status.CALLED, Ticket.Status.SERVING]
        ).first()
        if busy is not None:
            raise WrongState(
                _("Loket %(n)d masih melayani nomor %(t)s; selesaikan dulu.")
                % {"n": counter.number, "t": busy.display_number},
                code="counter_busy",
            )
        queues = Queue.objects.filter(mall=counter.mall)
        if tenant is not None:
            if not MallTenant.objects.filter(mall=counter.mall, tenant=tenant).exists():
                raise WrongState(
                    _("%(t)s tidak bertugas di %(m)s.")
                    % {"t": tenant.short_name, "m": counter.mall.short_name},
                    code="tenant_not_here",
                )
            queues = queues.filter(tenants=tenant)
        queue_list = list(queues.distinct())
        if not queue_list:
            raise WrongState(
                _("Belum ada antrean untuk loket ini di %(m)s.") % {"m": counter.mall.short_name},
                code="queue_missing",
            )
        before = counter.tenant.slug if counter.tenant else None
        counter.tenant = tenant
        counter.status = Counter.Status.CLOSED
        counter.officer = None
        counter.save(update_fields=["tenant", "status", "officer"])
        counter.queues.set(queue_list)
        audit(
            actor=acting_user,
            action="counter.reassigned",
            obj=counter,
            mall_id=counter.mall_id,
            data={"from": before, "to": tenant.slug if tenant else None},
        )
        publish(
            group_name("mall", counter.mall_id),
            Event("counter.changed", {"counter": counter.number, "status": counter.status}),
        )
    return counter


def _require_trained(counter: Counter, acting_user: Any) -> None:
    """The officer opening a Mini MPP's counter passed every module its role needs (the front
    desk, a counter of no tenant, needs the front-counter modules too) when the region's
    RolloutPlan.training_required_to_open is on (rollout.training, issue 19). No acting user
    (the simulation) is no officer: it opens without."""
    if acting_user is None:
        return
    missing = missing_modules_for_counter(
        acting_user, counter.mall, front_desk=counter.tenant_id is None
    )
    if missing:
        raise WrongState(missing_message(missing), code=QueueCode.TRAINING_MISSING)


def _require_free(counter: Counter) -> None:
    """A counter serves one citizen at a time: no call while its called or served ticket is not
    finished, sent away as a no-show or transferred. The counter's row is locked, so two calls
    at one counter (two tabs, a double tap) are decided one after the other."""
    Counter.objects.select_for_update(no_key=True).filter(pk=counter.pk).first()
    busy = (
        Ticket.objects.filter(
            counter=counter, status__in=[Ticket.Status.CALLED, Ticket.Status.SERVING]
        )
        .select_related("queue")
        .first()
    )
    if busy is not None:
        raise WrongState(
            _("Loket %(n)d masih melayani nomor %(t)s; selesaikan dulu.")
            % {"n": counter.number, "t": busy.display_number},
            code="counter_busy",
        )


def _require_open(counter: Counter) -> None:
    if counter.status != Counter.Status.OPEN:
        raise WrongState(
            _("Loket %(n)d sedang %(s)s; buka loket dulu.")
            % {"n": counter.number, "s": counter.get_status_display().lower()},
            code="counter_not_open",
        )


def call_next_ticket(*, counter: Counter, acting_user: Any) -> Ticket | None:
    """Call the next ticket this counter may serve, by the mall's fairness policy (policy.py).

    Invariants: two counters never get the same ticket. The queue row is locked for the choice,
    so concurrent calls on one queue are decided one after the other on a consistent view (the
    ratio of the priority lane counts earlier calls); the chosen row is updated in that lock.
    """
    _require_open(counter)
    now = clock.now()
    with write_transaction():
        _require_free(counter)
        # Lock the counter's queues in a fixed order (no deadlock between counters). FOR NO KEY
        # UPDATE, as every lock here: issuing holds the day's sequence row and then checks its
        # ticket's foreign keys (FOR KEY SHARE on the queue); a FOR UPDATE here, then the
        # sequence's waiting count below, was a lock-order inversion (issue 17, deadlock).
        queue_ids = list(
            Queue.objects.select_for_update(no_key=True)
            .filter(counters=counter)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if not queue_ids:
            return None
        day = service_day(counter.mall, now)
        waiting = list(
            Ticket.objects.filter(
                queue_id__in=queue_ids, service_day=day, status=Ticket.Status.WAITING
            ).values_list("id", "priority", "waiting_since", "number")
        )
        rules = settings_of(counter.mall)
        # Before the day's first priority call, the priority lane's turn is due at once.
        since = normal_calls_since_priority(queue_ids, day)
        choice = choose_next(
            [Candidate(i, p != Ticket.Priority.NONE, w, n) for i, p, w, n in waiting],
            now=now,
            normal_since_priority=since if since is not None else rules.normal_per_priority,
            normal_per_priority=rules.normal_per_priority,
            max_wait=dt.timedelta(minutes=rules.max_wait_minutes),
        )
        if choice is None:
            return None
        ticket = (
            Ticket.objects.select_for_update(of=("self",), no_key=True)
            .select_related("queue")
            .get(pk=choice.ticket_id)
        )
        _mark_called(ticket, counter, now, choice.reason, acting_user, rule=choice.rule)
    return ticket


def normal_calls_since_priority(queue_ids: list[int], day: dt.date) -> int | None:
    """Normal calls since the last priority call of the day; None if none was called yet."""
    called = Ticket.objects.filter(queue_id__in=queue_ids, service_day=day, called_at__isnull=False)
    last_priority = (
        called.exclude(priority=Ticket.Priority.NONE)
        .order_by("-called_at")
        .values_list("called_at", flat=True)
        .first()
    )
    if last_priority is None:
        return None
    return called.filter(priority=Ticket.Priority.NONE, called_at__gt=last_priority).count()


def call_ticket(*, counter: Counter, ticket: Ticket, reason: str, acting_user: Any) -> Ticket:
    """Call one waiting ticket out of order; the reason is recorded."""
    _require_open(counter)
    if not reason.strip():
        raise WrongState(
            _("Sebutkan alasan memanggil nomor di luar urutan."), code="reason_required"
        )
    # Free text typed at the console is kept on the ticket, its history and the audit trail:
    # a NIK or phone number typed into it is masked first (core/privacy.py).
    reason, _masked = mask_personal_data(reason.strip())
    now = clock.now()
    if not counter.queues.filter(pk=ticket.queue_id).exists():
        raise WrongState(
            _("Loket %(c)d tidak melayani antrean %(q)s.")
            % {"c": counter.number, "q": ticket.queue.letter},
            code="not_this_counter",
        )
    with write_transaction():
        _require_free(counter)
        Queue.objects.select_for_update(no_key=True).filter(pk=ticket.queue_id).first()
        ticket = (
            Ticket.objects.select_for_update(of=("self",), no_key=True)
            .select_related("queue")
            .get(pk=ticket.pk)
        )
        _require_state(ticket, Ticket.Status.WAITING, _("dipanggil"))
        _mark_called(
            ticket,
            counter,
            now,
            _("di luar urutan: %(r)s") % {"r": reason.strip()},
            acting_user,
            rule="out_of_order",
        )
    return ticket


def _mark_called(
    ticket: Ticket, counter: Counter, now: dt.datetime, reason: str, acting_user: Any, *, rule: str
) -> None:
    """The only way out of WAITING: the day's waiting count goes down with it."""
    DailySequence.objects.filter(queue_id=ticket.queue_id, service_day=ticket.service_day).update(
        waiting=F("waiting") - 1
    )
    ticket.status = Ticket.Status.CALLED
    ticket.counter = counter
    ticket.called_at = now
    ticket.call_reason = reason
    ticket.save(update_fields=["status", "counter", "called_at", "call_reason"])
    # The estimates this citizen was given are scored against this moment (docs/adr/0034).
    CallEstimate.objects.filter(ticket=ticket, called_at__isnull=True).update(called_at=now)
    _record(
        ticket, "called", now, acting_user, counter=counter, data={"rule": rule, "reason": reason}
    )
    if not counter.mall.is_operating:  # a Mini MPP's trial day: the go-live gate counts it
        trials.note_called(ticket.mall_id, ticket.service_day)
    publish_ticket(ticket, "ticket.called")
    from mpp.queueing import alerts  # imports position, which imports this module

    alerts.after_call(ticket)  # "3 nomor lagi" / "giliran Anda", checked after the commit


def _require_state(ticket: Ticket, *allowed_and_verb: str) -> None:
    *allowed, verb = allowed_and_verb
    if ticket.status not in allowed:
        raise WrongState(
            _("Nomor %(n)s tidak dapat %(v)s karena berstatus %(s)s.")
            % {"n": ticket.display_number, "v": verb, "s": ticket.get_status_display().lower()},
            code=f"ticket_{ticket.status}",
        )


def _locked(ticket: Ticket) -> Ticket:
    return (
        Ticket.objects.select_for_update(of=("self",), no_key=True)
        .select_related("queue", "counter")
        .get(pk=ticket.pk)
    )


def recall_ticket(*, ticket: Ticket, acting_user: Any) -> Ticket:
    """Call the same number again (the board speaks it again)."""
    now = clock.now()
    with write_transaction():
        ticket = _locked(ticket)
        _require_state(ticket, Ticket.Status.CALLED, _("dipanggil ulang"))
        ticket.recall_count += 1
        ticket.save(update_fields=["recall_count"])
        _record(
            ticket,
            "recalled",
            now,
            acting_user,
            counter=ticket.counter,
            data={"recall": ticket.recall_count},
        )
        publish_ticket(ticket, "ticket.recalled")
    return ticket


def start_ticket(*, ticket: Ticket, acting_user: Any) -> Ticket:
    """The citizen has come to the counter: service starts."""
    now = clock.now()
    with write_transaction():
        ticket = _locked(ticket)
        _require_state(ticket, Ticket.Status.CALLED, _("mulai dilayani"))
        ticket.status = Ticket.Status.SERVING
        ticket.started_at = now
        ticket.save(update_fields=["status", "started_at"])
        _record(ticket, "started", now, acting_user, counter=ticket.counter)
        publish_ticket(ticket, "ticket.started")
    return ticket


def finish_ticket(
    *, ticket: Ticket, outcome: str, reason: str = "", acting_user: Any, phone: str = ""
) -> Ticket:
    """Service ends with an outcome: done, must come back, rejected (with a reason), or files
    received for processing over days ("berkas diterima"), which opens an application
    (applications.actions.open_application, its receipt sent to `phone` when given) in the
    same transaction: a refused application (a malformed phone) leaves the ticket serving."""
    if outcome not in Ticket.Outcome.values:
        raise WrongState(_("Hasil layanan tidak dikenal."), code="unknown_outcome")
    if outcome in (Ticket.Outcome.REJECTED, Ticket.Outcome.COME_BACK) and not reason.strip():
        raise WrongState(_("Sebutkan alasannya."), code="reason_required")
    now = clock.now()
    with write_transaction():
        ticket = _locked(ticket)
        _require_state(ticket, Ticket.Status.SERVING, _("diselesaikan"))
        ticket.status = Ticket.Status.DONE
        ticket.finished_at = now
        ticket.outcome = outcome
        ticket.outcome_reason = mask_personal_data(reason.strip())[0]  # kept, shown: no NIK
        ticket.save(update_fields=["status", "finished_at", "outcome", "outcome_reason"])
        _record(
            ticket, "finished", now, acting_user, counter=ticket.counter, data={"outcome": outcome}
        )
        if outcome == Ticket.Outcome.FILES_RECEIVED:
            open_application(
                mall=ticket.mall,
                service=ticket.service,
                acting_user=acting_user,
                ticket_code=ticket.code,
                phone=phone,
            )
        publish_ticket(ticket, "ticket.finished")
    return ticket


def mark_no_show(*, ticket: Ticket, acting_user: Any) -> Ticket:
    """The citizen did not come after the recalls the mall's rules ask for."""
    now = clock.now()
    with write_transaction():
        ticket = _locked(ticket)
        _require_state(ticket, Ticket.Status.CALLED, _("dinyatakan tidak hadir"))
        needed = settings_of(ticket.mall).recalls_before_no_show
        if ticket.recall_count < needed:
            raise WrongState(
                _("Panggil ulang nomor %(n)s dulu (%(done)d dari %(need)d kali).")
                % {"n": ticket.display_number, "done": ticket.recall_count, "need": needed},
                code="recalls_needed",
            )
        ticket.status = Ticket.Status.NO_SHOW
        ticket.finished_at = now
        ticket.save(update_fields=["status", "finished_at"])
        _record(ticket, "no_show", now, acting_user, counter=ticket.counter)
        publish_ticket(ticket, "ticket.no_show")
    return ticket


def cancel_ticket(*, ticket: Ticket, acting_user: Any = None, channel: str) -> Ticket:
    """The citizen gives up a number that still waits (from the phone page or the API), so no
    counter calls it and no officer waits for a no-show; `channel` is where they did it
    ("phone", "api"), kept in the history and the audit trail.

    Invariants: only a waiting ticket, never one already called: the queue row is locked first,
    as call_next locks it before it chooses, so a cancel and a call of the same ticket are
    decided one after the other and the loser sees the winner's state (409). The day's waiting
    count goes down with it. Counted in the reports as cancelled: neither served nor absent."""
    now = clock.now()
    with write_transaction():
        Queue.objects.select_for_update(no_key=True).filter(pk=ticket.queue_id).first()
        ticket = _locked(ticket)
        _require_state(ticket, Ticket.Status.WAITING, _("dibatalkan"))
        DailySequence.objects.filter(
            queue_id=ticket.queue_id, service_day=ticket.service_day
        ).update(waiting=F("waiting") - 1)
        ticket.status = Ticket.Status.CANCELLED
        ticket.finished_at = now
        ticket.save(update_fields=["status", "finished_at"])
        _record(ticket, "cancelled", now, acting_user, data={"channel": channel})
        publish_ticket(ticket, "ticket.cancelled")
    return ticket


def transfer_ticket(*, ticket: Ticket, service: Service, acting_user: Any) -> Ticket:
    """Send the citizen to another service (perhaps another tenant) without losing their place:
    a new number in the target queue that keeps the original waiting time.

    Invariants: never to the service the ticket is already in (that would only renumber the
    citizen in the same line, away from the number on their slip); the target must be offered
    at the ticket's mall and take numbers today, as for a ticket issued by staff."""
    if service.pk == ticket.service_id:
        raise WrongState(
            _("Nomor %(n)s sudah berada di layanan %(s)s; pilih layanan lain untuk dialihkan.")
            % {"n": ticket.display_number, "s": service.name},
            code="same_service",
        )
    now = clock.now()
    mall = ticket.mall
    at_mall, offer = issue_refs(mall, service, ticket.service_day)
    if offer is None:
        raise _not_offered(service, mall)
    target_queue = _check_can_issue(
        at_mall, offer, channel=Ticket.Channel.STAFF, now=now, day=ticket.service_day
    )
    with write_transaction():
        ticket = _locked(ticket)
        _require_state(ticket, Ticket.Status.CALLED, Ticket.Status.SERVING, _("dialihkan"))
        new, _ahead = new_ticket(
            mall=mall,
            queue=target_queue,
            service=service,
            service_day=ticket.service_day,
            priority=ticket.priority,
            channel=ticket.channel,
            idempotency_key=None,
            issued_by_id=getattr(acting_user, "pk", None),
            waiting_since=ticket.waiting_since,
        )
        ticket.status = Ticket.Status.TRANSFERRED
        ticket.finished_at = now
        ticket.transferred_to = new
        ticket.save(update_fields=["status", "finished_at", "transferred_to"])
        _record(
            ticket,
            "transferred",
            now,
            acting_user,
            counter=ticket.counter,
            data={"to": new.display_number, "service_id": service.pk},
        )
        publish_ticket(ticket, "ticket.transferred")
        publish_ticket(new, "ticket.issued")
    return new


# --- records and events ---------------------------------------------------------------------


def _record(
    ticket: Ticket,
    kind: str,
    at: dt.datetime,
    actor: Any,
    *,
    counter: Counter | None = None,
    data: dict[str, Any] | None = None,
) -> None:
    """Write the step's TicketEvent (the ticket's history, shown to staff and measured by the
    reports) and its audit entry (the trail of staff actions across apps: who did what, where).
    Issuing writes neither: the ticket row is its record (docs/adr/0015)."""
    TicketEvent.objects.create(
        ticket=ticket,
        type=kind,
        at=at,
        actor=actor if getattr(actor, "pk", None) else None,
        counter=counter,
        data=data or {},
    )
    audit(
        actor=actor,
        action=f"ticket.{kind}",
        obj=ticket,
        mall_id=ticket.mall_id,
        data={
            "number": ticket.display_number,
            "service_day": ticket.service_day.isoformat(),
            "counter": counter.number if counter is not None else None,
            **(data or {}),
        },
    )
