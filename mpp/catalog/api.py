"""GET /api/v1/services, /services/{id}, /tenants; for staff: offer a service at a mall."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from ninja import Path, Query, Router, Schema
from pydantic import Field

from mpp.accounts.tokens import STAFF_AUTH
from mpp.catalog.access import access_service
from mpp.catalog.actions import set_service_offering
from mpp.catalog.forms import MAX_QUERY_LENGTH
from mpp.catalog.models import Tenant
from mpp.catalog.queries import availability, find_services
from mpp.core.ids import MAX_ID
from mpp.core.text import NO_NUL
from mpp.malls.access import access_mall_for_edit, access_public_mall
from mpp.malls.api import BadRequest, Error

router = Router(tags=["layanan"])


class ServiceFilter(Schema):
    q: str | None = Field(
        None, max_length=MAX_QUERY_LENGTH, pattern=NO_NUL, description="kata pencarian"
    )
    mall: int | None = Field(
        None, ge=1, le=MAX_ID, description="id mal; hanya layanan yang ada di mal itu"
    )


class ServiceOut(Schema):
    id: int
    name: str
    tenant: str = Field(description="nama singkat instansi")
    tenant_id: int


class PlaceOut(Schema):
    mall_id: int
    mall: str
    status: str
    status_is_sample: bool = Field(description="status mal masih data contoh")
    days: list[int] = Field(description="hari layanan, 1 = Senin … 7 = Minggu")
    days_display: str


class ServiceDetailOut(ServiceOut):
    slug: str
    tenant_name: str
    requirements: list[str]
    procedure: list[str]
    duration: str = Field(description="jangka waktu penyelesaian, teks yang diumumkan")
    duration_value: int | None = Field(
        description="jangka waktu sebagai angka; null bila tanpa batas waktu tetap", ge=1
    )
    duration_unit: Literal["menit", "jam", "hari_kerja", "hari"] | None = Field(
        description="satuan jangka waktu (hari = hari kalender); null bila tanpa batas waktu tetap"
    )
    fee: str
    fee_amount: int | None = Field(description="rupiah; null bila bervariasi")
    product: str
    complaints: str
    legal_basis: list[str]
    pledge: str
    is_front_counter: bool
    places: list[PlaceOut]


class TenantOut(Schema):
    id: int
    slug: str
    name: str
    short_name: str
    kind: str
    service_days: list[int]


@router.get(
    "/services",
    response={200: list[ServiceOut], 400: BadRequest, 404: Error},
    summary="Cari layanan",
)
def list_services(request: HttpRequest, filters: Query[ServiceFilter]) -> list[dict]:
    mall = access_public_mall(mall_id=filters.mall) if filters.mall else None
    result = find_services(filters.q or "", mall)
    return [
        {"id": h.id, "name": h.name, "tenant": h.tenant, "tenant_id": h.tenant_id}
        for h in result.all_hits
    ]


@router.get(
    "/services/{service_id}",
    response={200: ServiceDetailOut, 400: BadRequest, 404: Error},
    summary="Standar pelayanan satu layanan",
)
def get_service(request: HttpRequest, service_id: int = Path(..., ge=1, le=MAX_ID)) -> dict:  # type: ignore[type-arg]
    s = access_service(service_id)
    return {
        "id": s.pk,
        "slug": s.slug,
        "name": s.name,
        "tenant": s.tenant.short_name,
        "tenant_id": s.tenant_id,
        "tenant_name": s.tenant.name,
        "requirements": s.requirements,
        "procedure": s.procedure,
        "duration": s.duration,
        "duration_value": s.duration_value,
        "duration_unit": s.duration_unit or None,
        "fee": s.fee,
        "fee_amount": s.fee_amount,
        "product": s.product,
        "complaints": s.complaints_text,
        "legal_basis": s.legal_basis,
        "pledge": s.tenant.pledge,
        "is_front_counter": s.is_front_counter,
        "places": [
            {
                "mall_id": p.mall.pk,
                "mall": p.mall.short_name,
                "status": p.mall.status,
                "status_is_sample": p.mall.status_is_sample,
                "days": [int(d) for d in p.days],
                "days_display": p.days_display,
            }
            for p in availability(s)
        ],
    }


@router.get("/tenants", response=list[TenantOut], summary="Daftar instansi")
def list_tenants(request: HttpRequest) -> list[dict]:
    return [
        {
            "id": t.pk,
            "slug": t.slug,
            "name": t.name,
            "short_name": t.short_name,
            "kind": t.kind,
            "service_days": [int(d) for d in t.service_days],
        }
        for t in Tenant.objects.order_by("sort_order")
    ]


class OfferingOut(Schema):
    mall_id: int
    service_id: int
    offered: bool
    changed: bool


_STAFF_RESPONSES = {200: OfferingOut, 400: Error, 401: Error, 403: Error, 404: Error}


@router.put(
    "/malls/{mall_id}/services/{service_id}",
    auth=STAFF_AUTH,
    response=_STAFF_RESPONSES,
    summary="Buka layanan di mal (petugas)",
)
def offer_service(
    request: HttpRequest,
    mall_id: int = Path(..., ge=1, le=MAX_ID),
    service_id: int = Path(..., ge=1, le=MAX_ID),
) -> dict:  # type: ignore[type-arg]
    mall = access_mall_for_edit(request.user, mall_id)
    service = access_service(service_id)
    changed = set_service_offering(
        mall=mall, service=service, offered=True, acting_user=request.user
    )
    return {"mall_id": mall.pk, "service_id": service.pk, "offered": True, "changed": changed}


@router.delete(
    "/malls/{mall_id}/services/{service_id}",
    auth=STAFF_AUTH,
    response=_STAFF_RESPONSES,
    summary="Tutup layanan di mal (petugas)",
)
def withdraw_service(
    request: HttpRequest,
    mall_id: int = Path(..., ge=1, le=MAX_ID),
    service_id: int = Path(..., ge=1, le=MAX_ID),
) -> dict:  # type: ignore[type-arg]
    mall = access_mall_for_edit(request.user, mall_id)
    service = access_service(service_id)
    changed = set_service_offering(
        mall=mall, service=service, offered=False, acting_user=request.user
    )
    return {"mall_id": mall.pk, "service_id": service.pk, "offered": False, "changed": changed}
