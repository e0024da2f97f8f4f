"""GET /api/v1/rollout: the rollout board's figures, one entry per Mini MPP (issue 19's
contract; see mpp/rollout/api.py and mpp/rollout/figures.py for the definitions)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from mpp.accounts.tokens import STAFF_AUTH
from mpp.core.errors import Error
from mpp.rollout.access import access_rollout_reader
from mpp.rollout.figures import RolloutRow, cut_off, rollout_rows

router = Router(tags=["rollout"])


class ReadinessOut(Schema):
    done: int = Field(description="butir kesiapan yang selesai")
    total: int = Field(description="semua butir kesiapan Mini MPP ini")
    percent: int | None = Field(description="done/total dibulatkan; null bila belum ada butir")


class StaffOut(Schema):
    total: int = Field(description="pegawai yang bertugas hari ini (penugasan aktif)")
    local: int = Field(description="yang berdomisili (alamat KK) di kecamatan ini")
    local_percent: int | None = Field(description="local/total dibulatkan; null bila 0 pegawai")


class TrainedOut(Schema):
    total: int = Field(description="pegawai yang bertugas hari ini")
    passed: int = Field(description="yang lulus semua modul wajib untuk membuka loket")
    percent: int | None = Field(description="passed/total dibulatkan; null bila 0 pegawai")


class RolloutOut(Schema):
    mall_id: int
    district_code: str = Field(description="kode Kemendagri kecamatan, mis. 64.02.02")
    status: str = Field(description="planned | preparing | operating")
    readiness: ReadinessOut
    overdue: int = Field(description="butir belum selesai yang lewat tenggat")
    blocked: int = Field(description="butir berstatus terhambat (lewat tenggat atau belum)")
    staff: StaffOut
    trained: TrainedOut
    mall_name: str
    days_to_target: int | None = Field(
        description="hari menuju target siap (negatif: terlambat); null tanpa rencana"
    )
    as_of: str = Field(description="data per (ISO 8601, zona waktu wilayah)")


def row_out(row: RolloutRow) -> dict[str, Any]:
    return {
        "mall_id": row.mall.pk,
        "district_code": row.mall.district.code,
        "status": row.status,
        "readiness": {"done": row.done, "total": row.total, "percent": row.readiness_percent},
        "overdue": row.overdue,
        "blocked": row.blocked,
        "staff": {
            "total": row.staff_total,
            "local": row.staff_local,
            "local_percent": row.local_percent,
        },
        "trained": {
            "total": row.trained_total,
            "passed": row.trained_passed,
            "percent": row.trained_percent,
        },
        "mall_name": row.mall.name,
        "days_to_target": row.days_to_target,
        "as_of": row.as_of.isoformat(timespec="seconds"),
    }


@router.get(
    "/rollout",
    auth=STAFF_AUTH,
    response={200: list[RolloutOut], 401: Error, 403: Error},
    summary="Persiapan Mini MPP per kecamatan (DPMPTSP, pimpinan, auditor, instansi mitra)",
)
def rollout(request: HttpRequest) -> list[dict[str, Any]]:
    """One entry per Mini MPP of the reader's region, ordered by kecamatan code."""
    profile = access_rollout_reader(request.auth)  # type: ignore[attr-defined]  # set by ninja
    as_of, today = cut_off(profile.region)
    return [row_out(row) for row in rollout_rows(profile.region, today=today, as_of=as_of)]
