"""What issuing a ticket reads besides the ticket itself, kept in memory (core.refcache).

A busy kiosk asks for a number every few seconds; the mall, its hours and holidays, the queue
rules, the service, where and how it is offered, and its queue are the same each time. They are
read once per process and generation, and dropped when any of them changes (queueing.apps).
The objects are shared between requests: read them, never change or prefetch into them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from mpp.catalog.models import MallService, MallTenant, Service
from mpp.core.refcache import generation, remembered
from mpp.malls.models import Mall, OpeningHours
from mpp.queueing.models import Queue, QueueSettings


@dataclass(frozen=True)
class MallRefs:
    mall: Mall
    hours: list[OpeningHours]
    holidays: frozenset[dt.date]  # all of the region's: state_at needs the days ahead too
    settings: QueueSettings


@dataclass(frozen=True)
class OfferRefs:
    """A published service as offered (or not) at one mall."""

    service: Service
    is_offered: bool
    daily_quota: int | None
    queue: Queue | None  # the mall's queue for the service's tenant
    days: str  # ISO weekdays the tenant serves at this mall ("3" for Wednesday)
    days_display: str


def mall_refs(mall_id: int, *, gen: str | None = None) -> MallRefs | None:
    return remembered(("issue-mall", mall_id), lambda: _load_mall(mall_id), gen=gen)


def offer_refs(mall_id: int, service_id: int, *, gen: str | None = None) -> OfferRefs | None:
    return remembered(
        ("issue-offer", mall_id, service_id), lambda: _load_offer(mall_id, service_id), gen=gen
    )


def issue_refs(mall_id: int, service_id: int) -> tuple[MallRefs | None, OfferRefs | None]:
    """Both at the price of one generation read."""
    gen = generation()
    return mall_refs(mall_id, gen=gen), offer_refs(mall_id, service_id, gen=gen)


def _load_mall(mall_id: int) -> MallRefs | None:
    mall = Mall.objects.select_related("region", "district").filter(pk=mall_id).first()
    if mall is None:
        return None
    rules, _created = QueueSettings.objects.get_or_create(mall=mall)
    return MallRefs(
        mall=mall,
        hours=list(mall.opening_hours.all()),
        holidays=frozenset(mall.region.holidays.values_list("date", flat=True)),
        settings=rules,
    )


def _load_offer(mall_id: int, service_id: int) -> OfferRefs | None:
    service = Service.objects.active().select_related("tenant").filter(pk=service_id).first()
    if service is None:
        return None
    offering = MallService.objects.filter(mall_id=mall_id, service=service).first()
    presence = MallTenant.objects.filter(mall_id=mall_id, tenant_id=service.tenant_id).first()
    return OfferRefs(
        service=service,
        is_offered=offering is not None,
        daily_quota=offering.daily_quota if offering else None,
        queue=Queue.objects.filter(mall_id=mall_id, tenants=service.tenant_id)
        .order_by("letter")
        .first(),
        days=presence.days if presence else service.tenant.service_days,
        days_display=presence.days_display if presence else service.tenant.service_days_display,
    )
