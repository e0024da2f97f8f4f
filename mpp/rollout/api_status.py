"""POST /api/v1/malls/{id}/status: DPMPTSP changes a mall's status through the go-live gate
(rollout.gate; issue 19's contract). 200 with the mall as GET /api/v1/malls/{id} shows it; 409
`{"detail", "code": "readiness_incomplete", "open_items": [...]}` when the gate refuses; 400 for
a status that is not one of the three, or going back without a reason; 403 out of scope."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Path, Router, Schema
from pydantic import Field

from mpp.accounts.tokens import STAFF_AUTH
from mpp.core.errors import BadRequest, Error
from mpp.core.ids import MAX_ID
from mpp.core.text import NO_NUL
from mpp.malls.api import MallDetailOut, get_mall
from mpp.malls.models import Mall
from mpp.rollout.access_readiness import access_readiness_editor
from mpp.rollout.gate import REASON_MAX_LENGTH, set_mall_status

router = Router(tags=["rollout"])


class StatusIn(Schema):
    status: Mall.Status = Field(description="planned | preparing | operating")
    reason: str = Field(
        "",
        max_length=REASON_MAX_LENGTH,
        pattern=NO_NUL,
        description="wajib bila status dikembalikan (beroperasi → persiapan/rencana, "
        "persiapan → rencana)",
    )


class OpenItemOut(Schema):
    id: int
    code: str
    title: str
    owner: str = Field(description="nama singkat instansi pemilik")
    due_date: str = Field(description="YYYY-MM-DD")
    status: str = Field(description="open | in_progress | blocked")


class GateRefusal(Error):
    """The gate's refusal: the mandatory items still open, and whether a trial day served."""

    open_items: list[OpenItemOut]
    trial_served: bool = Field(description="ada hari uji coba yang mengambil dan memanggil nomor")


@router.post(
    "/malls/{mall_id}/status",
    auth=STAFF_AUTH,
    response={
        200: MallDetailOut,
        400: BadRequest | Error,
        401: Error,
        403: Error,
        404: Error,
        409: GateRefusal,
    },
    summary="Ubah status mal melalui gerbang beroperasi (DPMPTSP)",
)
def change_status(
    request: HttpRequest,
    payload: StatusIn,
    mall_id: int = Path(..., ge=1, le=MAX_ID),  # type: ignore[type-arg]
) -> Any:
    _profile, mall = access_readiness_editor(request.user, mall_id=mall_id)
    set_mall_status(mall, payload.status, actor=request.user, reason=payload.reason)
    return get_mall(request, mall_id=mall.pk)
