"""The links of a staff member's start page, each one offered only if the access helper of the
app that owns the page lets the user through (so the page and the link can never disagree)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from mpp.accounts.models import Role, StaffProfile
from mpp.applications.access import workable_malls
from mpp.applications.queries import deadline_counts
from mpp.appointments.access import may_see_bookings
from mpp.complaints.access import may_read_report, may_see_list
from mpp.investment.access import access_investment_editor, access_investment_reader
from mpp.malls.access import can_edit_mall, malls_visible_to
from mpp.malls.models import Mall
from mpp.metapers.access import inbox_scope_of
from mpp.programs.access_kua import access_civil_programme, kua_scope
from mpp.programs.access_report import programmes_readable_by
from mpp.programs.models import Programme
from mpp.queueing.access import access_mall_report, counters_for
from mpp.rollout.access import access_rollout_reader, agency_member
from mpp.surveys.access import access_entry, access_raw_export, access_results


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass
class MallRow:
    """One mall and the pages of it the user may open (empty list: nothing but its name)."""

    mall: Mall
    links: list[Link] = field(default_factory=list)
    cells: list[Link | None] = field(default_factory=list)


def columns_of(rows: list[MallRow]) -> list[str]:
    """The kinds of mall page any row has, in the order they are added: the table's columns."""
    seen: dict[str, None] = {}
    for row in rows:
        for link in row.links:
            seen.setdefault(link.label, None)
    return list(seen)


@dataclass
class StartPage:
    role: str
    purpose: str
    work: list[Link]
    region_reports: list[Link]
    investment: list[Link]
    rollout: list[Link]
    malls: list[MallRow]
    mall_columns: list[str]
    audit_malls: list[Mall]
    audit_region: bool
    audit_from: dt.date
    audit_to: dt.date


def purpose_of(role: str) -> str:
    """What a role is for, in a sentence: the first thing its start page says."""
    texts: dict[str, str] = {
        Role.REGENCY_ADMIN: _(
            "Anda mengelola data rujukan semua mal (instansi, layanan, jam, loket, petugas), "
            "mengimpor data investasi (LKPM) dan mengawasi laporan seluruh kabupaten."
        ),
        Role.LEADERSHIP: _(
            "Anda membaca laporan seluruh kabupaten: indeks kepuasan masyarakat, laporan "
            "harian tiap mal dan realisasi investasi. Halaman ini hanya untuk membaca."
        ),
        Role.AUDITOR: _(
            "Anda memeriksa angka yang diterbitkan: unduh data mentah survei (ZIP) dan hitung "
            "ulang indeksnya, baca laporan harian dan data investasi. "
            "Halaman ini hanya untuk membaca."
        ),
        Role.AGENCY_LIAISON: _(
            "Anda mewakili instansi mitra persiapan Mini MPP: perbarui butir kesiapan milik "
            "instansi Anda dan pantau kesiapan setiap kecamatan."
        ),
        Role.MALL_SUPERVISOR: _(
            "Anda mengawasi antrean dan loket mal Anda, mengetik lembar survei kertas dan "
            "membaca laporan mal Anda."
        ),
        Role.TENANT_OFFICER: _(
            "Anda melayani warga di loket instansi Anda dan menjawab obrolan Metapers; di sini "
            "juga hasil survei instansi Anda."
        ),
        Role.KUA_OFFICER: _(
            "Anda memeriksa dokumen pasangan program nikah massal KUA Anda, menyetujui dan "
            "menjadwalkan akad, mencatat biaya, kehadiran, dan nomor buku nikah."
        ),
    }
    return texts.get(role, "")


def _opens(check: Callable[..., Any], *args: Any, **kwargs: Any) -> bool:
    """Whether the owner's access helper lets the user through: `check(*args, **kwargs)`."""
    try:
        check(*args, **kwargs)
    except (PermissionDenied, Http404):
        return False
    return True


def _quarter(today: dt.date) -> tuple[dt.date, dt.date]:
    """The calendar quarter holding `today`, up to today (the audit form's default period)."""
    first = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    return first, today


def _applications_label(user: Any) -> str:
    """The link's label: "Permohonan berjalan", with how many are overdue or at risk."""
    counts = deadline_counts(user)
    parts = []
    if counts.overdue:
        parts.append(_("%(n)d lewat batas") % {"n": counts.overdue})
    if counts.at_risk:
        parts.append(_("%(n)d segera jatuh tempo") % {"n": counts.at_risk})
    label = _("Permohonan berjalan")
    return f"{label}: {', '.join(parts)}" if parts else label


def start_page(user: Any, profile: StaffProfile, *, today: dt.date) -> StartPage:
    """The start page of `user` (a staff member other than a kiosk device)."""
    work: list[Link] = []
    if counters_for(user).exists():
        work.append(
            Link(_("Konsol loket: panggil dan layani antrean"), reverse("queueing:console-home"))
        )
    if inbox_scope_of(user) is not None:
        work.append(Link(_("Obrolan Metapers dengan warga"), reverse("metapers:inbox")))
    if workable_malls(user).exists():
        work.append(Link(_applications_label(user), reverse("applications:staff-list")))
    if may_see_list(user):
        work.append(Link(_("Pengaduan masyarakat"), reverse("complaints:staff-list")))
    if profile.role == Role.KUA_OFFICER and _opens(kua_scope, user):
        work.append(Link(_("Program nikah massal: pemeriksaan KUA"), reverse("programs:kua-home")))
    if profile.role == Role.TENANT_OFFICER:
        for programme in Programme.objects.filter(
            region_id=profile.region_id, civil_registry_tenant_id=profile.tenant_id
        ).exclude(status=Programme.Status.DRAFT):
            if _opens(access_civil_programme, user, programme.slug):
                work.append(
                    Link(
                        _("Tindak lanjut Disdukcapil: %(p)s") % {"p": programme.title},
                        reverse("programs:civil", args=[programme.slug]),
                    )
                )

    region_reports: list[Link] = []
    if _opens(access_results, user) and access_results(user).region is not None:
        region_reports.append(
            Link(_("Hasil survei kepuasan (IKM) seluruh kabupaten"), reverse("surveys:results"))
        )

    if may_read_report(user, None):
        region_reports.append(
            Link(
                _("Laporan pengaduan seluruh kabupaten"),
                reverse("complaints:report") + "?mal=kabupaten",
            )
        )

    for programme in programmes_readable_by(user).order_by("-registration_opens"):
        region_reports.append(
            Link(
                _("Laporan program: %(p)s") % {"p": programme.title},
                reverse("programs:report", args=[programme.slug]),
            )
        )

    investment = [Link(_("Realisasi investasi (halaman publik)"), reverse("investment:dashboard"))]
    if _opens(access_investment_reader, user):
        investment.append(Link(_("Data investasi per perusahaan"), reverse("investment:internal")))
    if _opens(access_investment_editor, user):
        investment.append(Link(_("Impor data LKPM"), reverse("investment:import")))
        investment.append(
            Link(_("Klasifikasi sektor investasi"), reverse("investment:classification"))
        )

    rollout: list[Link] = []
    if _opens(access_rollout_reader, user):
        rollout.append(Link(_("Persiapan Mini MPP per kecamatan"), reverse("rollout:board")))
        own = agency_member(user) if profile.role == Role.AGENCY_LIAISON else None
        if own is not None:
            rollout.append(
                Link(
                    _("Butir terbuka %(a)s") % {"a": own.agency.short_name},
                    reverse("rollout:agency", args=[own.agency.code]),
                )
            )

    rows: list[MallRow] = []
    audit_malls: list[Mall] = []
    for mall in malls_visible_to(user).select_related("region").order_by("pk"):
        row = MallRow(mall)
        if can_edit_mall(user, mall):
            row.links.append(
                Link(_("Pengawasan antrean"), reverse("queueing:supervisor", args=[mall.slug]))
            )
        if _opens(access_mall_report, user, mall.slug):
            row.links.append(
                Link(_("Laporan harian"), reverse("queueing:report", args=[mall.slug]))
            )
        if may_see_bookings(user, mall):
            row.links.append(
                Link(_("Janji temu hari ini"), reverse("appointments:staff-list", args=[mall.pk]))
            )
        if _opens(access_results, user, mall_id=mall.pk):
            row.links.append(
                Link(_("Hasil survei (IKM)"), reverse("surveys:results") + f"?mall={mall.pk}")
            )
        if may_read_report(user, mall):
            row.links.append(
                Link(_("Laporan pengaduan"), reverse("complaints:report") + f"?mal={mall.pk}")
            )
        if _opens(access_entry, user, mall.pk):
            row.links.append(
                Link(_("Ketik lembar survei kertas"), reverse("surveys:paper", args=[mall.pk]))
            )
            row.links.append(
                Link(_("Impor lembar survei"), reverse("surveys:import", args=[mall.pk]))
            )
        if _opens(access_raw_export, user, mall_id=mall.pk):
            audit_malls.append(mall)
        rows.append(row)

    audit_from, audit_to = _quarter(today)
    rows = [row for row in rows if row.links]
    columns = columns_of(rows)
    for row in rows:  # one cell per column, empty where this mall's page is not open
        by_label = {link.label: link for link in row.links}
        row.cells = [by_label.get(label) for label in columns]
    return StartPage(
        role=profile.get_role_display(),
        purpose=purpose_of(profile.role),
        work=work,
        region_reports=region_reports,
        investment=investment,
        rollout=rollout,
        malls=rows,
        mall_columns=columns,
        audit_malls=audit_malls,
        audit_region=_opens(access_raw_export, user) and access_raw_export(user).region is not None,
        audit_from=audit_from,
        audit_to=audit_to,
    )
