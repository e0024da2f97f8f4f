"""Reads of the queue: the board snapshot, a ticket's position, the console, the supervisor's
overview and daily report."""

from __future__ import annotations

import datetime as dt
import math
import statistics
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, Min, OuterRef, Q
from django.utils.translation import gettext as _

from mpp.applications.models import Application
from mpp.applications.reports import Period
from mpp.applications.reports import summary as application_summary
from mpp.catalog.models import Service
from mpp.core import clock
from mpp.core.events import current_sequence, group_name
from mpp.malls.models import Mall
from mpp.queueing.actions import service_day
from mpp.queueing.announce import call_text
from mpp.queueing.issuing import settings_of
from mpp.queueing.models import CallEstimate, Counter, Queue, Ticket
from mpp.queueing.position import estimate, new_number_estimates, position_of

LAST_CALLS = 8


def board_snapshot(mall: Mall) -> dict[str, Any]:
    """What a display board shows now, with the event sequence it is current to.

    The sequence is read first: an event committed while the snapshot is read has a higher
    number, so a board that applies events with seq > snapshot's misses nothing.
    """
    seq = current_sequence(group_name("mall", mall.pk))
    day = service_day(mall)
    active = {
        t.counter_id: t
        for t in Ticket.objects.filter(
            mall=mall,
            service_day=day,
            counter__isnull=False,
            status__in=[Ticket.Status.CALLED, Ticket.Status.SERVING],
        )
        .select_related("queue")
        .order_by("called_at")
    }
    counters = [
        {
            "number": c.number,
            "status": c.status,
            "tenant": c.tenant.short_name if c.tenant else None,
            "current": active[c.pk].display_number if c.pk in active else None,
        }
        for c in Counter.objects.filter(mall=mall).select_related("tenant").order_by("number")
    ]
    last = (
        Ticket.objects.filter(mall=mall, service_day=day, called_at__isnull=False)
        .select_related("queue", "counter")
        .order_by("-called_at", "-pk")[:LAST_CALLS]
    )
    waiting = (
        Queue.objects.filter(mall=mall)
        .annotate(
            waiting=Count(
                "tickets", filter=Q(tickets__service_day=day, tickets__status=Ticket.Status.WAITING)
            )
        )
        .order_by("letter")
    )
    return {
        "seq": seq,
        "mall": {
            "id": mall.pk,
            "name": mall.name,
            "short_name": mall.short_name,
            "color_primary": mall.color_primary,
            "color_secondary": mall.color_secondary,
        },
        "service_day": day.isoformat(),
        "counters": counters,
        "last_calls": [
            {
                "number": t.display_number,
                "counter": t.counter.number if t.counter else None,
                "called_at": t.called_at.isoformat() if t.called_at else None,
                "text": call_text(
                    letter=t.queue.letter, number=t.number, counter_number=t.counter.number
                )
                if t.counter
                else "",
            }
            for t in last
        ],
        "waiting": [{"letter": q.letter, "name": q.name, "count": q.waiting} for q in waiting],
    }


def ticket_status(
    ticket: Ticket, *, slip: Ticket | None = None, shown: str | None = None
) -> dict[str, Any]:
    """What the citizen's phone page shows: no personal data.

    `slip` is the ticket whose number the citizen holds on paper (the phone page's code), when
    `ticket` is what it became by transfers: its number is shown as the earlier one, since the
    slip and the board now disagree.

    `ahead`: the calls the fairness rule makes before this ticket if nobody else arrives
    (position.position_of); `estimate`: when it is called, roughly, or None; `can_cancel`: the
    citizen may still give it up (it waits, not yet called). `shown`: where the estimate is
    shown (CallEstimate.Shown), to store it for scoring (position.estimate)."""
    now = clock.now()
    position = position_of(ticket, now=now)
    return {
        "number": ticket.display_number,
        "status": ticket.status,
        "ahead": position.ahead,
        "estimate": estimate(ticket, position, now=now, shown=shown),
        "can_cancel": ticket.status == Ticket.Status.WAITING,
        "counter": ticket.counter.number if ticket.counter else None,
        "service": ticket.service.name,
        "mall_id": ticket.mall_id,
        "transferred_from": slip.display_number
        if slip is not None and slip.pk != ticket.pk
        else None,
    }


def mall_queue_lengths(mall: Mall) -> list[dict[str, Any]]:
    """The mall page's line now: per queue, the numbers waiting today, the counters open for
    it and when a number taken now would be called ("sekitar 10.20–10.35", docs/adr/0034).
    Two queries, and six for the estimates (position.new_number_estimates), whatever the
    number of queues and tickets."""
    now = clock.now()
    day = service_day(mall, now)
    queues = (
        Queue.objects.filter(mall=mall)
        .annotate(
            waiting=Count(
                "tickets", filter=Q(tickets__service_day=day, tickets__status=Ticket.Status.WAITING)
            )
        )
        .order_by("letter")
    )
    open_counters: dict[int, int] = {}
    for queue_id in Counter.queues.through.objects.filter(
        counter__mall=mall, counter__status=Counter.Status.OPEN
    ).values_list("queue_id", flat=True):
        open_counters[queue_id] = open_counters.get(queue_id, 0) + 1
    estimates = new_number_estimates(mall, day=day, now=now) if open_counters else {}
    return [
        {
            "letter": q.letter,
            "name": q.name,
            "waiting": q.waiting,
            "counters_open": open_counters.get(q.pk, 0),
            "estimate": estimates.get(q.pk),
        }
        for q in queues
    ]


def console_context(counter: Counter) -> dict[str, Any]:
    """What an officer's console shows: the counter, its current ticket, who waits, services
    a ticket can be transferred to."""
    day = service_day(counter.mall)
    current = (
        Ticket.objects.filter(
            counter=counter,
            service_day=day,
            status__in=[Ticket.Status.CALLED, Ticket.Status.SERVING],
        )
        .select_related("queue", "service")
        .order_by("-called_at")
        .first()
    )
    waiting = list(
        Ticket.objects.filter(
            queue__counters=counter, service_day=day, status=Ticket.Status.WAITING
        )
        .select_related("queue", "service")
        .order_by("waiting_since", "number")[:50]
    )
    return {
        "counter": counter,
        "current": current,
        # The service timer runs from the start of service, else from the call.
        "current_since": (current.started_at or current.called_at) if current else None,
        "served_today": Ticket.objects.filter(
            counter=counter, service_day=day, status=Ticket.Status.DONE
        ).count(),
        "waiting": waiting,
        "now": clock.now(),
        "transfer_services": list(
            Service.objects.active()
            .offered_at(counter.mall)
            .select_related("tenant")
            .order_by("tenant__sort_order", "name")
        ),
        "received": last_receipt(counter, day),
    }


def last_receipt(counter: Counter, day: dt.date) -> dict[str, Any] | None:
    """The application opened by the counter's last finished ticket ("berkas diterima"), for
    the console to show its receipt code and the slip's button until the next finish."""
    last = (
        Ticket.objects.filter(counter=counter, service_day=day, status=Ticket.Status.DONE)
        .select_related("queue")
        .order_by("-finished_at", "-pk")
        .first()
    )
    if last is None or last.outcome != Ticket.Outcome.FILES_RECEIVED:
        return None
    application = Application.objects.filter(ticket_code=last.code).first()
    if application is None:
        return None
    return {"ticket": last, "application": application}


def supervisor_overview(mall: Mall) -> dict[str, Any]:
    """Live state of a mall's queue for its supervisor: per queue waiting, longest wait, served
    and no-shows today; counters with their officers. SQL aggregates, no loops over tickets."""
    now = clock.now()
    day = service_day(mall, now)
    today = Q(tickets__service_day=day)
    queues = (
        Queue.objects.filter(mall=mall)
        .annotate(
            waiting=Count("tickets", filter=today & Q(tickets__status=Ticket.Status.WAITING)),
            served=Count("tickets", filter=today & Q(tickets__status=Ticket.Status.DONE)),
            no_shows=Count("tickets", filter=today & Q(tickets__status=Ticket.Status.NO_SHOW)),
            oldest=Min(
                "tickets__waiting_since", filter=today & Q(tickets__status=Ticket.Status.WAITING)
            ),
        )
        .order_by("letter")
    )
    counters = list(
        Counter.objects.filter(mall=mall).select_related("tenant", "officer").order_by("number")
    )
    open_ids = {c.pk for c in counters if c.status == Counter.Status.OPEN}
    counters_open: dict[int, int] = {}
    for queue_id, counter_id in Counter.queues.through.objects.filter(
        counter__mall=mall
    ).values_list("queue_id", "counter_id"):
        counters_open[queue_id] = counters_open.get(queue_id, 0) + (counter_id in open_ids)
    max_wait = settings_of(mall).max_wait_minutes
    rows = []
    for q in queues:
        # A booked person checked in early waits from their slot's start, still ahead: 0.
        longest = max(0, int((now - q.oldest).total_seconds() // 60)) if q.oldest else None
        level, words = queue_level(
            waiting=q.waiting,
            counters_open=counters_open.get(q.pk, 0),
            longest_minutes=longest,
            max_wait_minutes=max_wait,
        )
        rows.append(
            {
                "queue": q,
                "waiting": q.waiting,
                "served": q.served,
                "no_shows": q.no_shows,
                "longest_minutes": longest,
                "counters_open": counters_open.get(q.pk, 0),
                "level": level,
                "level_words": words,
            }
        )
    return {
        "mall": mall,
        "day": day,
        "queues": rows,
        "alerts": [r for r in rows if r["level"] == QueueLevel.ALARM],
        "max_wait_minutes": max_wait,
        "busy_per_counter": BUSY_PER_COUNTER,
        "counters": counters,
        "open_counters": sum(1 for c in counters if c.status == Counter.Status.OPEN),
        "paused_counters": sum(1 for c in counters if c.status == Counter.Status.PAUSED),
        "total_waiting": sum(r["waiting"] for r in rows),
    }


class QueueLevel:
    """How a queue stands on the supervisor's page (a colour and always its words)."""

    OK = "ok"
    BUSY = "busy"
    ALARM = "alarm"


# Waiting numbers per open counter from which a queue is "busy": at 8 and some 5-10 minutes a
# service, the last of them waits beyond the mall's usual 45-minute limit.
BUSY_PER_COUNTER = 8


def queue_level(
    *, waiting: int, counters_open: int, longest_minutes: int | None, max_wait_minutes: int
) -> tuple[str, str]:
    """The level of a queue and what it means in words: an alarm when citizens wait and no
    counter serving them is open, or the longest wait passed the mall's limit
    (QueueSettings.max_wait_minutes); busy from BUSY_PER_COUNTER per open counter or past half
    the limit."""
    if waiting and not counters_open:
        return QueueLevel.ALARM, str(_("Tidak ada loket buka"))
    if longest_minutes is not None and longest_minutes >= max_wait_minutes:
        return QueueLevel.ALARM, str(_("Tunggu melewati %(n)d menit") % {"n": max_wait_minutes})
    if waiting >= BUSY_PER_COUNTER * max(counters_open, 1) or (
        longest_minutes is not None and longest_minutes * 2 >= max_wait_minutes
    ):
        return QueueLevel.BUSY, str(_("Ramai"))
    return QueueLevel.OK, str(_("Lancar"))


# --- daily report ---------------------------------------------------------------------------


@dataclass
class ReportRow:
    """One line of the daily report: a tenant, one of its services, or the whole mall."""

    tenant: str
    service: str = ""  # empty on a tenant's line and the mall's total
    visitors: int = 0  # citizens who took a number here (a transfer is not a new visitor)
    transferred_in: int = 0  # numbers that came here by a transfer from another service
    served: int = 0  # finished, whatever the outcome
    completed: int = 0  # finished with the outcome "done"
    come_back: int = 0
    rejected: int = 0
    no_shows: int = 0
    transferred: int = 0
    cancelled: int = 0  # given up by the citizen before the call: not served, not absent
    still_waiting: int = 0
    in_progress: int = 0  # called or being served when the report was read
    standard_minutes: int | None = None
    waits: list[float] = field(default_factory=list, repr=False)
    service_times: list[float] = field(default_factory=list, repr=False)
    within_standard: int = 0

    @property
    def arrivals(self) -> int:
        """Every number of the row: taken here or transferred in. Each ends in exactly one of
        served, no-show, transferred on, cancelled, still waiting or in progress, so the row
        adds up (on the mall's line transfers in and out cancel out: visitors are citizens)."""
        return self.visitors + self.transferred_in

    @property
    def wait_mean(self) -> float | None:
        return statistics.fmean(self.waits) if self.waits else None

    @property
    def wait_p90(self) -> float | None:
        return percentile(self.waits, 90)

    @property
    def service_mean(self) -> float | None:
        return statistics.fmean(self.service_times) if self.service_times else None

    @property
    def service_p90(self) -> float | None:
        return percentile(self.service_times, 90)

    @property
    def within_standard_share(self) -> float | None:
        """Share of the timed services that took no longer than the published standard."""
        if self.standard_minutes is None or not self.service_times:
            return None
        return self.within_standard / len(self.service_times)

    @property
    def within_standard_percent(self) -> int | None:
        share = self.within_standard_share
        return None if share is None else round(share * 100)


def percentile(values: list[float], p: int) -> float | None:
    """The nearest-rank percentile (the smallest value with at least p % at or below it), so
    the figure is one that really happened and anyone can recount it from the tickets."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def daily_report(mall: Mall, day: dt.date) -> dict[str, Any]:
    """Visitors, served, no-shows, waiting and service times per tenant and service of `mall`
    on `day`, against each service's published standard; one query over the day's tickets.

    Waiting time runs from waiting_since (kept across transfers) to the call; service time
    from the start of service to its end. Times are in minutes."""
    tickets = (
        Ticket.objects.filter(mall=mall, service_day=day)
        .select_related("service__tenant")
        .annotate(is_transfer_target=Exists(Ticket.objects.filter(transferred_to=OuterRef("pk"))))
        .order_by("service__tenant__sort_order", "service__name", "number")
    )
    total = ReportRow(tenant=str(_("Seluruh mal")))
    tenants: dict[int, tuple[ReportRow, dict[int, ReportRow]]] = {}
    for t in tickets:
        service = t.service
        tenant_row, service_rows = tenants.setdefault(
            service.tenant_id, (ReportRow(tenant=service.tenant.name), {})
        )
        service_row = service_rows.setdefault(
            service.pk,
            ReportRow(
                tenant=service.tenant.name,
                service=service.name,
                standard_minutes=service.standard_minutes,
            ),
        )
        for row in (total, tenant_row, service_row):
            _count(row, t, service.standard_minutes)
    by_tenant = [(row, list(rows.values())) for row, rows in tenants.values()]
    # The day's applications (issue 22): received, completed on time or late, open; one query.
    applications = application_summary(mall=mall, period=Period.day(day))
    return {
        "mall": mall,
        "day": day,
        "total": total,
        "tenants": by_tenant,
        "applications": applications,
    }


def wait_minutes(t: Ticket) -> float:
    """A called ticket's wait in minutes, as the reports count it: from the later of its
    `waiting_since` and its issue — a booked person who checked in early waits, for the rule
    and the report, from their slot's start; one who checked in after it, from the check-in —
    except for a transfer's new number, which keeps the citizen's first wait; never below 0
    (a booked person called before their slot's start waited nothing). docs/adr/0036."""
    if t.called_at is None:
        return 0.0
    since = t.waiting_since
    if not getattr(t, "is_transfer_target", False):
        since = max(since, t.issued_at)
    return max(0.0, (t.called_at - since).total_seconds() / 60)


def _count(row: ReportRow, t: Ticket, standard: int | None) -> None:
    if t.is_transfer_target:  # type: ignore[attr-defined]  # annotated above
        row.transferred_in += 1
    else:
        row.visitors += 1
    if t.called_at is not None:
        row.waits.append(wait_minutes(t))
    if t.status == Ticket.Status.DONE:
        row.served += 1
        row.completed += t.outcome == Ticket.Outcome.DONE
        row.come_back += t.outcome == Ticket.Outcome.COME_BACK
        row.rejected += t.outcome == Ticket.Outcome.REJECTED
        if t.started_at is not None and t.finished_at is not None:
            minutes = (t.finished_at - t.started_at).total_seconds() / 60
            row.service_times.append(minutes)
            row.within_standard += standard is not None and minutes <= standard
    elif t.status == Ticket.Status.NO_SHOW:
        row.no_shows += 1
    elif t.status == Ticket.Status.TRANSFERRED:
        row.transferred += 1
    elif t.status == Ticket.Status.CANCELLED:
        row.cancelled += 1
    elif t.status == Ticket.Status.WAITING:
        row.still_waiting += 1
    elif t.status in (Ticket.Status.CALLED, Ticket.Status.SERVING):
        row.in_progress += 1


# --- how good the estimates were (docs/adr/0034) --------------------------------------------


@dataclass
class AccuracyRow:
    """The estimates of one service (or the whole mall) that were scored against the call."""

    service: str
    tenant: str = ""
    estimates: int = 0
    tickets: int = 0
    mae: float | None = None  # minutes, the shown estimate's middle against the call
    naive_mae: float | None = None  # minutes, people ahead x mean service / open counters
    inside: float | None = None  # share of estimates whose range held the call
    _errors: list[float] = field(default_factory=list, repr=False)
    _naive: list[float] = field(default_factory=list, repr=False)
    _inside: int = 0
    _tickets: set[int] = field(default_factory=set, repr=False)

    def add(self, ticket: int, row: tuple[Any, ...]) -> None:
        expected, naive, earliest, latest, called = row
        self._errors.append(abs((expected - called).total_seconds()) / 60)
        self._naive.append(abs((naive - called).total_seconds()) / 60)
        self._inside += earliest <= called <= latest
        self._tickets.add(ticket)

    def close(self) -> AccuracyRow:
        self.estimates = len(self._errors)
        self.tickets = len(self._tickets)
        if self.estimates:
            self.mae = statistics.fmean(self._errors)
            self.naive_mae = statistics.fmean(self._naive)
            self.inside = self._inside / self.estimates
        return self

    @property
    def ratio(self) -> float | None:
        """The estimate's error as a share of the naive one's (under 1: better)."""
        if self.mae is None or not self.naive_mae:
            return None
        return self.mae / self.naive_mae


def estimate_accuracy(mall: Mall, first: dt.date, last: dt.date) -> dict[str, Any]:
    """Per service of the mall, for the service days `first`..`last`: how far the estimates
    shown (slip, phone page, API; CallEstimate) were from the call, against the naive estimate
    stored beside each, and the share called inside the range shown. Estimates of tickets never
    called (cancelled, transferred, still waiting) are not scored. One query."""
    rows = (
        CallEstimate.objects.filter(
            ticket__mall=mall,
            ticket__service_day__range=(first, last),
            called_at__isnull=False,
        )
        .order_by("ticket__service__tenant__sort_order", "ticket__service__name")
        .values_list(
            "ticket_id",
            "ticket__service_id",
            "ticket__service__name",
            "ticket__service__tenant__short_name",
            "expected",
            "naive",
            "earliest",
            "latest",
            "called_at",
        )
    )
    services: dict[int, AccuracyRow] = {}
    total = AccuracyRow(service=str(_("Seluruh mal")))
    for ticket_id, service_id, name, tenant, *scored in rows:
        row = services.get(service_id) or services.setdefault(
            service_id, AccuracyRow(service=name, tenant=tenant)
        )
        row.add(ticket_id, tuple(scored))
        total.add(ticket_id, tuple(scored))
    return {
        "mall": mall,
        "first": first,
        "last": last,
        "rows": [r.close() for r in services.values()],
        "total": total.close(),
    }
