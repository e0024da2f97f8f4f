"""Complaints' JSON API (issue 22's contract): a citizen files a complaint without an account
(rate-limited per address) and reads it back by its tracking code; no answer holds the text's
author, the contact, or an internal note.

An unknown but well-formed `mall_id` or `service_id` is a 400 naming the field (`unknown_mall`,
`unknown_service`), not a 404: the address `/complaints` exists, a value of the body is at
fault (docs/adr/0038)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Router, Schema
from ninja.responses import Status
from pydantic import Field

from mpp.catalog.models import Service
from mpp.complaints import actions
from mpp.complaints.access import access_complaint_by_code
from mpp.complaints.exceptions import ComplaintCode, ComplaintRefused
from mpp.complaints.models import CODE_LENGTH, Source
from mpp.core.errors import BadRequest, Error
from mpp.core.ids import JsonId
from mpp.core.ratelimit import allow
from mpp.core.text import NO_NUL
from mpp.malls.models import Mall

router = Router(tags=["complaints"])

# One address files a few complaints an hour (a family, a village office); a script is stopped.
COMPLAINTS_PER_HOUR = 10
# The complaint's page is opened by its code: enough for a person, too few to guess codes.
PAGES_PER_HOUR = 120


class ComplaintIn(Schema):
    # Bounded here only against abuse of the parser; the action says "too long" (400
    # text_too_long with field) past actions.MAX_TEXT.
    text: str = Field(max_length=20_000, pattern=NO_NUL, description="apa yang terjadi")
    mall_id: JsonId | None = None
    service_id: JsonId | None = None
    contact: str = Field(
        "", max_length=254, pattern=NO_NUL, description="nomor HP atau e-mail, boleh kosong"
    )


class ComplaintOut(Schema):
    code: str
    status: str
    verify_by: str = Field(description="YYYY-MM-DD: batas verifikasi (3 hari kerja)")


class ReplyOut(Schema):
    text: str
    at: str = Field(description="waktu ISO 8601")
    from_complainant: bool


class ComplaintStateOut(Schema):
    code: str
    status: str
    created_on: str = Field(description="YYYY-MM-DD")
    verify_by: str
    answer_by: str | None
    answered_on: str | None
    dismissed_reason: str
    lapor_number: str
    replies: list[ReplyOut]


class Refusal(Error):
    """A complaint refusal; `field` names the value at fault when there is one."""

    field: str | None = None


def _rate_limited() -> dict[str, str]:
    return {
        "detail": _("Terlalu banyak permintaan; coba lagi sebentar lagi."),
        "code": "rate_limited",
    }


@router.post(
    "/complaints",
    auth=None,
    response={201: ComplaintOut, 400: BadRequest | Refusal, 429: Error},
    summary="Ajukan pengaduan",
    description=(
        "Tanpa akun. 400 dengan `field`: `text` (`empty_text`, `text_too_long`), `contact` "
        "(`invalid_contact`: bukan nomor HP atau e-mail), `mall_id` (`unknown_mall`), "
        "`service_id` (`unknown_service`). Dibatasi 10 pengaduan per jam per alamat (429)."
    ),
)
def file(request: HttpRequest, payload: ComplaintIn) -> Any:
    if not allow(
        f"complaints-file:{request.META.get('REMOTE_ADDR', '')}",
        limit=COMPLAINTS_PER_HOUR,
        window_seconds=3600,
    ):
        return Status(429, _rate_limited())
    mall = None
    if payload.mall_id is not None:
        mall = Mall.objects.public().select_related("region").filter(pk=payload.mall_id).first()
        if mall is None:
            raise ComplaintRefused(
                _("Mal tidak ditemukan."), code=ComplaintCode.UNKNOWN_MALL, field="mall_id"
            )
    service = None
    if payload.service_id is not None:
        service = Service.objects.active().filter(pk=payload.service_id).first()
        if service is None:
            raise ComplaintRefused(
                _("Layanan tidak ditemukan."),
                code=ComplaintCode.UNKNOWN_SERVICE,
                field="service_id",
            )
    made = actions.file_complaint(
        text=payload.text, mall=mall, service=service, contact=payload.contact, source=Source.API
    )
    return Status(
        201, {"code": made.code, "status": made.status, "verify_by": made.verify_by.isoformat()}
    )


@router.get(
    "/complaints/{code}",
    auth=None,
    response={200: ComplaintStateOut, 400: BadRequest, 404: Error, 429: Error},
    summary="Keadaan pengaduan menurut kode pelacakannya",
    description="Tanpa data pribadi: status, tanggal, dan tanggapan yang tidak internal.",
)
def get(
    request: HttpRequest, code: str = Path(..., max_length=CODE_LENGTH + 4, pattern=NO_NUL)
) -> Any:
    if not allow(
        f"complaints-page:{request.META.get('REMOTE_ADDR', '')}",
        limit=PAGES_PER_HOUR,
        window_seconds=3600,
    ):
        return Status(429, _rate_limited())
    found = access_complaint_by_code(code)
    zone = actions.region_zone(found.mall)
    return {
        "code": found.code,
        "status": found.status,
        "created_on": found.created_at.astimezone(zone).date().isoformat(),
        "verify_by": found.verify_by.isoformat(),
        "answer_by": found.answer_by.isoformat() if found.answer_by else None,
        "answered_on": (
            found.answered_at.astimezone(zone).date().isoformat() if found.answered_at else None
        ),
        "dismissed_reason": found.dismissed_reason,
        "lapor_number": found.lapor_number,
        "replies": [
            {"text": r.text, "at": r.at.isoformat(), "from_complainant": r.from_complainant}
            for r in found.replies.filter(is_internal=False).order_by("at", "pk")
        ],
    }
