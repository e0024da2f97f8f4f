"""Reads of the catalogue for pages and the API."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from mpp.catalog.models import MallService, MallTenant, Service, ServiceQuerySet, Tenant
from mpp.catalog.search import Hit, SearchResult, search_services
from mpp.malls.models import Mall, mall_order


def tenants_at(mall: Mall) -> list[MallTenant]:
    """The tenants present at `mall` with the number of their services offered there."""
    return list(
        MallTenant.objects.filter(mall=mall)
        .select_related("tenant")
        .annotate(
            offered=Count(
                "tenant__services",
                filter=Q(tenant__services__offerings__mall=mall, tenant__services__is_active=True),
                distinct=True,
            )
        )
        .order_by("tenant__sort_order")
    )


def searchable_services(mall: Mall | None = None) -> ServiceQuerySet:
    qs = Service.objects.active()
    if mall is not None:
        qs = qs.offered_at(mall)
    return qs


def find_services(query: str, mall: Mall | None = None) -> SearchResult:
    """Services matching a citizen's words, best first, optionally at one mall."""
    return search_services(query, searchable_services(mall))


@dataclass(frozen=True)
class Availability:
    mall: Mall
    days: str  # weekday digits
    days_display: str
    counter_label: str


def availability(service: Service) -> list[Availability]:
    """Where `service` is offered and on which days (the tenant's days at that mall)."""
    offerings = (
        MallService.objects.filter(service=service)
        .select_related("mall__district")
        .order_by(*mall_order("mall__"))
    )
    presence = {
        mt.mall_id: mt
        for mt in MallTenant.objects.filter(tenant_id=service.tenant_id).select_related("tenant")
    }
    out = []
    for offering in offerings:
        mt = presence.get(offering.mall_id)
        days = mt.days if mt else service.tenant.service_days
        out.append(
            Availability(
                mall=offering.mall,
                days=days,
                days_display=mt.days_display if mt else service.tenant.service_days_display,
                counter_label=mt.counter_label if mt else "",
            )
        )
    return out


@dataclass(frozen=True)
class ServedElsewhere:
    hit: Hit
    places: list[Availability]


def served_elsewhere(query: str, mall: Mall, *, limit: int = 5) -> list[ServedElsewhere]:
    """Services answering every word of `query` that `mall` does not offer, each with the
    operating malls that do and their days ("paspor" at a Mini MPP: MPP Kukar, Rabu).

    Four queries whatever `limit`: the search, what `mall` offers of it, the offerings
    elsewhere, the tenants' presence."""
    result = find_services(query)
    if result.is_partial:
        return []
    offered_here = set(
        MallService.objects.filter(
            mall=mall, service_id__in=[h.id for h in result.hits]
        ).values_list("service_id", flat=True)
    )
    hits = [h for h in result.hits if h.id not in offered_here][:limit]
    offerings = (
        MallService.objects.filter(
            service_id__in=[h.id for h in hits], mall__status=Mall.Status.OPERATING
        )
        .select_related("mall__district", "service__tenant")
        .order_by(*mall_order("mall__"))
    )
    presence = {
        (mt.tenant_id, mt.mall_id): mt
        for mt in MallTenant.objects.filter(tenant_id__in={h.tenant_id for h in hits})
    }
    places: dict[int, list[Availability]] = {h.id: [] for h in hits}
    for offering in offerings:
        tenant = offering.service.tenant
        mt = presence.get((tenant.pk, offering.mall_id))
        places[offering.service_id].append(
            Availability(
                mall=offering.mall,
                days=mt.days if mt else tenant.service_days,
                days_display=mt.days_display if mt else tenant.service_days_display,
                counter_label=mt.counter_label if mt else "",
            )
        )
    return [ServedElsewhere(hit=h, places=places[h.id]) for h in hits if places[h.id]]


def tenant_services(tenant: Tenant) -> list[Service]:
    return list(tenant.services.active().order_by("name"))


def tenant_malls(tenant: Tenant) -> list[MallTenant]:
    return list(
        MallTenant.objects.filter(tenant=tenant)
        .select_related("mall__district", "tenant")
        .order_by(*mall_order("mall__"))
    )
