"""GET /api/v1/malls and /api/v1/malls/{id}."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Path, Router, Schema
from pydantic import Field

from mpp.core import clock
from mpp.core.errors import BadRequest, Error  # the API's one error shape
from mpp.core.ids import MAX_ID
from mpp.malls.access import access_public_mall
from mpp.malls.models import Mall
from mpp.malls.queries import mall_cards

router = Router(tags=["mal"])


class MallOut(Schema):
    id: int
    name: str
    kind: str = Field(description='"mpp" atau "mini_mpp"')
    district_code: str = Field(description="kode kecamatan Kemendagri, misalnya 64.02.06")
    status: str = Field(description="planned | preparing | operating")
    status_is_sample: bool = Field(
        description="status dan tanggal beroperasi masih data contoh (belum dipastikan)"
    )
    slug: str
    short_name: str
    district: str
    is_open_now: bool
    taking_numbers_now: bool


class HoursOut(Schema):
    weekday: int = Field(description="1 = Senin … 7 = Minggu")
    opens: str
    closes: str
    break_starts: str | None
    break_ends: str | None
    last_ticket_at: str | None


class MallDetailOut(MallOut):
    address: str
    paten_room: str
    hours: list[HoursOut]
    service_count: int


def _out(card) -> dict:  # type: ignore[no-untyped-def]
    m = card.mall
    return {
        "id": m.pk,
        "name": m.name,
        "kind": m.kind,
        "district_code": m.district.code,
        "status": m.status,
        "status_is_sample": m.status_is_sample,
        "slug": m.slug,
        "short_name": m.short_name,
        "district": m.district.name,
        "is_open_now": card.state.is_open,
        "taking_numbers_now": card.state.is_open and card.state.is_taking_numbers,
    }


@router.get("", response=list[MallOut], summary="Daftar mal (MPP dan Mini MPP)")
def list_malls(request: HttpRequest) -> list[dict]:
    return [_out(card) for card in mall_cards(clock.now())]


@router.get(
    "/{mall_id}",
    response={200: MallDetailOut, 400: BadRequest, 404: Error},
    summary="Satu mal dengan jam layanannya",
)
def get_mall(request: HttpRequest, mall_id: int = Path(..., ge=1, le=MAX_ID)) -> dict:  # type: ignore[type-arg]
    mall = access_public_mall(mall_id=mall_id)
    (card,) = mall_cards(clock.now(), [mall])
    hours = list(mall.opening_hours.all())
    fmt = lambda t: t.strftime("%H:%M") if t else None  # noqa: E731
    return {
        **_out(card),
        "address": mall.address,
        "paten_room": mall.paten_room,
        "service_count": mall.offerings.count(),
        "hours": [
            {
                "weekday": h.weekday,
                "opens": fmt(h.opens),
                "closes": fmt(h.closes),
                "break_starts": fmt(h.break_starts),
                "break_ends": fmt(h.break_ends),
                "last_ticket_at": fmt(h.last_ticket_at),
            }
            for h in hours
        ],
    }


__all__ = ["BadRequest", "Error", "Mall", "router"]
