"""The survey's JSON API (contract of issue 4): a response by survey token, and the index."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from mpp.accounts.tokens import STAFF_AUTH as STAFF
from mpp.core.ids import MAX_ID, JsonInt
from mpp.core.text import NO_NUL
from mpp.malls.api import BadRequest, Error
from mpp.surveys import actions, ikm
from mpp.surveys.access import access_results
from mpp.surveys.models import Response
from mpp.surveys.queries import Period, index_for

router = Router(tags=["survei"])


# A period longer than this is refused: a year is what a unit reports at most.
MAX_DAYS = 366 * 5


class ProfileIn(Schema):
    sex: Response.Sex | None = None
    age: JsonInt | None = Field(None, ge=10, le=120)
    education: Response.Education | None = None
    occupation: Response.Occupation | None = None


class ResponseIn(Schema):
    token: str = Field(..., min_length=1, max_length=64, pattern=NO_NUL)
    answers: dict[str, JsonInt | None] = Field(
        ..., description='jawaban per kode unsur, mis. {"U1": 4, "U8": null}; 1–4 atau null'
    )
    profile: ProfileIn | None = None
    suggestion: str = Field("", max_length=actions.SUGGESTION_MAX, pattern=NO_NUL)


class RecordedOut(Schema):
    recorded: bool
    mall_id: int


class SurveyProblem(Schema):
    detail: str
    code: str
    field: str | None = None


class IkmOut(Schema):
    respondents: int
    nrr: dict[str, float | None]
    ikm: float | None
    score: float | None = Field(description="nilai konversi (25–100), dua desimal")
    mutu: str | None
    kinerja: str | None


@router.post(
    "/responses",
    response={
        201: RecordedOut,
        400: SurveyProblem | BadRequest,
        404: SurveyProblem,
        409: SurveyProblem,
        410: SurveyProblem,
    },
    summary="Kirim jawaban survei dengan token survei tiket",
)
def submit(request: HttpRequest, payload: ResponseIn) -> Status[dict[str, Any]]:
    # A refusal (SurveyError) is answered by the API's one handler (mpp/api.py), with its field.
    profile = payload.profile or ProfileIn(sex=None, age=None, education=None, occupation=None)
    response = actions.record_survey_response(
        token=payload.token,
        answers=payload.answers,
        profile=actions.Profile(
            sex=profile.sex or "",
            age=profile.age,
            education=profile.education or "",
            occupation=profile.occupation or "",
        ),
        suggestion=payload.suggestion,
        channel=Response.Channel.PHONE,
    )
    return Status(201, {"recorded": True, "mall_id": response.mall_id})


class IkmQuery(Schema):
    mall: int | None = Field(None, ge=1, le=MAX_ID, description="kosong: seluruh kabupaten")
    tenant: int | None = Field(None, ge=1, le=MAX_ID)
    service: int | None = Field(None, ge=1, le=MAX_ID)
    from_: dt.date = Field(..., alias="from")
    to: dt.date
    weights: str = Field(ikm.EXACT, pattern=r"^(exact|0\.111|0\.11)$")


@router.get(
    "/ikm",
    auth=STAFF,
    response={200: IkmOut, 400: BadRequest | Error, 401: Error, 403: Error, 404: Error},
    summary="Indeks kepuasan masyarakat untuk mal (atau kabupaten) dan rentang tanggal",
)
def index(request: HttpRequest, q: Query[IkmQuery]) -> Status[Any]:
    if q.to < q.from_:
        return Status(400, {"detail": _("Tanggal akhir sebelum tanggal awal."), "code": "invalid"})
    if (q.to - q.from_).days > MAX_DAYS:
        return Status(
            400, {"detail": _("Rentang tanggal paling lama lima tahun."), "code": "invalid"}
        )
    scope = access_results(
        request.auth,  # type: ignore[attr-defined]
        mall_id=q.mall,
        tenant_id=q.tenant,
        service_id=q.service,
    )
    result = index_for(scope, Period(q.from_, q.to, ""), weights=q.weights)
    body = ikm.to_json(result.as_dict())
    # Decimals exactly as computed (75.00, not 75.0): the JSON is written here, not by pydantic.
    return HttpResponse(body, content_type="application/json")  # type: ignore[return-value]
