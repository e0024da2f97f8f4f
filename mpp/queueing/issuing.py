"""Issuing a ticket, the queue's hot path: kiosks, phones and the virtual hall ask for numbers.

A number and its ticket are written by as few statements as each database allows
(docs/adr/0011-a-number-and-its-ticket-in-one-statement.md):

- PostgreSQL: one statement, committed on its own. A data-modifying WITH upserts the day's
  sequence row (which locks it) and inserts the ticket with the number it returned. The row lock
  is held from that statement to its commit, inside the server: no round trip, no Python and no
  wait for the interpreter lock while other issuers of the queue wait for it.
  The statement is prepared once per connection: planning it for every ticket took PostgreSQL
  more CPU than running it (docs/adr/0012-what-issuing-costs-and-the-seventy-percent.md).
- SQLite: the in-process writer lock and BEGIN IMMEDIATE (core.db), the upsert, the insert,
  COMMIT: SQLite has no data-modifying WITH, and its one writer serialises them anyway.

Both run the same upsert (`INSERT … ON CONFLICT DO UPDATE … RETURNING`), so the day's first
ticket needs no second try. It also keeps the day's last ticket time, and a ticket takes the later
of that and its clock reading: times follow numbers (docs/adr/0012). Both write the row with
plain SQL built once from the model's fields: the ORM spent about 0.4 ms of Python compiling
each ticket's INSERT on this machine, three times what SQLite took to run it. A unique
constraint on (queue, day, number) still guards every number, and a failed statement leaves no
gap: its upsert fails with it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, connection
from django.db.models import Q
from django.utils.translation import gettext as _

from mpp.catalog.models import Service
from mpp.core import clock
from mpp.core.db import write_transaction
from mpp.core.events import Event, group_name, publish
from mpp.core.ratelimit import allow
from mpp.malls.models import Mall
from mpp.queueing.announce import call_text
from mpp.queueing.exceptions import IdempotencyKeyReused, TicketRefused
from mpp.queueing.models import DailySequence, Queue, QueueSettings, Ticket, new_ticket_code
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
    idempotency_owner: str | None = None,
    acting_user: Any = None,
) -> Issued:
    """Give the next number of the service's queue at `mall` for today.

    Invariants: numbers of a (queue, day) are unique and gapless under any concurrency — the
    day's sequence row is locked while the number is taken, and a unique constraint guards it;
    an idempotency key returns the ticket it gave before instead of a new one, to the same
    caller (`idempotency_owner`, queueing.access.idempotency_owner) and for the same service and
    priority only: the same key with another request is refused (IdempotencyKeyReused), and
    another caller's key of the same text is another key (docs/adr/0005); never is a request
    answered with another citizen's ticket. A key without an owner is refused.
    """
    now = clock.now()
    day = service_day(mall, now)
    at_mall, offer = issue_refs(mall.pk, service.pk)
    if at_mall is None or offer is None:  # deleted or withdrawn since the caller fetched it
        raise _not_offered(service, mall)
    queue = _check_can_issue(at_mall, offer, channel=channel, now=now, day=day)
    key = idempotency_key or None
    owner = idempotency_owner or ""
    if key:
        if not owner:
            raise _unowned_key()
        # A double tap usually arrives after the first tap's commit and finds its ticket here;
        # taps at the same instant are settled by the unique constraint (below).
        earlier = _earlier(mall, owner, key, service=offer.service, priority=priority, day=day)
        if earlier is not None:
            return earlier
    try:
        with _issuing_transaction(quota=offer.daily_quota):
            ticket, ahead = new_ticket(
                mall=mall,
                queue=queue,
                service=offer.service,
                service_day=day,
                priority=priority,
                channel=channel,
                idempotency_key=key,
                idempotency_owner=owner,
                issued_by_id=getattr(acting_user, "pk", None),
                waiting_since=None,
            )
            if offer.daily_quota is not None:
                _check_quota(ticket, quota=offer.daily_quota)
            publish_ticket(ticket, "ticket.issued")  # at commit
    except IntegrityError:
        # The same key used at once by two requests: the loser's statement or transaction,
        # number included, is rolled back (no gap), and the ticket that won is returned.
        earlier = (
            _earlier(mall, owner, key, service=offer.service, priority=priority, day=day)
            if key
            else None
        )
        if earlier is None:
            raise
        return earlier
    return Issued(ticket, ahead, created=True)


@contextlib.contextmanager
def _issuing_transaction(*, quota: int | None) -> Iterator[None]:
    """What one ticket's statements run in.

    PostgreSQL outside a transaction: nothing (autocommit), as `new_ticket` is one statement.
    A daily quota is counted after the insert, under the sequence row's lock, so that case and
    SQLite (where the writer lock and BEGIN IMMEDIATE keep writers in line) use a transaction;
    inside an outer transaction (tests, the training scenario) a savepoint keeps a failed
    statement from spoiling it."""
    if connection.vendor == "postgresql" and quota is None and not connection.in_atomic_block:
        connection.ensure_connection()
        yield
    else:
        with write_transaction():
            yield


def _earlier(
    mall: Mall, owner: str, key: str, *, service: Service, priority: str, day: dt.date
) -> Issued | None:
    """The ticket `owner`'s `key` gave before at `mall`, if any; refused if it answered another
    request. Another owner's ticket under the same key is never looked at: their key is theirs.

    A kiosk page restored by the browser's Back button resends its key with the next citizen's
    choice: handing back the earlier ticket would give them someone else's number and priority.
    A page kept in a cache (the Metapers service worker's) resends a key of an earlier day:
    that day's ticket is no answer today."""
    earlier = (
        Ticket.objects.select_related("queue")
        .filter(mall=mall, idempotency_owner=owner, idempotency_key=key)
        .first()
    )
    if earlier is None:
        return None
    if (
        earlier.service_id != service.pk
        or earlier.priority != priority
        or earlier.service_day != day
    ):
        raise IdempotencyKeyReused(
            _(
                "Kunci permintaan ini sudah dipakai untuk nomor antrean lain (layanan, "
                "prioritas, atau hari lain). Ulangi dengan permintaan baru."
            ),
            code="idempotency_key_reused",
        )
    return Issued(earlier, ahead_of(earlier), created=False)


def _unowned_key() -> TicketRefused:
    """A key from a caller with no token, no signed-in user and no browser cookie: nothing tells
    their key from anyone else's, so it cannot name their request (docs/adr/0005)."""
    return TicketRefused(
        _(
            "Idempotency-Key hanya berlaku bagi pemanggil yang dikenali: kirim token API, atau "
            "kirim permintaan dari peramban yang menyimpan cookie situs ini."
        ),
        code="idempotency_key_without_caller",
    )


# --- the statement --------------------------------------------------------------------------


def new_ticket(
    *,
    mall: Mall,
    queue: Queue,
    service: Service,
    service_day: dt.date,
    priority: str,
    channel: str,
    idempotency_key: str | None,
    issued_by_id: int | None,
    waiting_since: dt.datetime | None,
    idempotency_owner: str = "",
) -> tuple[Ticket, int]:
    """Take the next number of `queue` on `service_day` and write its waiting ticket.

    Returns the ticket and how many of the queue's tickets waited before it. `waiting_since`
    None means now (issuing); a transfer keeps the citizen's original time. On SQLite the caller
    holds the write transaction; on PostgreSQL this is one statement, in the caller's
    transaction if there is one, committed on its own otherwise."""
    now = clock.now()
    code = new_ticket_code()
    ops = connection.ops
    sql = _statements(connection.vendor)
    kept = ops.adapt_datetimefield_value(waiting_since) if waiting_since is not None else None
    explicit = {
        "mall_id": mall.pk,
        "queue_id": queue.pk,
        "service_id": service.pk,
        "service_day": ops.adapt_datefield_value(service_day),
        "code": code,
        "priority": priority,
        "channel": channel,
        "issued_at": None,  # the time the sequence row gives (below)
        "issued_by_id": issued_by_id,
        "waiting_since": kept,  # None: the ticket's own time
        "idempotency_key": idempotency_key,
        "idempotency_owner": idempotency_owner,
    }
    sequence = [queue.pk, explicit["service_day"], ops.adapt_datetimefield_value(now)]
    if sql.one_statement is not None:
        values = [explicit.get(name, value) for name, value in sql.defaults]
        with _prepared_cursor() as cursor:
            cursor.execute(sql.one_statement, [*sequence, *values])
            pk, number, waiting, issued_at = cursor.fetchone()
    else:
        with connection.cursor() as cursor:
            cursor.execute(sql.take_number, sequence)
            number, waiting, issued_at = cursor.fetchone()
            explicit.update(issued_at=issued_at, waiting_since=kept or issued_at)
            values = [explicit.get(name, value) for name, value in sql.defaults]
            cursor.execute(sql.insert_ticket, [number, *values])
            (pk,) = cursor.fetchone()
    if connection.vendor == "sqlite":  # a naive UTC time (or its text), as SQLite keeps it
        issued_at = ops.convert_datetimefield_value(issued_at, None, connection)  # type: ignore[attr-defined]
    given = {
        **explicit,
        "id": pk,
        "number": number,
        "service_day": service_day,
        "issued_at": issued_at,
        "waiting_since": waiting_since or issued_at,
    }
    # Positional values in the model's field order: Django's quick way to build an instance.
    ticket = Ticket.from_db(
        connection.alias,
        None,  # type: ignore[arg-type]  # Django accepts None: the values are in field order
        [given.get(name, value) for name, value in sql.python],
    )
    ticket._state.fields_cache.update(mall=mall, queue=queue, service=service)
    return ticket, int(waiting) - 1


def _prepared_cursor() -> Any:
    """A cursor whose statements PostgreSQL parses and plans once per connection.

    Django binds parameters on the client (`server_side_binding` off), so PostgreSQL parsed and
    planned the issuing statement for every ticket: 390 µs of its CPU per ticket here, against
    170 µs for a prepared statement (docs/adr/0012). Only this statement is prepared; the
    connection's other cursors are Django's. The cursor goes through Django's wrapper, so errors
    are Django's (IntegrityError) and the statement is logged like any other."""
    connection.ensure_connection()
    raw = _always_prepared()(connection.connection)
    if connection.queries_logged:
        return connection.make_debug_cursor(raw)
    return connection.make_cursor(raw)


@functools.cache
def _always_prepared() -> type:
    # Imported here: the module needs psycopg, which the embedded default (SQLite) does not use.
    from django.db.backends.postgresql.base import (  # type: ignore[attr-defined]
        ServerBindingCursor,  # defined only when psycopg 3 is installed
    )

    class AlwaysPrepared(ServerBindingCursor):  # type: ignore[misc,valid-type]
        def execute(self, query: Any, params: Any = None, **kwargs: Any) -> Any:
            return super().execute(query, params, prepare=True, **kwargs)

    return AlwaysPrepared


@dataclass(frozen=True)
class _Statements:
    # (attname, value) of every column but the id and the number, in insertion order; values
    # given per ticket (`explicit` in new_ticket) replace the constant defaults.
    defaults: tuple[tuple[str, Any], ...]
    # (attname, Python default) of every field, in the model's order, for the instance.
    python: tuple[tuple[str, Any], ...]
    take_number: str
    insert_ticket: str  # the number, then `defaults`
    one_statement: str | None  # PostgreSQL: the sequence's key, then `defaults`


_PER_TICKET = frozenset(
    {
        "mall_id",
        "queue_id",
        "service_id",
        "service_day",
        "code",
        "priority",
        "channel",
        "issued_at",
        "issued_by_id",
        "waiting_since",
        "idempotency_key",
        "idempotency_owner",
    }
)


@functools.cache
def _statements(vendor: str) -> _Statements:
    """Built once from the model, so a new column cannot be forgotten: it gets its constant
    default ("" for text, else None, which a NOT NULL column refuses at the first ticket); a
    field whose default is computed per row must be given per ticket, or this refuses."""
    quote = connection.ops.quote_name
    defaults, python = [], []
    for field in Ticket._meta.concrete_fields:
        if field.primary_key or field.attname in _PER_TICKET or field.attname == "number":
            python.append((field.attname, None))
            if not field.primary_key and field.attname != "number":
                defaults.append((field.attname, None))
            continue
        if field.has_default() and callable(field.default):
            raise ImproperlyConfigured(f"issuing: Ticket.{field.attname}'s default is computed")
        python.append((field.attname, field.get_default()))
        defaults.append((field.attname, field.get_db_prep_save(field.get_default(), connection)))
    column = {field.attname: field.column for field in Ticket._meta.concrete_fields}
    columns = ", ".join(quote(column[name]) for name, _v in defaults)
    marks = ", ".join(["%s"] * len(defaults))
    seq, ticket = quote(DailySequence._meta.db_table), quote(Ticket._meta.db_table)
    # The day's time never runs backwards: the later of the row's last time and this ticket's
    # clock reading, taken under the row's lock (GREATEST on PostgreSQL, SQLite's MAX).
    later = "GREATEST" if vendor == "postgresql" else "MAX"
    upsert = (
        f"INSERT INTO {seq} (queue_id, service_day, last_number, waiting, last_issued_at) "  # noqa: S608
        "VALUES (%s, %s, 1, 1, %s) ON CONFLICT (queue_id, service_day) DO UPDATE "
        f"SET last_number = {seq}.last_number + 1, waiting = {seq}.waiting + 1, "
        f"last_issued_at = {later}(COALESCE({seq}.last_issued_at, excluded.last_issued_at), "
        "excluded.last_issued_at) "
        "RETURNING last_number, waiting, last_issued_at"
    )
    insert = f"INSERT INTO {ticket} (number, {columns}) VALUES (%s, {marks}) RETURNING id"  # noqa: S608
    one = None
    if vendor == "postgresql":
        # issued_at and waiting_since: the time from the sequence row unless one is given (a
        # transfer keeps the citizen's waiting time).
        from_row = "COALESCE(%s, (SELECT last_issued_at FROM s))"
        one_marks = ", ".join(
            from_row if name in ("issued_at", "waiting_since") else "%s" for name, _v in defaults
        )
        one = (
            f"WITH s AS ({upsert}), "  # noqa: S608
            f"t AS (INSERT INTO {ticket} (number, {columns}) "
            f"VALUES ((SELECT last_number FROM s), {one_marks}) RETURNING id, number) "
            "SELECT t.id, t.number, s.waiting, s.last_issued_at FROM t CROSS JOIN s"
        )
    return _Statements(
        defaults=tuple(defaults),
        python=tuple(python),
        take_number=upsert,
        insert_ticket=insert,
        one_statement=one,
    )


# --- the rules ------------------------------------------------------------------------------


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


def _check_quota(ticket: Ticket, *, quota: int) -> None:
    """Counted with the new ticket, under the sequence row's lock: raising undoes the number."""
    taken = Ticket.objects.filter(
        mall_id=ticket.mall_id, service_id=ticket.service_id, service_day=ticket.service_day
    ).count()
    if taken > quota:
        raise TicketRefused(
            _("Kuota harian %(s)s (%(n)d nomor) sudah habis. Silakan datang besok.")
            % {"s": ticket.service.name, "n": quota},
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


def publish_ticket(ticket: Ticket, event_type: str) -> None:
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
