"""Reads of the queue: the board snapshot and a ticket's position."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Min, Q

from mpp.catalog.models import Service
from mpp.core import clock
from mpp.core.events import current_sequence, group_name
from mpp.malls.models import Mall
from mpp.queueing.actions import ahead_of, service_day
from mpp.queueing.announce import call_text
from mpp.queueing.models import Counter, Queue, Ticket

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


def ticket_status(ticket: Ticket) -> dict[str, Any]:
    """What the citizen's phone page shows: no personal data."""
    return {
        "number": ticket.display_number,
        "status": ticket.status,
        "ahead": ahead_of(ticket),
        "counter": ticket.counter.number if ticket.counter else None,
        "service": ticket.service.name,
        "mall_id": ticket.mall_id,
    }


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
        "waiting": waiting,
        "now": clock.now(),
        "outcomes": Ticket.Outcome.choices,
        "transfer_services": list(
            Service.objects.active()
            .offered_at(counter.mall)
            .select_related("tenant")
            .order_by("tenant__sort_order", "name")
        ),
    }


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
    rows = [
        {
            "queue": q,
            "waiting": q.waiting,
            "served": q.served,
            "no_shows": q.no_shows,
            "longest_minutes": int((now - q.oldest).total_seconds() // 60) if q.oldest else None,
        }
        for q in queues
    ]
    counters = list(
        Counter.objects.filter(mall=mall).select_related("tenant", "officer").order_by("number")
    )
    return {
        "mall": mall,
        "day": day,
        "queues": rows,
        "counters": counters,
        "open_counters": sum(1 for c in counters if c.status == Counter.Status.OPEN),
        "paused_counters": sum(1 for c in counters if c.status == Counter.Status.PAUSED),
        "total_waiting": sum(r["waiting"] for r in rows),
    }
