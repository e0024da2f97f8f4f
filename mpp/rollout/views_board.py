"""The rollout board (issue 19, item 5): `/persiapan/` for DPMPTSP, leadership, auditors and
agency liaisons, each owner agency's open items (`/persiapan/instansi/<code>/`) and the weekly
PDF. The figures are rollout.figures'; every block says its cut-off time."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from mpp.accounts.models import Role, StaffProfile
from mpp.malls.models import District, Mall, Region
from mpp.rollout.access import access_rollout_reader, agency_member
from mpp.rollout.figures import (
    as_of_label,
    cut_off,
    open_items_of,
    overdue_items,
    regency_totals,
    rollout_rows,
)
from mpp.rollout.jobs import enqueue_weekly_pdf
from mpp.rollout.models import Agency, AgencyMember


@dataclass(frozen=True)
class Band:
    """A readiness band: the tile's colour class and the words that say the same."""

    css: str
    label: str


def band_of(value: int | None) -> Band:
    if value is None:
        return Band("band-none", _("Belum ada butir"))
    if value >= 100:
        return Band("band-done", _("Semua butir selesai"))
    if value >= 75:
        return Band("band-high", _("Hampir siap (75–99%)"))
    if value >= 40:
        return Band("band-mid", _("Separuh jalan (40–74%)"))
    return Band("band-low", _("Baru mulai (0–39%)"))


def bands() -> list[Band]:
    """The legend, highest first."""
    return [band_of(v) for v in (100, 75, 40, 0, None)]


def days_label(days: int | None, *, operating: bool = False) -> tuple[str, bool]:
    """The days-to-target words and whether they say late (shown red, with "terlambat")."""
    if operating:
        return _("sudah beroperasi"), False
    if days is None:
        return _("belum ada target"), False
    if days < 0:
        return _("terlambat %(n)d hari") % {"n": -days}, True
    if days == 0:
        return _("hari ini"), False
    return _("%(n)d hari lagi") % {"n": days}, False


def board_context(region: Region, *, with_overdue_items: bool = False) -> dict[str, Any]:
    """The figures of `region` as of now: the page's, and the weekly PDF's with every late
    item (`with_overdue_items`)."""
    as_of, today = cut_off(region)
    rows = rollout_rows(region, today=today, as_of=as_of)
    lines = []
    for row in rows:
        days, late = days_label(row.days_to_target, operating=row.status == Mall.Status.OPERATING)
        lines.append({"row": row, "band": band_of(row.readiness_percent), "days": days,
                      "late": late})  # fmt: skip
    totals = regency_totals(rows)
    context = {
        "totals_days": days_label(totals.days_to_target),
        "region": region,
        "as_of": as_of,
        "today": today,
        "as_of_label": as_of_label(as_of),
        "lines": lines,
        "totals": totals,
        "statuses": [
            (label, totals.by_status.get(value, 0)) for value, label in Mall.Status.choices
        ],
        "bands": bands(),
    }
    if with_overdue_items:
        context["overdue_items"] = overdue_items(region, today=today)
    return context


def _own_agency(user: object, profile: StaffProfile) -> AgencyMember | None:
    return agency_member(user) if profile.role == Role.AGENCY_LIAISON else None


@login_required
@require_safe
def board(request: HttpRequest) -> HttpResponse:
    """Twenty rows, the regency's totals, a schematic of the kecamatan and the PDF's link."""
    profile = access_rollout_reader(request.user)
    context = board_context(profile.region)
    own = _own_agency(request.user, profile)
    context["own"] = own
    # A liaison opens its own agency's list only (access_agency_items); the others any of them.
    agencies = list(Agency.objects.filter(region=profile.region))
    context["agencies"] = [] if own is not None else agencies
    context["openable"] = {own.agency.code} if own is not None else {a.code for a in agencies}
    return render(request, "rollout/board.html", context)


def access_agency_items(user: object, code: str) -> tuple[StaffProfile, Agency, District | None]:
    """An owner agency's open items for readers of the rollout; a liaison only its own
    agency's (403 for another's), a camat liaison only its own kecamatan (the district to
    filter by; None: all). 404 for a code the reader's region does not have."""
    profile = access_rollout_reader(user)
    agency = Agency.objects.filter(region_id=profile.region_id, code=code).first()
    if agency is None:
        raise Http404(_("Instansi penanggung jawab tidak ditemukan."))
    own = _own_agency(user, profile)
    if profile.role != Role.AGENCY_LIAISON:
        return profile, agency, None
    if own is None or own.agency_id != agency.pk:
        raise PermissionDenied(_("Anda hanya dapat membuka daftar butir instansi Anda sendiri."))
    return profile, agency, own.district


@login_required
@require_safe
def agency(request: HttpRequest, code: str) -> HttpResponse:
    """One owner agency's open items across the kecamatan, the late ones first marked."""
    profile, owner, district = access_agency_items(request.user, code)
    as_of, today = cut_off(profile.region)
    items = open_items_of(owner, district_id=district.pk if district is not None else None)
    lines = [
        {"item": i, "late": i.is_overdue(today), "days_late": (today - i.due_date).days}
        for i in items
    ]
    return render(
        request,
        "rollout/agency.html",
        {
            "agency": owner,
            "lines": lines,
            "late": sum(1 for line in lines if line["late"]),
            "district": district,
            "as_of_label": as_of_label(as_of),
        },
    )


@login_required
@require_safe
def weekly_pdf(request: HttpRequest) -> HttpResponse:
    """The weekly report as an A4 PDF. WeasyPrint took 2–3 s to write it: the background
    worker does, and the reader follows its job's page, which offers the file when it is ready
    (as the survey report's PDF; docs/adr/0020)."""
    profile = access_rollout_reader(request.user)
    _as_of, today = cut_off(profile.region)
    job = enqueue_weekly_pdf(
        region=profile.region,
        base_url=request.build_absolute_uri("/"),
        file_name=f"persiapan-mini-mpp-{profile.region.slug}-{today:%Y-%m-%d}.pdf",
        acting_user=request.user,
    )
    return redirect("malls:job", pk=job.pk)
