"""What the spreadsheet imports share (investment realization, survey sheets): the problem of a
row, a bad cell, and the first sheet of an XLSX file."""

from __future__ import annotations

import io
from collections.abc import Iterator
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
