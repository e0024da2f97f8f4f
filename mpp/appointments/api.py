"""Booking's JSON API (issue 21's contract): a day's slots, booking, and cancelling by code.

Citizens call it without an account: booking is rate-limited per address, the code is the
permission to cancel (as a ticket's code is for its cancel), and no answer ever holds the NIK
or the phone number."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from django.conf import settings
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema
from ninja.responses import Status
from pydantic import BeforeValidator, Field

from mpp.appointments import booking
from mpp.appointments.models import CODE_LENGTH, Appointment
from mpp.appointments.slots import access_bookable, day_slots
from mpp.core.errors import BadRequest, Error
from mpp.core.ids import MAX_ID, JsonId
from mpp.core.ratelimit import allow
from mpp.core.text import NO_NUL

router = Router(tags=["appointments"])

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_HH_MM = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]")

# One address books for a family, perhaps a village office for a few people: 10 an hour. A
# script taking every place of a day is stopped, and so is one guessing codes to cancel.
CANCELS_PER_HOUR = 20


def bookings_per_hour() -> int:
    """settings.MPP_BOOKINGS_PER_HOUR (10 unless the deployment says)."""
    return int(settings.MPP_BOOKINGS_PER_HOUR)


def _iso_date_text(value: object) -> object:
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise ValueError("tanggal ditulis YYYY-MM-DD")
    return value


def _hh_mm_text(value: object) -> object:
    if not isinstance(value, str) or not _HH_MM.fullmatch(value):
        raise ValueError("jam ditulis HH:MM")
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date_text)]
HourMinute = Annotated[dt.time, BeforeValidator(_hh_mm_text)]


class SlotOut(Schema):
    start: str = Field(description="HH:MM, waktu setempat mal")
    end: str = Field(description="HH:MM")
    capacity: int
    available: int


class AppointmentIn(Schema):
    mall_id: JsonId
    service_id: JsonId
    date: IsoDate = Field(description="YYYY-MM-DD")
    start: HourMinute = Field(description="HH:MM, awal sesi")
    nik: str = Field(max_length=32, pattern=NO_NUL, description="16 angka")
    phone: str = Field(max_length=32, pattern=NO_NUL, description="nomor HP, 08… atau +62…")
    messages: bool = Field(
        False, description="mau menerima konfirmasi dan pengingat lewat WhatsApp/SMS"
    )


class AppointmentOut(Schema):
    code: str
    date: str = Field(description="YYYY-MM-DD")
    start: str = Field(description="HH:MM")
    status: str


class Refusal(Error):
    """A booking refusal; `field` names the value at fault when there is one."""

    field: str | None = None


class SlotsQuery(Schema):
    service_id: int = Field(ge=1, le=MAX_ID)
    date: IsoDate = Field(description="YYYY-MM-DD")


@router.get(
    "/malls/{mall_id}/slots",
    response={200: list[SlotOut], 400: BadRequest | Refusal, 404: Error},
    summary="Sesi janji temu satu layanan pada satu hari",
    description=(
        "Hari yang dapat dipesan: mulai besok sampai batas hari ke depan yang ditetapkan mal. "
        "400 dengan kode `day_closed` (mal tutup, hari libur, penutupan mal, instansi tidak "
        "melayani hari itu), `day_past`, `beyond_horizon`, atau `booking_closed`, dan alasannya. "
        "404 bila mal atau layanan tidak dikenal atau layanan tidak dapat dipesan di mal itu."
    ),
)
def slots(
    request: HttpRequest,
    mall_id: int = Path(..., ge=1, le=MAX_ID),
    query: SlotsQuery = Query(...),  # noqa: B008
) -> Any:
    bookable = access_bookable(mall_id=mall_id, service_id=query.service_id)
    today = bookable.mall.local_now().date()
    return [
        {
            "start": s.start.strftime("%H:%M"),
            "end": s.end.strftime("%H:%M"),
            "capacity": s.capacity,
            "available": max(0, s.capacity - s.booked),
        }
        for s in day_slots(bookable, query.date, today=today)
    ]


@router.post(
    "/appointments",
    auth=None,
    response={
        201: AppointmentOut,
        400: BadRequest | Refusal,
        403: Refusal,
        404: Error,
        409: Refusal,
        429: Error,
    },
    summary="Pesan janji temu",
    description=(
        "409 dengan kode `slot_full` (sesi penuh) atau `already_booked` (NIK ini sudah memiliki "
        "janji temu aktif untuk layanan ini). 400 dengan `field` untuk NIK (`invalid_nik`), "
        "nomor HP (`invalid_phone`), hari (`day_closed`, `day_past`, `beyond_horizon`) atau "
        "jam (`bad_start`). 403 `no_show_blocked` setelah terlalu sering tidak datang. Dibatasi "
        "pemesanan per jam per alamat (429; 10 kecuali diatur lain)."
    ),
)
def book(request: HttpRequest, payload: AppointmentIn) -> Any:
    if not allow(
        f"appointments-book:{request.META.get('REMOTE_ADDR', '')}",
        limit=bookings_per_hour(),
        window_seconds=3600,
    ):
        return Status(429, _rate_limited())
    bookable = access_bookable(mall_id=payload.mall_id, service_id=payload.service_id)
    made = booking.book(
        bookable=bookable,
        day=payload.date,
        start=payload.start,
        nik=payload.nik,
        phone=payload.phone,
        wants_messages=payload.messages,
        channel=Appointment.Channel.API,
    )
    return Status(
        201,
        {
            "code": made.code,
            "date": made.slot.date.isoformat(),
            "start": made.slot.start.strftime("%H:%M"),
            "status": made.status,
        },
    )


@router.delete(
    "/appointments/{code}",
    auth=None,
    response={204: None, 400: BadRequest, 404: Error, 409: Refusal, 429: Error},
    summary="Batalkan janji temu (tempatnya langsung terbuka lagi)",
    description=(
        "Kode janji temu adalah izinnya. 409 `not_booked` bila sudah tidak aktif (dibatalkan, "
        "sudah lapor hadir, tidak datang), `too_late` bila sesinya sudah dimulai."
    ),
)
def cancel(
    request: HttpRequest,
    code: str = Path(..., max_length=CODE_LENGTH + 2, pattern=NO_NUL),
) -> Any:
    if not allow(
        f"appointments-cancel:{request.META.get('REMOTE_ADDR', '')}",
        limit=CANCELS_PER_HOUR,
        window_seconds=3600,
    ):
        return Status(429, _rate_limited())
    found = (
        Appointment.objects.select_related("slot", "mall", "mall__region", "service")
        .filter(code=code.replace("-", "").upper())
        .first()
    )
    if found is None:
        raise Http404(_("Janji temu tidak ditemukan."))
    booking.cancel(found)
    return Status(204, None)


def _rate_limited() -> dict[str, str]:
    return {
        "detail": _("Terlalu banyak permintaan; coba lagi sebentar lagi."),
        "code": "rate_limited",
    }
