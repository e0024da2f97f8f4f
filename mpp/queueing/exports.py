"""The supervisor's daily report as an XLSX workbook (openpyxl): one sheet, a row per tenant and
per service, the mall's total last; times in minutes with one decimal, shares as percentages."""

from __future__ import annotations

import io
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from mpp.applications.exports import columns as application_columns
from mpp.applications.exports import explanation as application_explanation
from mpp.core.sheets import append_columns_row, append_row


def _columns() -> list[tuple[str, str, str | None]]:
    """(heading, ReportRow attribute, number format) in the order of the sheet."""
    minutes = "0.0"
    return [
        (_("Instansi"), "tenant", None),
        (_("Layanan"), "service", None),
        (_("Pengunjung baru"), "visitors", "0"),
        (_("Dialihkan masuk"), "transferred_in", "0"),
        (_("Dilayani"), "served", "0"),
        (_("Selesai"), "completed", "0"),
        (_("Harus kembali"), "come_back", "0"),
        (_("Ditolak"), "rejected", "0"),
        (_("Tidak hadir"), "no_shows", "0"),
        (_("Dialihkan keluar"), "transferred", "0"),
        (_("Dibatalkan warga"), "cancelled", "0"),
        (_("Masih menunggu"), "still_waiting", "0"),
        (_("Sedang dipanggil / dilayani"), "in_progress", "0"),
        (_("Rata-rata tunggu (menit)"), "wait_mean", minutes),
        (_("P90 tunggu (menit)"), "wait_p90", minutes),
        (_("Rata-rata layanan (menit)"), "service_mean", minutes),
        (_("P90 layanan (menit)"), "service_p90", minutes),
        (_("Standar waktu (menit)"), "standard_minutes", "0"),
        (_("Sesuai standar"), "within_standard_share", "0%"),
    ]


def daily_report_xlsx(report: dict[str, Any]) -> bytes:
    """The workbook's bytes for a report from queries.daily_report."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook always has one sheet
    sheet.title = _("Laporan harian")[:31]
    mall, day = report["mall"], report["day"]
    append_row(sheet, [_("Laporan harian antrean — %(m)s") % {"m": mall.name}])
    append_row(sheet, [date_format(day, "l, j F Y")])
    append_row(
        sheet,
        [
            _(
                "Waktu tunggu: sejak mulai menunggu sampai dipanggil. Waktu layanan: sejak mulai "
                "dilayani sampai selesai. P90: 90% nomor tidak lebih lama dari angka ini."
            )
        ],
    )
    sheet.append([])
    columns = _columns()
    append_row(sheet, [heading for heading, _attr, _fmt in columns])
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    tenant_fill = PatternFill("solid", fgColor="E8EEF7")
    for tenant_row, service_rows in report["tenants"]:
        append_columns_row(sheet, tenant_row, columns, bold=True, fill=tenant_fill)
        for row in service_rows:
            append_columns_row(sheet, row, columns)
    append_columns_row(
        sheet, report["total"], columns, bold=True, fill=PatternFill("solid", fgColor="D9D9D9")
    )
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=3)
    for index, width in enumerate([34, 44] + [12] * (len(columns) - 2), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    _applications_sheet(book, report)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _applications_sheet(book: Workbook, report: dict[str, Any]) -> None:
    """A second sheet: the day's applications (issue 22), the mall's line of their report."""
    sheet = book.create_sheet(_("Permohonan")[:31])
    append_row(sheet, [_("Permohonan — %(m)s") % {"m": report["mall"].name}])
    append_row(sheet, [date_format(report["day"], "l, j F Y")])
    append_row(sheet, [application_explanation()])
    sheet.append([])
    # The mall's line: no service, no standard text, no median (the full report has them).
    cols = [c for c in application_columns() if c[1] not in ("service", "standard", "median_days")]
    append_row(sheet, [heading for heading, _attr, _fmt in cols])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    append_columns_row(sheet, report["applications"], cols, bold=True)
    for index, width in enumerate([34] + [14] * (len(cols) - 1), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
