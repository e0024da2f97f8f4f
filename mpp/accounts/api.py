"""GET /api/v1/me: who the signed-in staff member is and what they may touch."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.security import django_auth

from mpp.accounts.access import malls_editable_by, malls_visible_to, require_staff
from mpp.malls.api import Error

router = Router(tags=["petugas"])


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
    auth=django_auth,
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
