"""What the kiosk reads: its tenant tiles with whether each serves today, and a tenant's services
most used first. The kiosk's pages (views.kiosk_*) render these; issuing keeps every rule."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q

from mpp.catalog.models import MallTenant, Service
from mpp.catalog.queries import tenants_at
from mpp.catalog.search import search_services
from mpp.malls.models import LOOKAHEAD_DAYS, Mall
from mpp.queueing.issuing import next_service_day, not_today_text, serves_on, service_day

# "Most used" counts the tickets of the last four weeks: long enough for services asked once a
# week (Imigrasi on Wednesdays), short enough to follow a season (school enrolment, KIA).
POPULAR_DAYS = 28


@dataclass(frozen=True)
class KioskTenant:
    """One tile of the kiosk's first screen."""

    presence: MallTenant
    serves_today: bool
    not_today: str  # "… hari ini tidak melayani di …; buka Rabu, 9 Desember." ("" when it serves)
    next_day: dt.date | None

    # One plain line under the acronym (DPMPTSP, BKPSDM, Kejari): the tenant's full name, which
    # spells the acronym out, without the regency's name that every tile would repeat.
    explanation: str


def kiosk_tenants(mall: Mall) -> list[KioskTenant]:
    """The tenants with services offered at `mall`, in the mall's order, each with whether it
    serves today (issuing.serves_on: the same rule that refuses a number) and its next day."""
    day = service_day(mall)
    hours = list(mall.opening_hours.all())
    holidays = mall.holidays_between(day, LOOKAHEAD_DAYS)
    mall_open = mall.hours_on(day, hours=hours, holidays=holidays) is not None
    regency = f" {mall.region.name}"
    tiles = []
    for presence in tenants_at(mall):
        if not presence.offered:  # type: ignore[attr-defined]  # annotated by tenants_at
            continue
        serves = serves_on(presence.days, day, mall_open=mall_open)
        next_day = None
        if not serves:
            next_day = next_service_day(
                presence.days, day, hours=hours, holidays=holidays, mall=mall
            )
        tiles.append(
            KioskTenant(
                presence=presence,
                serves_today=serves,
                not_today=""
                if serves
                else not_today_text(presence.tenant.short_name, mall, next_day),
                next_day=next_day,
                explanation=presence.tenant.name.removesuffix(regency),
            )
        )
    return tiles


def kiosk_tenant(mall: Mall, slug: str) -> KioskTenant | None:
    """One tile of kiosk_tenants, or None when the tenant offers nothing at `mall`."""
    return next((t for t in kiosk_tenants(mall) if t.presence.tenant.slug == slug), None)


def kiosk_services(mall: Mall, tenant_id: int, query: str = "") -> list[Service]:
    """A tenant's services offered at `mall`, the most used first: by tickets issued for them
    at this mall in the last POPULAR_DAYS days, then in the tenant's own order (the order of its
    list in the region's data, which puts KTP-el first at Disdukcapil). With `query`, only the
    services the catalogue's search finds for it, best match first."""
    since = service_day(mall) - dt.timedelta(days=POPULAR_DAYS)
    services = Service.objects.active().offered_at(mall).filter(tenant_id=tenant_id)
    if query.strip():
        found = [hit.id for hit in search_services(query, services).hits]
        by_id = {s.pk: s for s in services.filter(pk__in=found)}
        return [by_id[pk] for pk in found if pk in by_id]
    return list(
        services.annotate(
            recent=Count(
                "tickets",
                filter=Q(tickets__mall=mall, tickets__service_day__gte=since),
            )
        ).order_by("-recent", "pk")
    )
