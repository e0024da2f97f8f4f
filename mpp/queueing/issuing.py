"""Issuing a ticket, the queue's hot path: kiosks, phones and the virtual hall ask for numbers.

Plain Django (docs/adr/0025): the rules read the mall, its hours, the service's offering and
queue with ordinary queries for each ticket, and the number is taken in one write transaction
(core.db): the day's sequence row is read with SELECT … FOR UPDATE (SQLite's one writer does the
same), incremented, and the ticket inserted with the ORM. A unique constraint on (queue, day,
number) still guards every number, and a failed statement rolls its number back: no gap
(docs/adr/0005).
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mpp.catalog.models import MallService, MallTenant, Service
from mpp.core import clock
from mpp.core import weekdays as wd
from mpp.core.db import write_transaction
from mpp.core.events import Event, group_name, publish
from mpp.malls.models import LOOKAHEAD_DAYS, Mall, OpeningHours
from mpp.queueing import limits
from mpp.queueing.announce import call_text
from mpp.queueing.exceptions import IdempotencyKeyReused, TicketRefused
from mpp.queueing.models import DailySequence, Queue, QueueSettings, Ticket, new_ticket_code
from mpp.rollout import trials


class MallRefs:
    """What the rules read of the mall, each read when a rule first needs it: a kiosk never
    reads the online rules, and the demo's round-the-clock setting reads no hours."""

    def __init__(self, mall: Mall, day: dt.date) -> None:
        self.mall, self.day = mall, day

    @functools.cached_property
    def hours(self) -> list[OpeningHours]:
        return list(self.mall.opening_hours.all())

    @functools.cached_property
    def holidays(self) -> frozenset[dt.date]:
        """From the service day on: state_at looks ahead too."""
        return frozenset(self.mall.holidays_between(self.day, LOOKAHEAD_DAYS))

    @functools.cached_property
    def settings(self) -> QueueSettings:
        return settings_of(self.mall)


@dataclass(frozen=True)
class OfferRefs:
    """A published service as offered at one mall."""

    service: Service
    daily_quota: int | None
    queue: Queue | None  # the mall's queue for the service's tenant
    days: str  # ISO weekdays the tenant serves at this mall ("3" for Wednesday)
    days_display: str


def issue_refs(mall: Mall, service: Service, day: dt.date) -> tuple[MallRefs, OfferRefs | None]:
    """What issuing reads besides the ticket, read fresh for each ticket: a change in the admin
    or by `load-region` counts from the next ticket on every worker (docs/adr/0025). None for
    the offer when the service is not offered at the mall, or was withdrawn since the caller
    read it (the same refusal).

    One query: the mall's queue for the service's tenant, with the offering (still offered,
    its daily quota) and the tenant's days at the mall beside it; the caller's `service` (its
    name, its tenant) is the one it read for this request. The mall's hours and holidays are
    read only when a rule asks (MallRefs)."""
    at_mall = MallRefs(mall, day)
    offering = MallService.objects.filter(
        mall_id=OuterRef("mall_id"), service_id=service.pk, service__is_active=True
    )
    presence = MallTenant.objects.filter(mall_id=OuterRef("mall_id"), tenant_id=service.tenant_id)
    queue = (
        Queue.objects.filter(mall=mall, tenants=service.tenant_id)
        .annotate(
            offered=Exists(offering),
            daily_quota=Subquery(offering.values("daily_quota")[:1]),
            presence_days=Subquery(presence.values("service_days")[:1]),
        )
        .order_by("letter")
        .first()
    )
    # Without a queue the ticket is refused either way; the offering says which refusal.
    offered = queue.offered if queue else _offered(mall, service)
    if not offered:
        return at_mall, None
    # MallTenant.days: the tenant's days at this mall, else its days everywhere.
    days = (queue.presence_days if queue else "") or service.tenant.service_days
    return at_mall, OfferRefs(
        service=service,
        daily_quota=queue.daily_quota if queue else None,
        queue=queue,
        days=days,
        days_display=wd.describe(days),
    )


def _offered(mall: Mall, service: Service) -> bool:
    return MallService.objects.filter(mall=mall, service=service, service__is_active=True).exists()


def queue_of(mall_id: int, tenant_id: int) -> Queue | None:
    """The mall's queue that serves the tenant (the first by letter if several do)."""
    return Queue.objects.filter(mall_id=mall_id, tenants=tenant_id).order_by("letter").first()


@dataclass(frozen=True)
class Issued:
    ticket: Ticket
    ahead: int  # tickets of its queue that waited before it by arrival (see position_of)
    created: bool  # False when an idempotency key returned an earlier ticket


# Phones without an account may take numbers: limited by the numbers each person or device
# holds (queueing.limits), and per address only against floods (API and pages).
PHONE_ISSUES_PER_MINUTE = limits.ADDRESS_ISSUES_PER_MINUTE
phone_may_issue = limits.address_may_issue


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
    holder: str = "",
    acting_user: Any = None,
    waiting_since: dt.datetime | None = None,
    quota_exempt: bool = False,
) -> Issued:
    """Give the next number of the service's queue at `mall` for today.

    Invariants: numbers of a (queue, day) are unique and gapless under any concurrency — the
    day's sequence row is locked while the number is taken, and a unique constraint guards it;
    an idempotency key returns the ticket it gave before instead of a new one, to the same
    caller (`idempotency_owner`, queueing.access.idempotency_owner) and for the same service and
    priority only: the same key with another request is refused (IdempotencyKeyReused), and
    another caller's key of the same text is another key (docs/adr/0005); never is a request
    answered with another citizen's ticket. A key without an owner is refused. A remote number
    (phone, Metapers) is recorded for its `holder` (limits.holder_of) and refused past what one
    holder and the mall's online share may take (queueing.limits, docs/adr/0028).

    `waiting_since`: when the citizen's wait counts from for the fairness rule (None: now). A
    booked person checking in on time waits from their slot's start, which may be later than
    now (an early check-in) or a little earlier; `quota_exempt` is for them too: their place
    was given when they booked (queueing.checkin, docs/adr/0036).
    """
    now = clock.now()
    day = service_day(mall, now)
    at_mall, offer = issue_refs(mall, service, day)
    if offer is None:  # withdrawn since the caller fetched it
        raise _not_offered(service, mall)
    queue = _check_can_issue(at_mall, offer, channel=channel, now=now, day=day)
    key = idempotency_key or None
    owner = idempotency_owner or ""
    if key and not owner:
        raise _unowned_key()
    # A key seen before is found by the unique constraint on (mall, owner, key), not by a read
    # ahead of every ticket: a retry or a double tap is rare, a new key is every kiosk ticket.
    # Its transaction, number included, is rolled back (no gap) and the earlier ticket is
    # returned, or refused if it answered another request (below).
    try:
        with write_transaction():
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
                waiting_since=waiting_since,
                holder=holder if channel in REMOTE_CHANNELS else "",
            )
            if offer.daily_quota is not None and not quota_exempt:
                _check_quota(ticket, quota=offer.daily_quota)
            if channel in REMOTE_CHANNELS:
                limits.check_remote_limits(ticket, rules=at_mall.settings, quota=offer.daily_quota)
            if not mall.is_operating:  # a trial day (_check_can_issue): the gate counts it
                trials.note_issued(mall.pk, day)
            publish_ticket(ticket, "ticket.issued")  # at commit
    except IntegrityError:
        # The key was used before, or at once by two requests: this statement's transaction,
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
    return Issued(earlier, arrived_before(earlier), created=False)


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


# --- the number -----------------------------------------------------------------------------


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
    holder: str = "",
) -> tuple[Ticket, int]:
    """Take the next number of `queue` on `service_day` and write its waiting ticket.

    Returns the ticket and how many of the queue's tickets waited before it. `waiting_since`
    None means now (issuing); a transfer keeps the citizen's original time. The caller holds the
    write transaction (core.db): the day's sequence row stays locked (SELECT … FOR UPDATE on
    PostgreSQL, SQLite's one writer) until it commits, so two issuers never take one number, and
    a statement that fails after it (an idempotency key used twice at once, a quota) rolls the
    number back with it: no gap (docs/adr/0005)."""
    sequence, _created = DailySequence.objects.select_for_update(no_key=True).get_or_create(
        queue=queue, service_day=service_day
    )
    # A ticket's time is never earlier than the number before it: two issuers may read the clock
    # in one order and take the row in the other (docs/adr/0012).
    now = clock.now()
    issued_at = max(now, sequence.last_issued_at) if sequence.last_issued_at else now
    sequence.last_number += 1
    sequence.waiting += 1
    sequence.last_issued_at = issued_at
    sequence.save(update_fields=["last_number", "waiting", "last_issued_at"])
    ticket = Ticket.objects.create(
        mall=mall,
        queue=queue,
        service=service,
        service_day=service_day,
        number=sequence.last_number,
        code=new_ticket_code(),
        priority=priority,
        channel=channel,
        issued_at=issued_at,
        issued_by_id=issued_by_id,
        waiting_since=waiting_since or issued_at,
        idempotency_key=idempotency_key,
        idempotency_owner=idempotency_owner,
        holder=holder,
    )
    return ticket, sequence.waiting - 1


# --- the rules ------------------------------------------------------------------------------


def _check_can_issue(
    at_mall: MallRefs, offer: OfferRefs, *, channel: str, now: dt.datetime, day: dt.date
) -> Queue:
    mall, service = at_mall.mall, offer.service
    if not mall.is_operating and not (
        channel in trials.TRIAL_CHANNELS and trials.open_trial(mall, day) is not None
    ):
        # A Mini MPP still preparing takes numbers at its kiosk and counters on the trial day
        # DPMPTSP opened (rollout.trials); never by phone: citizens are not sent there yet.
        raise TicketRefused(
            _("%(m)s belum beroperasi.") % {"m": mall.short_name}, code="mall_not_operating"
        )
    if offer.queue is None:
        raise TicketRefused(
            _("Antrean %(t)s di %(m)s belum dibuka.")
            % {"t": service.tenant.short_name, "m": mall.short_name},
            code="queue_missing",
        )
    if channel in REMOTE_CHANNELS and not at_mall.settings.is_online_open:
        raise TicketRefused(
            _("Antrean online di %(m)s sedang ditutup.") % {"m": mall.short_name},
            code="online_closed",
        )
    if settings.MPP_DEMO_ALWAYS_OPEN:
        # The demo's round-the-clock switch stands in for the mall's hours, not for a tenant's
        # days: Imigrasi serves on Wednesdays in the demo too (issue 18).
        open_today = mall.hours_on(day, hours=at_mall.hours, holidays=set(at_mall.holidays))
        if not serves_on(offer.days, day, mall_open=open_today is not None):
            raise _not_today(at_mall, offer, day)
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
        and at_mall.settings.online_cutoff is not None
        and now.astimezone(mall.zone).time() >= at_mall.settings.online_cutoff
    ):
        raise TicketRefused(
            _("Antrean online hari ini ditutup pukul %(t)s; silakan ambil nomor di kios.")
            % {"t": at_mall.settings.online_cutoff.strftime("%H.%M")},
            code="online_cutoff",
        )
    if not serves_on(offer.days, day, mall_open=True):
        raise _not_today(at_mall, offer, day)
    return offer.queue


def serves_on(days: str, day: dt.date, *, mall_open: bool) -> bool:
    """Whether a tenant with these service `days` at a mall serves on `day`: the rule of
    issuing and of the kiosk's tiles. `mall_open`: the mall has hours that day. Under
    MPP_DEMO_ALWAYS_OPEN a day the mall is closed (a weekend, a holiday) is played as an
    ordinary day on which every tenant serves; on its working days the tenants' days apply."""
    if settings.MPP_DEMO_ALWAYS_OPEN and not mall_open:
        return True
    return str(day.isoweekday()) in days


def next_service_day(
    days: str,
    after: dt.date,
    *,
    hours: list[OpeningHours],
    holidays: frozenset[dt.date] | set[dt.date],
    mall: Mall,
) -> dt.date | None:
    """The next day after `after` on which the tenant serves and the mall is open (holidays
    skipped), within LOOKAHEAD_DAYS; None if none."""
    for offset in range(1, LOOKAHEAD_DAYS + 1):
        day = after + dt.timedelta(days=offset)
        if str(day.isoweekday()) in days and mall.hours_on(
            day, hours=hours, holidays=set(holidays)
        ):
            return day
    return None


def not_today_text(tenant_name: str, mall: Mall, next_day: dt.date | None) -> str:
    """ "Imigrasi Samarinda hari ini tidak melayani di MPP Kukar; buka Rabu, 9 Desember." """
    if next_day is None:
        return _("%(t)s hari ini tidak melayani di %(m)s.") % {
            "t": tenant_name,
            "m": mall.short_name,
        }
    return _("%(t)s hari ini tidak melayani di %(m)s; buka %(d)s.") % {
        "t": tenant_name,
        "m": mall.short_name,
        "d": date_format(next_day, "l, j F"),
    }


def _not_today(at_mall: MallRefs, offer: OfferRefs, day: dt.date) -> TicketRefused:
    next_day = next_service_day(
        offer.days, day, hours=at_mall.hours, holidays=at_mall.holidays, mall=at_mall.mall
    )
    return TicketRefused(
        not_today_text(offer.service.tenant.short_name, at_mall.mall, next_day), code="not_today"
    )


def _not_offered(service: Service, mall: Mall) -> TicketRefused:
    return TicketRefused(
        _("Layanan %(s)s tidak tersedia di %(m)s.") % {"s": service.name, "m": mall.short_name},
        code="service_not_offered",
    )


def _check_quota(ticket: Ticket, *, quota: int) -> None:
    """Counted with the new ticket, under the sequence row's lock: raising undoes the number."""
    # A number given up before its call (cancelled) frees its place in the quota.
    taken = (
        Ticket.objects.filter(
            mall_id=ticket.mall_id, service_id=ticket.service_id, service_day=ticket.service_day
        )
        .exclude(status=Ticket.Status.CANCELLED)
        .count()
    )
    if taken > quota:
        raise TicketRefused(
            _("Kuota harian %(s)s (%(n)d nomor) sudah habis. Silakan datang besok.")
            % {"s": ticket.service.name, "n": quota},
            code="quota_reached",
        )


def arrived_before(ticket: Ticket) -> int:
    """How many tickets of the same queue wait that arrived before this one (by arrival, then
    number). Not what the citizen is told: the priority lane and the overdue rule change the
    order (position.position_of, docs/adr/0028)."""
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
