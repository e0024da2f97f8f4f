"""GET /api/v1/me: who the signed-in staff member is and what they may touch."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from mpp.accounts.access import malls_editable_by, malls_visible_to, require_staff
from mpp.accounts.tokens import STAFF_AUTH, create_token
from mpp.core.text import NO_NUL
from mpp.malls.api import BadRequest, Error

router = Router(tags=["petugas"])
auth_router = Router(tags=["petugas"])


class TokenIn(Schema):
    username: str = Field(..., min_length=1, max_length=150, pattern=NO_NUL)
    password: str = Field(..., min_length=1, max_length=128, pattern=NO_NUL)


class TokenOut(Schema):
    token: str


@auth_router.post(
    "/token",
    response={200: TokenOut, 400: BadRequest, 401: Error},
    summary="Token untuk konsol petugas dan perangkat kios",
)
def token(request: HttpRequest, payload: TokenIn) -> Status[dict[str, str]]:
    key = create_token(username=payload.username, password=payload.password)
    if key is None:
        return Status(
            401, {"detail": _("Nama pengguna atau kata sandi salah."), "code": "wrong_credentials"}
        )
    return Status(200, {"token": key})


class MeOut(Schema):
    username: str
    role: str
    role_label: str
    tenant_id: int | None
    mall_id: int | None
    visible_mall_ids: list[int]
    editable_mall_ids: list[int]


@router.get(
    "",
    auth=STAFF_AUTH,
    response={200: MeOut, 401: Error, 403: Error},
    summary="Peran dan cakupan petugas yang masuk",
)
def me(request: HttpRequest) -> dict:
    profile = require_staff(request.user)
    return {
        "username": request.user.get_username(),
        "role": profile.role,
        "role_label": str(profile.get_role_display()),
        "tenant_id": profile.tenant_id,
        "mall_id": profile.mall_id,
        "visible_mall_ids": sorted(malls_visible_to(request.user).values_list("pk", flat=True)),
        "editable_mall_ids": sorted(malls_editable_by(request.user).values_list("pk", flat=True)),
    }
