"""What the spreadsheet imports share (investment realization, survey sheets): the problem of a
row, a bad cell, a CSV file's rows and the first sheet of an XLSX file; and a table written into
a workbook for the exports (survey report, investment dashboard)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class RowError:
    """One problem of an imported file: the row as numbered in the file (the heading is row 1)
    and the column, either of which is None for a problem of the whole file."""

    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(_("baris %(n)d") % {"n": self.row})
        if self.column:
            where.append(_("kolom %(c)s") % {"c": self.column})
        return f"{', '.join(where)}: {self.message}" if where else self.message


class BadCell(ValueError):
    """One bad cell or file; the message is said to the person importing."""


def first_sheet(data: bytes) -> tuple[list[Any], Iterator[tuple[int, list[Any]]]]:
    """The heading and the numbered rows of an XLSX file's first sheet, read with calamine
    (Rust: openpyxl took 20 s for 50,000 rows). Rows are numbered as the spreadsheet numbers
    them, the heading being the first used row."""
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = book.get_sheet_by_index(0)
        first_row = sheet.start[0] if sheet.start else 0
        rows = iter(sheet.iter_rows())
        heading = next(rows, None)
    except Exception as exc:  # calamine raises its own kinds for a damaged file
        raise BadCell(_("Berkas XLSX tidak dapat dibaca.")) from exc
    if heading is None:
        raise BadCell(_("Berkas kosong."))
    return list(heading), ((n, list(row)) for n, row in enumerate(rows, start=first_row + 2))


def csv_rows(data: bytes) -> tuple[list[str], Iterator[tuple[int, list[Any]]], str]:
    """The heading, the numbered rows (the heading is row 1) and the delimiter of a UTF-8 CSV
    file, with a comma or a semicolon."""
    try:
        text = data.decode("utf-8-sig")  # Excel writes a byte-order mark before UTF-8
    except UnicodeDecodeError as exc:
        raise BadCell(_("Berkas CSV harus berenkode UTF-8 (Simpan sebagai: CSV UTF-8).")) from exc
    first = text.split("\n", 1)[0]
    # Spreadsheets set to Indonesian write CSV with semicolons (the comma is the decimal mark).
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    heading = next(reader, None)
    if heading is None:
        raise BadCell(_("Berkas kosong."))
    return heading, ((n, list(row)) for n, row in enumerate(reader, start=2)), delimiter


def add_table(
    book: Any,
    title: str,
    heading: list[str],
    rows: list[list[Any]],
    *,
    width: int,
    number_format: Callable[[int, Any], str | None],
) -> Any:
    """A new sheet of `book` (openpyxl): a bold heading, the rows, each cell's number format
    from `number_format(column, value)` (None: the default), every column `width` wide."""
    from openpyxl.styles import Font

    ws = book.create_sheet(title)
    ws.append(heading)
    bold = Font(bold=True)
    for cell in ws[1]:
        cell.font = bold
    for row in rows:
        ws.append(row)
    for row_cells in ws.iter_rows(min_row=2):
        for cell in row_cells:
            fmt = number_format(cell.column, cell.value)
            if fmt:
                cell.number_format = fmt
    for column in ws.columns:
        ws.column_dimensions[column[0].column_letter].width = width
    return ws
