"""The complaints report of a mall (or of the regency) for a month: the page and its workbook.
Readable by the mall's supervisor, and by the region's administrator, leadership and auditors
(access.access_report)."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as N_
from django.views.decorators.http import require_safe

from mpp.complaints.access import (
    access_report,
    default_report_mall_id,
    may_read_report,
    report_malls,
)
from mpp.complaints.actions import local_today
from mpp.complaints.queries import Figures, Report, complaints_report, month_bounds


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isascii() and value.isdigit() and len(value) < 12 else None


def parse_month(value: str | None, default: dt.date) -> dt.date:
    """`YYYY-MM` as the first day of that month; anything else: `default`'s month."""
    if value and re.fullmatch(r"[0-9]{4}-(0[1-9]|1[0-2])", value):
        return dt.date(int(value[:4]), int(value[5:]), 1)
    return default.replace(day=1)


def _report(request: HttpRequest) -> Report:
    mall_id = _int(request.GET.get("mal"))
    if mall_id is None and request.GET.get("mal") != "kabupaten":
        mall_id = default_report_mall_id(request.user)
    region, mall = access_report(request.user, mall_id)
    month = parse_month(request.GET.get("bulan"), local_today(mall))
    first, last = month_bounds(month)
    return complaints_report(region=region, mall=mall, first=first, last=last)


def _days(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}".replace(".", ",")


def _share(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f} %"


def _line(figures: Figures) -> dict[str, Any]:
    return {
        "f": figures,
        "verify_median": _days(figures.verify_median),
        "verify_mean": _days(figures.verify_mean),
        "answer_median": _days(figures.answer_median),
        "answer_mean": _days(figures.answer_mean),
        "share": _share(figures.share_in_time),
    }


@login_required
@require_safe
def report(request: HttpRequest) -> HttpResponse:
    found = _report(request)
    context = {
        "report": found,
        "month": found.first.strftime("%Y-%m"),
        "month_label": date_format(found.first, "F Y"),
        "total": _line(found.total),
        "tenants": [_line(f) for f in found.tenants],
        "malls": report_malls(request.user),
        "whole_region_allowed": access_whole_region(request),
    }
    response = render(request, "complaints/report.html", context)
    response["Cache-Control"] = "no-store"
    return response


def access_whole_region(request: HttpRequest) -> bool:
    return may_read_report(request.user, None)


HEADING = [
    N_("Instansi"),
    N_("Diterima"),
    N_("Diverifikasi"),
    N_("Tidak diproses"),
    N_("Dijawab"),
    N_("Jatuh tempo"),
    N_("Tepat waktu"),
    N_("Bagian tepat waktu"),
    N_("Median hari verifikasi"),
    N_("Rata-rata hari verifikasi"),
    N_("Median hari menjawab"),
    N_("Rata-rata hari menjawab"),
    N_("Terbuka"),
    N_("Terlambat"),
]


def _row(label: str, f: Figures) -> list[Any]:
    def r(v: float | None) -> float | None:
        return None if v is None else round(v, 2)

    return [
        label, f.received, f.verified, f.dismissed, f.answered, f.due, f.in_time,
        r(f.share_in_time), r(f.verify_median), r(f.verify_mean), r(f.answer_median),
        r(f.answer_mean), f.open, f.overdue,
    ]  # fmt: skip


def workbook(found: Report) -> bytes:
    """The report as an XLSX: per tenant (and the total), per topic. Names go in as text
    (core.sheets), never as formulas."""
    from openpyxl import Workbook

    from mpp.core.sheets import add_table, append_row

    book = Workbook()
    first = book.active
    first.title = _("Ringkasan")
    place = found.mall.name if found.mall else found.region.name
    append_row(first, [_("Laporan pengaduan"), place])
    append_row(first, [_("Periode"), f"{found.first.isoformat()} – {found.last.isoformat()}"])
    heading = [str(h) for h in HEADING]

    def fmt(column: int, value: Any) -> str | None:
        if column == 8 and isinstance(value, float):
            return "0%"
        return "0.0" if isinstance(value, float) else None

    rows = [_row(f.label or _("Belum diteruskan"), f) for f in found.tenants]
    rows.append(_row(_("Jumlah"), found.total))
    add_table(book, _("Per instansi"), heading, rows, width=16, number_format=fmt)
    add_table(
        book,
        _("Per topik"),
        [_("Topik"), _("Jumlah")],
        [[label, n] for label, n in found.topics],
        width=30,
        number_format=lambda c, v: None,
    )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@login_required
@require_safe
def report_xlsx(request: HttpRequest) -> HttpResponse:
    found = _report(request)
    name = f"pengaduan-{found.mall.slug if found.mall else found.region.slug}-{found.first:%Y-%m}"
    response = HttpResponse(
        workbook(found),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    response["Cache-Control"] = "no-store"
    return response
