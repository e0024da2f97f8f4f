"""GET /api/v1/me: who the signed-in staff member is and what they may touch; POST and DELETE
/api/v1/auth/token: a token for a staff member or kiosk device, and its revocation."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from mpp.accounts.access import require_staff
from mpp.accounts.actions import revoke_api_token
from mpp.accounts.tokens import STAFF_AUTH, BearerToken, create_token
from mpp.core.errors import BadRequest, Error
from mpp.core.text import NO_NUL
from mpp.malls.access import malls_editable_by, malls_visible_to

router = Router(tags=["petugas"])
auth_router = Router(tags=["petugas"])


class TokenIn(Schema):
    username: str = Field(..., min_length=1, max_length=150, pattern=NO_NUL)
    password: str = Field(..., min_length=1, max_length=128, pattern=NO_NUL)


class TokenOut(Schema):
    token: str
    expires_at: dt.datetime = Field(description="token tidak berlaku lagi sejak saat ini")


@auth_router.post(
    "/token",
    response={200: TokenOut, 400: BadRequest, 401: Error, 429: Error},
    summary="Token untuk konsol petugas dan perangkat kios",
    description=(
        "Token petugas berlaku 12 jam, token perangkat kios 90 hari (bawaan). Setelah terlalu "
        "banyak percobaan gagal untuk satu akun atau satu alamat, setiap percobaan ditolak "
        "(429, `sign_in_locked`, header Retry-After) sampai masa tunggu selesai. Kata sandi "
        "salah: 401 `wrong_credentials`; token kedaluwarsa: 401 `token_expired`."
    ),
)
def token(request: HttpRequest, payload: TokenIn) -> dict[str, object]:
    issued = create_token(request=request, username=payload.username, password=payload.password)
    return {"token": issued.key, "expires_at": issued.token.expires_at}


@auth_router.delete(
    "/token",
    auth=BearerToken(),
    response={204: None, 401: Error},
    summary="Cabut token yang dipakai (keluar dari perangkat)",
)
def revoke_token(request: HttpRequest) -> Status[None]:
    revoke_api_token(request.api_token, acting_user=request.user)  # type: ignore[attr-defined]
    return Status(204, None)


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
