"""The applications' JSON API (issue 22's contract): opening one at the counter, following it
by its receipt code (public, nothing personal), and moving it a step.

Staff endpoints take a bearer token or the signed-in session (with its CSRF token); every
403/404 is applications.access's, every rule applications.actions'."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Router, Schema
from ninja.responses import Status
from pydantic import BeforeValidator, Field

from mpp.accounts.tokens import STAFF_AUTH
from mpp.applications import actions
from mpp.applications.access import access_application, access_opening, track_application
from mpp.applications.models import Application
from mpp.applications.views_public import is_overdue
from mpp.core import clock
from mpp.core.errors import BadRequest, Error
from mpp.core.ids import JsonId
from mpp.core.ratelimit import allow
from mpp.core.text import NO_NUL

router = Router(tags=["permohonan"])

# The same budget as the tracking page's: a script trying codes is stopped.
LOOKUPS_PER_HOUR = 60

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_date_text(value: object) -> object:
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise ValueError("tanggal ditulis YYYY-MM-DD")
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date_text)]
CodePath = Path(..., max_length=40, pattern=NO_NUL)


class ApplicationIn(Schema):
    service_id: JsonId
    mall_id: JsonId
    received_on: IsoDate | None = Field(
        None, description="YYYY-MM-DD; kosong: hari ini. Paling lama 30 hari yang lalu."
    )
    phone: str = Field(
        "",
        max_length=32,
        pattern=NO_NUL,
        description="nomor HP warga untuk tanda terima dan kabar siap diambil (boleh kosong)",
    )


class OpenedOut(Schema):
    code: str = Field(description="kode tanda terima, 12 huruf dan angka")
    status: str
    due_date: str | None = Field(description="YYYY-MM-DD; null bila layanan tanpa batas tetap")


class StepOut(Schema):
    status: str
    at: str = Field(description="ISO 8601")


class PickupOut(Schema):
    place: str
    time: str


class ApplicationOut(Schema):
    status: str
    due_date: str | None = Field(description="YYYY-MM-DD; null tanpa batas tetap atau saat jeda")
    overdue: bool
    steps: list[StepOut]
    service: str = Field(description="nama layanan")
    paused: bool = Field(description="berkas dikembalikan: waktu proses berhenti")
    missing: str | None = Field(description="yang perlu dilengkapi, saat berkas dikembalikan")
    pickup: PickupOut | None = Field(description="tempat dan waktu pengambilan, saat siap diambil")


class MoveIn(Schema):
    status: str = Field(max_length=20, pattern=NO_NUL)
    note: str = Field("", max_length=2000, pattern=NO_NUL)


class MovedOut(ApplicationOut):
    code: str


class ApplicationRefusal(Error):
    """A refusal of the applications' rules (`code`: not_offered, out_of_order, ...)."""


def _public(application: Application) -> dict[str, Any]:
    steps = application.steps.order_by("at", "pk").values_list("status", "at")
    return {
        "status": application.status,
        "due_date": application.due_date.isoformat() if application.due_date else None,
        "overdue": is_overdue(application, now=clock.now()),
        "steps": [{"status": status, "at": at.isoformat()} for status, at in steps],
        "service": application.service.name,
        "paused": application.paused_since is not None,
        "missing": application.returned_note or None if application.paused_since else None,
        "pickup": (
            {"place": application.pickup_place, "time": application.pickup_time}
            if application.status == "siap_diambil"
            else None
        ),
    }


@router.post(
    "/applications",
    auth=STAFF_AUTH,
    response={
        201: OpenedOut,
        400: BadRequest | ApplicationRefusal,
        401: Error,
        403: Error,
        404: Error,
    },
    summary="Terima berkas: buka permohonan",
    description=(
        "Petugas instansi pemilik layanan di mal itu, pengawas mal, atau administrator "
        "kabupaten. 400 `not_offered` bila layanan tidak tersedia di mal itu, "
        "`received_in_future` atau `received_too_long_ago` (lebih dari 30 hari) untuk "
        "`received_on`, `invalid_phone`. 404 bila mal atau layanan tidak dikenal."
    ),
)
def open_application(request: HttpRequest, payload: ApplicationIn) -> Any:
    mall, service = access_opening(
        request.user, mall_id=payload.mall_id, service_id=payload.service_id
    )
    made = actions.open_application(
        mall=mall,
        service=service,
        acting_user=request.user,
        received_on=payload.received_on,
        phone=payload.phone,
    )
    return Status(
        201,
        {
            "code": made.code,
            "status": made.status,
            "due_date": made.due_date.isoformat() if made.due_date else None,
        },
    )


@router.get(
    "/applications/{code}",
    auth=None,
    response={200: ApplicationOut, 400: BadRequest, 404: Error, 429: Error},
    summary="Lacak permohonan dengan kode tanda terima",
    description=(
        "Publik, tanpa data pribadi. Tanda hubung dan huruf kecil pada kode boleh. 404 bila "
        "kode tidak dikenal. Dibatasi per alamat (429)."
    ),
)
def get_application(request: HttpRequest, code: str = CodePath) -> Any:
    address = request.META.get("REMOTE_ADDR", "")
    if not allow(f"applications-api:{address}", limit=LOOKUPS_PER_HOUR, window_seconds=3600):
        return Status(
            429,
            {
                "detail": _("Terlalu banyak permintaan; coba lagi sebentar lagi."),
                "code": "rate_limited",
            },
        )
    return _public(track_application(code))


@router.post(
    "/applications/{code}/status",
    auth=STAFF_AUTH,
    response={
        200: MovedOut,
        400: BadRequest | ApplicationRefusal,
        401: Error,
        403: Error,
        404: Error,
        409: ApplicationRefusal,
    },
    summary="Pindahkan permohonan ke langkah berikutnya",
    description=(
        "Urutan: diterima → diverifikasi → diproses → selesai / siap_diambil → diambil; "
        "dikembalikan (dengan `note` berisi yang perlu dilengkapi; waktu berhenti) dari "
        "diterima, diverifikasi, atau diproses, lalu kembali ke diterima. 409 `out_of_order` "
        "untuk langkah yang tidak boleh dari status sekarang; 400 `bad_status`, "
        "`note_required`."
    ),
)
def move_application(request: HttpRequest, payload: MoveIn, code: str = CodePath) -> Any:
    moved = actions.move(
        application=access_application(request.user, code),
        status=payload.status,
        acting_user=request.user,
        note=payload.note,
    )
    return {"code": moved.code, **_public(moved)}
