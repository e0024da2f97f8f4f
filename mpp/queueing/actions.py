"""Every state change of the queue: issue, call, recall, start, finish, no-show, transfer.

Each action is one write transaction that writes the ticket and its TicketEvent (issuing writes
the ticket alone: issued_at, channel and issued_by are its first step), and publishes one
event to the mall's group after commit. Events carry numbers and counters only: they reach
public screens.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection
from django.db.models import F, Q
from django.utils.translation import gettext as _

from mpp.catalog.models import MallTenant, Service, Tenant
from mpp.core import clock
from mpp.core.db import write_transaction
from mpp.core.events import Event, group_name, publish
from mpp.core.models import audit
from mpp.core.ratelimit import allow
from mpp.malls.models import Mall
from mpp.queueing.announce import call_text
from mpp.queueing.exceptions import TicketRefused, WrongState
from mpp.queueing.models import (
    Counter,
    DailySequence,
    Queue,
    QueueSettings,
    Ticket,
    TicketEvent,
)
from mpp.queueing.policy import Candidate, choose_next
from mpp.queueing.refs import MallRefs, OfferRefs, issue_refs


@dataclass(frozen=True)
class Issued:
    ticket: Ticket
    ahead: int
    created: bool  # False when an idempotency key returned an earlier ticket


# Phones without an account may take numbers; this many per address per minute (API and page).
PHONE_ISSUES_PER_MINUTE = 6


def phone_may_issue(address: str) -> bool:
    """Rate limit of anonymous ticket requests from one address (flooding phones)."""
    return allow(f"issue:{address}", limit=PHONE_ISSUES_PER_MINUTE, window_seconds=60)


# Channels of a citizen who is not in the building (a phone, the virtual hall): the mall's
# online rules (online queue open, online cut-off) apply to them.
REMOTE_CHANNELS = (Ticket.Channel.ONLINE, Ticket.Channel.METAPERS)


def settings_of(mall: Mall) -> QueueSettings:
    found, _created = QueueSettings.objects.get_or_create(mall=mall)
    return found


def service_day(mall: Mall, instant: dt.datetime | None = None) -> dt.date:
    """The service day of a ticket: the mall's local date (numbers restart each day)."""
    return (instant or clock.now()).astimezone(mall.zone).date()


def issue_ticket(
    *,
    mall: Mall,
    service: Service,
    channel: str,
    priority: str = Ticket.Priority.NONE,
    idempotency_key: str | None = None,
    acting_user: Any = None,
) -> Issued:
    """Give the next number of the service's queue at `mall` for today.

    Invariants: numbers of a (queue, day) are unique and gapless under any concurrency — the
    day's sequence row is locked while the number is taken, and a unique constraint guards it;
    an idempotency key returns the ticket it gave before instead of a new one.
    """
    day = service_day(mall, clock.now())
    at_mall, offer = issue_refs(mall.pk, service.pk)
    if at_mall is None or offer is None:  # deleted or withdrawn since the caller fetched it
        raise _not_offered(service, mall)
    queue = _check_can_issue(at_mall, offer, channel=channel, now=clock.now(), day=day)
    try:
        with write_transaction():
            if idempotency_key:
                # A double tap on SQLite waits for the first tap's commit (one writer) and finds
                # its ticket here; on PostgreSQL the unique constraint settles a race (below).
                earlier = Ticket.objects.filter(mall=mall, idempotency_key=idempotency_key).first()
                if earlier is not None:
                    return Issued(earlier, ahead_of(earlier), created=False)
            # Everyone waiting in the queue now is ahead: arrival order and number order agree
            # for new tickets, as the time is taken under the sequence lock.
            number, ahead = _take_number(queue, day)
            now = clock.now()
            if offer.daily_quota is not None:
                _check_quota(mall=mall, service=offer.service, day=day, quota=offer.daily_quota)
            ticket = Ticket.objects.create(
                mall=mall,
                queue=queue,
                service=offer.service,
                service_day=day,
                number=number,
                priority=priority,
                channel=channel,
                issued_at=now,
                waiting_since=now,
                idempotency_key=idempotency_key or None,
                issued_by=acting_user if getattr(acting_user, "pk", None) else None,
            )
            _publish(ticket, "ticket.issued")
    except IntegrityError:
        # The same key used at once by two requests: the loser's whole transaction, number
        # included, is rolled back (no gap), and the ticket that won is returned.
        earlier = (
            Ticket.objects.filter(mall=mall, idempotency_key=idempotency_key).first()
            if idempotency_key
            else None
        )
        if earlier is None:
            raise
        return Issued(earlier, ahead_of(earlier), created=False)
    return Issued(ticket, ahead, created=True)


_NEXT_NUMBER_SQL = (
    f"UPDATE {DailySequence._meta.db_table} "  # noqa: S608
    "SET last_number = last_number + 1, waiting = waiting + 1 "
    "WHERE queue_id = %s AND service_day = %s RETURNING last_number, waiting"
)


def _take_number(queue: Queue, day: dt.date) -> tuple[int, int]:
    """The next number of `queue` on `day`, and how many of the queue's tickets waited before.

    The sequence row stays locked until commit. One UPDATE ... RETURNING (SQLite 3.35+,
    PostgreSQL) instead of lock, read, write and count: the increments happen in the database
    under the row's write lock, so two transactions never read the same last number, and
    PostgreSQL returns the row as the transaction we waited for left it. Plain SQL: the ORM
    spent four times as long building these statements as the database spent running them, and
    counting the waiting tickets grew with the queue (docs/BENCHMARKS.md). The day's first
    ticket creates the row (ON CONFLICT DO NOTHING) and tries again."""
    params = [queue.pk, connection.ops.adapt_datefield_value(day)]
    with connection.cursor() as cursor:
        cursor.execute(_NEXT_NUMBER_SQL, params)
        row = cursor.fetchone()
        if row is None:
            DailySequence.objects.bulk_create(
                [DailySequence(queue=queue, service_day=day)], ignore_conflicts=True
            )
            cursor.execute(_NEXT_NUMBER_SQL, params)
            row = cursor.fetchone()
    return int(row[0]), int(row[1]) - 1


def _check_can_issue(
    at_mall: MallRefs, offer: OfferRefs, *, channel: str, now: dt.datetime, day: dt.date
) -> Queue:
    mall, service, rules = at_mall.mall, offer.service, at_mall.settings
    if not offer.is_offered:
        raise _not_offered(service, mall)
    if not mall.is_operating:
        raise TicketRefused(
            _("%(m)s belum beroperasi.") % {"m": mall.short_name}, code="mall_not_operating"
        )
    if offer.queue is None:
        raise TicketRefused(
            _("Antrean %(t)s di %(m)s belum dibuka.")
            % {"t": service.tenant.short_name, "m": mall.short_name},
            code="queue_missing",
        )
    if channel in REMOTE_CHANNELS and not rules.is_online_open:
        raise TicketRefused(
            _("Antrean online di %(m)s sedang ditutup.") % {"m": mall.short_name},
            code="online_closed",
        )
    if settings.MPP_DEMO_ALWAYS_OPEN:
        return offer.queue
    state = mall.state_at(now, hours=at_mall.hours, holidays=set(at_mall.holidays))
    if state.code in ("closed_today", "after_close", "before_open"):
        message = _("%(m)s tutup saat ini.") % {"m": mall.short_name}
        if state.code == "closed_today" and day in at_mall.holidays:
            message = _("%(m)s tutup karena hari libur.") % {"m": mall.short_name}
        raise TicketRefused(message, code="mall_closed")
    if not state.is_taking_numbers and state.code == "open":
        raise TicketRefused(
            _("Pengambilan nomor antrean hari ini sudah ditutup pukul %(t)s.")
            % {"t": state.last_ticket_at.strftime("%H.%M") if state.last_ticket_at else ""},
            code="past_cutoff",
        )
    if (
        channel in REMOTE_CHANNELS
        and rules.online_cutoff is not None
        and now.astimezone(mall.zone).time() >= rules.online_cutoff
    ):
        raise TicketRefused(
            _("Antrean online hari ini ditutup pukul %(t)s; silakan ambil nomor di kios.")
            % {"t": rules.online_cutoff.strftime("%H.%M")},
            code="online_cutoff",
        )
    if str(day.isoweekday()) not in offer.days:
        raise TicketRefused(
            _("%(t)s melayani di %(m)s hanya pada hari %(d)s.")
            % {"t": service.tenant.short_name, "m": mall.short_name, "d": offer.days_display},
            code="not_today",
        )
    return offer.queue


def _not_offered(service: Service, mall: Mall) -> TicketRefused:
    return TicketRefused(
        _("Layanan %(s)s tidak tersedia di %(m)s.") % {"s": service.name, "m": mall.short_name},
        code="service_not_offered",
    )


def _check_quota(*, mall: Mall, service: Service, day: dt.date, quota: int) -> None:
    taken = Ticket.objects.filter(mall=mall, service=service, service_day=day).count()
    if taken >= quota:
        raise TicketRefused(
            _("Kuota harian %(s)s (%(n)d nomor) sudah habis. Silakan datang besok.")
            % {"s": service.name, "n": quota},
            code="quota_reached",
        )


def ahead_of(ticket: Ticket) -> int:
    """How many tickets of the same queue wait before this one (by arrival, then number)."""
    if ticket.status != Ticket.Status.WAITING:
        return 0
    earlier = Q(waiting_since__lt=ticket.waiting_since) | Q(
        waiting_since=ticket.waiting_since, number__lt=ticket.number
    )
    return Ticket.objects.filter(
        earlier,
        queue_id=ticket.queue_id,
        service_day=ticket.service_day,
        status=Ticket.Status.WAITING,
    ).count()


# --- counters -------------------------------------------------------------------------------


def set_counter_status(*, counter: Counter, status: str, acting_user: Any) -> Counter:
    """Open, pause or close a counter; opening it takes it for `acting_user`."""
    with write_transaction():
        counter = Counter.objects.select_for_update().get(pk=counter.pk)
        counter.status = status
        counter.officer = acting_user if status != Counter.Status.CLOSED else None
        counter.save(update_fields=["status", "officer"])
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
        counter = Counter.objects.select_for_update().select_related("mall").get(pk=counter.pk)
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
        # Lock the counter's queues in a fixed order (no deadlock between counters).
        queue_ids = list(
            Queue.objects.select_for_update()
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
        since = _normal_calls_since_priority(queue_ids, day)
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
            Ticket.objects.select_for_update(of=("self",))
            .select_related("queue")
            .get(pk=choice.ticket_id)
        )
        _mark_called(ticket, counter, now, choice.reason, acting_user, rule=choice.rule)
    return ticket


def _normal_calls_since_priority(queue_ids: list[int], day: dt.date) -> int | None:
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
    now = clock.now()
    if not counter.queues.filter(pk=ticket.queue_id).exists():
        raise WrongState(
            _("Loket %(c)d tidak melayani antrean %(q)s.")
            % {"c": counter.number, "q": ticket.queue.letter},
            code="not_this_counter",
        )
    with write_transaction():
        Queue.objects.select_for_update().filter(pk=ticket.queue_id).first()
        ticket = (
            Ticket.objects.select_for_update(of=("self",)).select_related("queue").get(pk=ticket.pk)
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
    _record(
        ticket, "called", now, acting_user, counter=counter, data={"rule": rule, "reason": reason}
    )
    _publish(ticket, "ticket.called")


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
        Ticket.objects.select_for_update(of=("self",))
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
        _publish(ticket, "ticket.recalled")
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
        _publish(ticket, "ticket.started")
    return ticket


def finish_ticket(*, ticket: Ticket, outcome: str, reason: str = "", acting_user: Any) -> Ticket:
    """Service ends with an outcome: done, must come back, or rejected (with a reason)."""
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
        ticket.outcome_reason = reason.strip()
        ticket.save(update_fields=["status", "finished_at", "outcome", "outcome_reason"])
        _record(
            ticket, "finished", now, acting_user, counter=ticket.counter, data={"outcome": outcome}
        )
        _publish(ticket, "ticket.finished")
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
        _publish(ticket, "ticket.no_show")
    return ticket


def transfer_ticket(*, ticket: Ticket, service: Service, acting_user: Any) -> Ticket:
    """Send the citizen to another service (perhaps another tenant) without losing their place:
    a new number in the target queue that keeps the original waiting time."""
    now = clock.now()
    mall = ticket.mall
    at_mall, offer = issue_refs(mall.pk, service.pk)
    if at_mall is None or offer is None:
        raise _not_offered(service, mall)
    target_queue = _check_can_issue(
        at_mall, offer, channel=Ticket.Channel.STAFF, now=now, day=ticket.service_day
    )
    with write_transaction():
        ticket = _locked(ticket)
        _require_state(ticket, Ticket.Status.CALLED, Ticket.Status.SERVING, _("dialihkan"))
        number, _waiting = _take_number(target_queue, ticket.service_day)
        new = Ticket.objects.create(
            mall=mall,
            queue=target_queue,
            service=service,
            service_day=ticket.service_day,
            number=number,
            priority=ticket.priority,
            channel=ticket.channel,
            issued_at=now,
            waiting_since=ticket.waiting_since,
            issued_by=acting_user if getattr(acting_user, "pk", None) else None,
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
        _publish(ticket, "ticket.transferred")
        _publish(new, "ticket.issued")
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
    TicketEvent.objects.create(
        ticket=ticket,
        type=kind,
        at=at,
        actor=actor if getattr(actor, "pk", None) else None,
        counter=counter,
        data=data or {},
    )


def _publish(ticket: Ticket, event_type: str) -> None:
    """No personal data: the number, its queue and counter, the status; what a board may show."""
    counter = ticket.counter
    payload: dict[str, Any] = {
        "ticket_id": ticket.pk,
        "number": ticket.display_number,
        "queue": ticket.queue.letter,
        "status": ticket.status,
        "counter": counter.number if counter else None,
        "recall": ticket.recall_count,
    }
    if event_type in ("ticket.called", "ticket.recalled") and counter is not None:
        # What the boards say, in words (num2words): "Nomor antrean A satu, silakan menuju ...".
        payload["say"] = call_text(
            letter=ticket.queue.letter, number=ticket.number, counter_number=counter.number
        )
    publish(group_name("mall", ticket.mall_id), Event(event_type, payload))
