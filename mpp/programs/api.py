"""The programmes' JSON API: POST /api/v1/nikah/eligibility (issue 20's contract)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import BeforeValidator, Field

from mpp.core.errors import BadRequest, Error
from mpp.core.ratelimit import allow
from mpp.core.text import NO_NUL
from mpp.malls.models import Region
from mpp.programs.eligibility import check_eligibility

router = Router(tags=["programs"])

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_date_text(value: object) -> object:
    """Only "YYYY-MM-DD": pydantic would also take a number as a Unix time (1998 → 1970-01-01)."""
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise ValueError("tanggal ditulis YYYY-MM-DD")
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date_text)]

# A couple types and corrects a few times; a script checking NIKs in bulk is refused.
ELIGIBILITY_CHECKS_PER_MINUTE = 30


class PersonIn(Schema):
    nik: str = Field(max_length=32, pattern=NO_NUL, description="16 angka")
    birth_date: IsoDate = Field(description="YYYY-MM-DD")


class EligibilityIn(Schema):
    akad_date: IsoDate = Field(description="YYYY-MM-DD")
    registered_on: IsoDate = Field(description="YYYY-MM-DD")
    groom: PersonIn
    bride: PersonIn


class ProblemOut(Schema):
    code: str = Field(
        description="nik_invalid | nik_birth_date_mismatch | nik_sex_mismatch | under_19"
    )
    who: str | None = Field(description="groom | bride | null")
    message: str


class EligibilityOut(Schema):
    eligible: bool
    problems: list[ProblemOut]
    needs: list[str] = Field(
        description="parental_permission | court_dispensation | late_registration_dispensation"
    )


@router.post(
    "/nikah/eligibility",
    auth=None,
    # 404 only while the deployment's region (MPP_REGION), whose calendar counts the working
    # days, is not loaded.
    response={200: EligibilityOut, 400: BadRequest | Error, 404: Error, 429: Error},
    summary="Periksa syarat calon pengantin nikah massal (tidak menyimpan apa pun)",
)
def eligibility(request: HttpRequest, payload: EligibilityIn) -> Any:
    address = request.META.get("REMOTE_ADDR", "")
    if not allow(
        f"nikah-eligibility:{address}", limit=ELIGIBILITY_CHECKS_PER_MINUTE, window_seconds=60
    ):
        return Status(
            429,
            {
                "detail": _("Terlalu banyak permintaan; coba lagi sebentar lagi."),
                "code": "rate_limited",
            },
        )
    region = get_object_or_404(Region, slug=settings.MPP_REGION)
    result = check_eligibility(
        region=region,
        akad_date=payload.akad_date,
        registered_on=payload.registered_on,
        groom=(payload.groom.nik, payload.groom.birth_date),
        bride=(payload.bride.nik, payload.bride.birth_date),
    )
    return result.as_dict()
