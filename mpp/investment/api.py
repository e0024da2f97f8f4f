"""GET /api/v1/investment/summary (public aggregates) and /investment/companies (staff)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from mpp.accounts.tokens import STAFF_AUTH as STAFF
from mpp.core.text import NO_NUL
from mpp.investment import queries
from mpp.investment.access import access_investment_reader, public_region
from mpp.malls.api import BadRequest, Error

router = Router(tags=["investasi"])


class PeriodQuery(Schema):
    year: int = Field(ge=2000, le=2100, description="tahun, mis. 2025")
    through: str = Field(
        "4",
        pattern=r"^[Qq]?[1-4]$",
        description="sampai akhir triwulan ini (1–4; 'Q3' juga diterima); bawaan 4",
    )

    @property
    def quarter(self) -> int:
        return int(self.through[-1])


class SectorOut(Schema):
    sector: int = Field(description="nomor sektor nasional 1–23")
    name: str
    nature: str = Field(description="ekstraktif | berbasis_sumber_daya | non_ekstraktif")
    total_idr: int


class DistrictOut(Schema):
    code: str = Field(description="kode Kemendagri kecamatan")
    name: str
    total_idr: int


class SourceOut(Schema):
    source: str
    cut_off: str = Field(description="data per tanggal (YYYY-MM-DD)")
    is_synthetic: bool
    imported_at: str


class SummaryOut(Schema):
    year: int
    through: int
    total_idr: int = Field(description="rupiah, Januari sampai akhir triwulan `through`")
    pma_idr: int
    pmdn_idr: int
    extractive_idr: int
    resource_based_idr: int = Field(
        description="kehutanan, perkebunan (bukan ekstraktif, bukan non-ekstraktif)"
    )
    non_extractive_idr: int
    workers: int = Field(description="TKI laki-laki + perempuan + TKA yang diserap")
    by_sector: list[SectorOut]
    by_district: list[DistrictOut]
    sources: list[SourceOut]


class CompanyOut(Schema):
    nib: str
    company: str
    status: str
    reports: int
    total_idr: int


@router.get(
    "/summary",
    response={200: SummaryOut, 400: BadRequest, 404: Error},
    summary="Ringkasan realisasi investasi (hanya laporan LKPM berstatus Disetujui)",
)
def summary(request: HttpRequest, params: Query[PeriodQuery]) -> dict[str, Any]:
    region = public_region()
    if params.year not in queries.years_with_data(region):
        raise Http404(
            _("Belum ada data realisasi investasi untuk tahun %(y)d.") % {"y": params.year}
        )
    return queries.summary(region, params.year, params.quarter)


@router.get(
    "/companies",
    auth=STAFF,
    response={200: list[CompanyOut], 400: BadRequest, 401: Error, 403: Error},
    summary="Perusahaan menurut realisasi (petugas DPMPTSP, pimpinan, auditor)",
)
def companies(
    request: HttpRequest,
    params: Query[PeriodQuery],
    q: str = Query("", max_length=100, pattern=NO_NUL),
) -> list[dict[str, Any]]:
    profile = access_investment_reader(request.auth)  # type: ignore[attr-defined]  # set by ninja
    rows = queries.companies(profile.region, params.year, params.quarter, search=q.strip())
    return [
        {
            "nib": r["nib"],
            "company": r["company"],
            "status": r["status"],
            "reports": r["reports"],
            "total_idr": r["total"],
        }
        for r in rows[:500]
    ]
