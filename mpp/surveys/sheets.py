"""The spreadsheets of survey imports: reading a CSV or XLSX file into rows, its columns, and the
template offered for download. `importing` checks and writes the rows."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from mpp.catalog.models import Service
from mpp.core import clock
from mpp.core.sheets import BadCell as BadCell
from mpp.core.sheets import Limits, append_row, csv_row, csv_rows, first_sheet
from mpp.core.sheets import RowError as RowError
from mpp.malls.models import Mall
from mpp.surveys.models import STANDARD_CODES

EXTENSIONS = (".csv", ".xlsx")
REQUIRED = ("tanggal", "instansi")
COLUMNS = (
    "tanggal",
    "waktu",
    "instansi",
    "layanan",
    *STANDARD_CODES,
    "jenis_kelamin",
    "usia",
    "pendidikan",
    "pekerjaan",
    "saran",
)
ANSWER_COLUMN = re.compile(r"U[1-9]\d*")


def cell_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a spreadsheet's number cell: 3.0 is the answer 3
    return "" if value is None else str(value).strip()


# --- reading -----------------------------------------------------------------------------------


def limits() -> Limits:
    """The bounds of a survey sheet file (settings.MPP_SURVEY_IMPORT_MAX_BYTES and the sheet
    limits), checked before it is parsed."""
    return Limits.of(settings.MPP_SURVEY_IMPORT_MAX_BYTES)


def read_table(data: bytes, file_name: str) -> tuple[list[str], Iterator[tuple[int, list[Any]]]]:
    """The heading and the numbered rows of a CSV (comma or semicolon, UTF-8) or XLSX file,
    refused (FileRefused, naming the limit) past `limits()` before it is parsed."""
    name = file_name.lower()
    if not name.endswith(EXTENSIONS):
        raise BadCell(_("Format berkas harus CSV atau XLSX."))
    if not data:
        raise BadCell(_("Berkas kosong."))
    return _read_xlsx(data) if name.endswith(".xlsx") else _read_csv(data)


def _read_csv(data: bytes) -> tuple[list[str], Iterator[tuple[int, list[Any]]]]:
    heading, rows, _delimiter = csv_rows(data, limits())
    if not any(h.strip() for h in heading):
        raise BadCell(_("Berkas kosong."))
    return heading, rows


def _read_xlsx(data: bytes) -> tuple[list[str], Iterator[tuple[int, list[Any]]]]:
    heading, rows = first_sheet(data, limits())
    if not any(cell_text(h) for h in heading):
        raise BadCell(_("Berkas kosong."))
    return [cell_text(h) for h in heading], rows


def map_heading(heading: list[str]) -> tuple[dict[str, int], list[RowError]]:
    """Column → index in the file, and the errors of the heading itself. Other columns (a
    sheet number, a clerk's notes) are ignored."""
    index: dict[str, int] = {}
    errors: list[RowError] = []
    for i, raw in enumerate(heading):
        key = "_".join(raw.split()).casefold()
        column = key.upper() if ANSWER_COLUMN.fullmatch(key.upper()) else key
        if column not in COLUMNS and not ANSWER_COLUMN.fullmatch(column):
            continue
        if column in index:
            errors.append(RowError(1, column, _("kolom ini muncul dua kali")))
        index[column] = i
    for column in REQUIRED:
        if column not in index:
            errors.append(RowError(1, column, _("kolom wajib tidak ada")))
    if not any(ANSWER_COLUMN.fullmatch(c) for c in index):
        errors.append(RowError(1, "U1–U9", _("sedikitnya satu kolom jawaban (U1 … U9) harus ada")))
    return index, errors


# --- the template ------------------------------------------------------------------------------


def template_notes() -> list[str]:
    """The template's instructions sheet."""
    return [
        _("Satu baris = satu lembar kuesioner. Hapus baris contoh sebelum mengimpor."),
        _("tanggal: TTTT-BB-HH atau HH/BB/TTTT, tidak boleh di masa depan."),
        _("waktu: 08-12 atau 13-17, atau kosong."),
        _("instansi: alamat singkat, nama singkat, atau nama instansi yang ada di mal ini."),
        _("layanan: alamat singkat atau nama layanan instansi itu; boleh kosong."),
        _(
            "U1–U9: jawaban 1, 2, 3, atau 4 menurut kode unsur, bukan nomor pertanyaan (di "
            "lembar umum pertanyaan 8 adalah U9 dan pertanyaan 9 adalah U8); kosong bila tidak "
            "dijawab."
        ),
        _("jenis_kelamin: L atau P. usia: tahun. pendidikan: SD, SMP, SMA, D1-D3, S1, S2, S3."),
        _("pekerjaan: PNS, TNI, POLRI, Swasta, Wirausaha, Lainnya. saran: teks bebas."),
        _("Berkas yang sama tidak diimpor dua kali tanpa persetujuan."),
    ]


def template_rows(mall: Mall | None) -> list[list[Any]]:
    """Two example sheets for a tenant and service of `mall` (or of any mall)."""
    services = Service.objects.select_related("tenant").filter(is_active=True)
    if mall is not None:
        services = services.filter(offerings__mall=mall, tenant__mall_tenants__mall=mall)
    service = services.order_by("tenant__sort_order", "name").first()
    tenant, layanan = (service.tenant.slug, service.slug) if service else ("", "")
    day = (mall.local_now().date() if mall else clock.now().date()) - dt.timedelta(days=1)
    return [
        [day, "08-12", tenant, layanan, 4, 3, 3, 4, 3, 4, 4, 3, 3, "P", 34, "SMA", "Swasta", ""],
        [day, "13-17", tenant, "", 3, 3, 2, 4, "", 3, 4, 3, 2, "L", 51, "S1", "PNS", "Antrean"],
    ]


def template_csv(mall: Mall | None) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerows(
        csv_row(v.isoformat() if isinstance(v, dt.date) else v for v in row)
        for row in template_rows(mall)
    )
    return ("\ufeff" + buffer.getvalue()).encode()  # the BOM makes Excel read it as UTF-8


def template_xlsx(mall: Mall | None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Lembar survei"
    append_row(sheet, COLUMNS)
    for row in template_rows(mall):
        append_row(sheet, row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for cell in sheet["A"][1:]:
        cell.number_format = "yyyy-mm-dd"
    notes = book.create_sheet("Petunjuk")
    for line in template_notes():
        append_row(notes, [line])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
