"""The applications report (reports.py) as an XLSX workbook (openpyxl): one sheet, a row per
tenant and per service, the total last; every text through core.sheets.append_row, so a
service's name or standard never becomes a formula."""

from __future__ import annotations

import io

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from mpp.applications.reports import ApplicationReport
from mpp.core.sheets import append_columns_row, append_row


def columns() -> list[tuple[str, str, str | None]]:
    """(heading, ApplicationRow attribute, number format) in the order of the sheet."""
    return [
        (_("Instansi"), "tenant", None),
        (_("Layanan"), "service", None),
        (_("Standar waktu (diumumkan)"), "standard", None),
        (_("Diterima"), "received", "0"),
        (_("Selesai"), "completed", "0"),
        (_("Tepat waktu"), "on_time", "0"),
        (_("Terlambat"), "late", "0"),
        (_("Selesai, tanpa batas waktu"), "without_deadline", "0"),
        (_("Tepat waktu (%)"), "on_time_share", "0%"),
        (_("Masih terbuka di akhir periode"), "open", "0"),
        (_("Lewat batas di akhir periode"), "overdue", "0"),
        (_("Median lama selesai (hari)"), "median_days", "0.0"),
    ]


def explanation() -> str:
    return _(
        "Tepat waktu: selesai paling lambat pada batas waktu, yang sudah memperhitungkan jam "
        "berhenti selama berkas dikembalikan. Persentase tepat waktu tidak memuat layanan tanpa "
        "batas waktu. Median lama selesai: hari kalender sejak berkas diterima sampai selesai."
    )


def application_report_xlsx(report: ApplicationReport) -> bytes:
    """The workbook's bytes."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook always has one sheet
    sheet.title = _("Laporan permohonan")[:31]
    title = _("Laporan permohonan — %(m)s") % {"m": report.mall.name}
    if report.tenant is not None:
        title += f" — {report.tenant.name}"
    append_row(sheet, [title])
    append_row(
        sheet,
        [
            report.period.label,
            _("dihitung pada %(t)s") % {"t": date_format(report.as_of, "j F Y H.i")},
        ],
    )
    append_row(sheet, [explanation()])
    sheet.append([])
    cols = columns()
    append_row(sheet, [heading for heading, _attr, _fmt in cols])
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    tenant_fill = PatternFill("solid", fgColor="E8EEF7")
    for tenant_row, service_rows in report.tenants:
        append_columns_row(sheet, tenant_row, cols, bold=True, fill=tenant_fill)
        for row in service_rows:
            append_columns_row(sheet, row, cols)
    append_columns_row(
        sheet, report.total, cols, bold=True, fill=PatternFill("solid", fgColor="D9D9D9")
    )
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=3)
    for index, width in enumerate([34, 44, 30] + [12] * (len(cols) - 3), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
