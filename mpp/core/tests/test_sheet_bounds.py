"""Hostile spreadsheets are refused before they are parsed, quickly and in little memory, and the
refusal names the limit (issue 16: a 1.6 KB XLSX made the reader allocate 52 GB and abort)."""

from __future__ import annotations

import io
import struct
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import RequestDataTooBig
from openpyxl import Workbook

from mpp.core.sheets import (
    BadCell,
    BoundedUploadHandler,
    FileRefused,
    Limits,
    Refusal,
    check_xlsx,
    csv_rows,
    first_sheet,
)

MB = 1024 * 1024

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Lembar" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="{target}"/></Relationships>'
)


def sheet_xml(cells: str, *, dimension: str = "A1") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="{dimension}"/><sheetData>{cells}</sheetData></worksheet>'
    )


def xlsx(sheet: str, *, target: str = "worksheets/sheet1.xml", path: str = "") -> bytes:
    """A minimal workbook, written part by part as a hostile file would be."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.format(target=target))
        archive.writestr(path or f"xl/{target}", sheet)
    return out.getvalue()


def limits(**changes: int) -> Limits:
    return Limits(
        **{
            "max_bytes": 20 * MB,
            "max_rows": 200_000,
            "max_cells": 4_000_000,
            "max_unpacked_bytes": 128 * MB,
            "max_part_bytes": 64 * MB,
            "max_parts": 1_000,
            "max_line_bytes": 64 * 1024,
            **changes,
        }
    )


def refused(check: Callable[[], Any]) -> tuple[FileRefused, float, int]:
    """The refusal `check()` raised, the seconds it took, and the most memory it held."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(FileRefused) as refusal:
            check()
        return refusal.value, time.perf_counter() - started, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def far_cell_file() -> bytes:
    """1.6 KB: A1 and XFD100000, whose dense range is 1,638,400,000 cells (52 GB in calamine)."""
    return xlsx(
        sheet_xml(
            '<row r="1"><c r="A1"><v>1</v></c></row>'
            '<row r="100000"><c r="XFD100000"><v>1</v></c></row>'
        )
    )


def test_the_far_cell_file_is_refused_quickly_in_little_memory_naming_the_limit():
    data = far_cell_file()
    assert len(data) < 2_000

    refusal, seconds, peak = refused(lambda: first_sheet(data, limits()))

    assert refusal.code == Refusal.CELLS
    assert str(refusal) == (
        "Berkas terlalu besar: lembar kerja menjangkau A1:XFD100000 (1.638.400.000 sel), "
        "paling banyak 4.000.000 sel."
    )
    assert seconds < 1
    assert peak < 2 * MB


def test_a_declared_dimension_past_the_limit_is_refused_before_any_cell_is_read():
    data = xlsx(sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>', dimension="A1:XFD100000"))

    refusal, _seconds, _peak = refused(lambda: check_xlsx(data, limits()))

    assert refusal.code == Refusal.CELLS
    assert "A1:XFD100000" in str(refusal)


def test_a_cell_past_the_row_limit_is_refused_naming_the_rows():
    data = xlsx(sheet_xml('<row r="250000"><c r="A250000"><v>1</v></c></row>'))

    refusal, _seconds, _peak = refused(lambda: check_xlsx(data, limits()))

    assert refusal.code == Refusal.ROWS
    assert str(refusal) == (
        "Berkas terlalu besar: lembar kerja menjangkau 250.000 baris, paling banyak 200.000 baris."
    )


@pytest.mark.parametrize(
    "cells",
    [
        pytest.param('<row r="1"><x:c r="XFD100000"><x:v>1</x:v></x:c></row>', id="prefix"),
        pytest.param(
            "<row r=\"1\"><c s='>' r='XFD100000' t=\"n\"><v>1</v></c></row>", id="quoted-gt"
        ),
        pytest.param(
            '<row r="100000"><c r="A100000"><v>1</v></c>' + "<c><v>1</v></c>" * 50 + "</row>",
            id="cells-without-r",
        ),
    ],
)
def test_cells_written_unusually_are_placed_as_the_reader_places_them(cells):
    """A namespace prefix, a quoted ">" and cells without `r` do not hide how far cells reach."""
    small = limits(max_cells=1_000_000)

    refusal, _seconds, _peak = refused(lambda: check_xlsx(xlsx(sheet_xml(cells)), small))

    assert refusal.code == Refusal.CELLS


def test_an_r_hidden_in_another_attribute_is_not_taken_for_the_cells_place():
    sheet = sheet_xml('<row r="100000"><c s=" r=\'A1\'" r="XFD100000"><v>1</v></c></row>')

    refusal, _seconds, _peak = refused(lambda: check_xlsx(xlsx(sheet), limits()))

    assert refusal.code == Refusal.CELLS


def test_a_tag_the_scanner_cannot_read_makes_the_file_unreadable():
    sheet = sheet_xml('<row r="1"><c r="XFD100000" broken><v>1</v></c></row>')

    with pytest.raises(BadCell, match="tidak dapat dibaca"):
        check_xlsx(xlsx(sheet), limits())


def test_a_sheet_in_a_part_that_is_not_xml_is_unreadable():
    data = xlsx(sheet_xml(""), target="media/image1.png")

    with pytest.raises(BadCell, match="tidak dapat dibaca"):
        check_xlsx(data, limits())


def test_empty_formatted_cells_far_away_are_no_data():
    """Excel writes a formatted empty cell as <c r=".." s=".."/>; the reader skips it."""
    sheet = sheet_xml(
        '<row r="1"><c r="A1"><v>1</v></c></row><row r="100000"><c r="XFD100000" s="1"/></row>'
    )

    check_xlsx(xlsx(sheet), limits())


def test_sheet_xml_unpacking_past_the_limit_is_refused_from_the_zip_directory():
    data = xlsx(sheet_xml("<row><c><v>1</v></c></row>" * 60_000))
    assert len(data) < 20_000  # the XML is 1.5 MB unpacked

    refusal, seconds, peak = refused(lambda: check_xlsx(data, limits(max_part_bytes=MB)))

    assert refusal.code == Refusal.PART_BYTES
    assert str(refusal).startswith("Berkas terlalu besar: bagian xl/worksheets/sheet1.xml ")
    assert str(refusal).endswith(", paling banyak 1,0 MB per bagian.")
    assert peak < 2 * MB
    assert seconds < 1


def test_all_parts_unpacking_past_the_limit_are_refused():
    rows = "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(1, 40_001))

    refusal, _seconds, _peak = refused(
        lambda: check_xlsx(xlsx(sheet_xml(rows)), limits(max_unpacked_bytes=MB))
    )

    assert refusal.code == Refusal.UNPACKED_BYTES
    assert str(refusal).endswith("bila dibuka, paling banyak 1,0 MB.")


def lie_about_size(data: bytes, part: str, size: int) -> bytes:
    """The ZIP with `part` said to unpack to `size` bytes, in its local header and directory."""
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(part)
    patched = bytearray(data)
    struct.pack_into("<I", patched, info.header_offset + 22, size)
    name = part.encode()
    directory = data.rfind(b"PK\x01\x02", 0, data.rfind(name))
    struct.pack_into("<I", patched, directory + 24, size)
    return bytes(patched)


def test_a_zip_whose_directory_lies_about_a_size_is_refused_without_unpacking_the_rest():
    rows = "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(1, 200_001))
    honest = xlsx(sheet_xml(rows))
    data = lie_about_size(honest, "xl/worksheets/sheet1.xml", 1_000)
    assert zipfile.ZipFile(io.BytesIO(data)).getinfo("xl/worksheets/sheet1.xml").file_size == 1_000

    refusal, seconds, peak = refused(lambda: check_xlsx(data, limits()))

    assert refusal.code == Refusal.DAMAGED
    assert str(refusal) == (
        "Berkas XLSX rusak: isi bagian xl/worksheets/sheet1.xml tidak sesuai dengan ukuran "
        "yang tercatat."
    )
    assert peak < 4 * MB  # the part is 7.6 MB of XML: only the first chunk was unpacked
    assert seconds < 1


def test_too_many_parts_are_refused_before_the_zip_is_opened():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for n in range(30):
            archive.writestr(f"x{n}.xml", "<a/>")

    refusal, _seconds, _peak = refused(lambda: check_xlsx(out.getvalue(), limits(max_parts=20)))

    assert refusal.code == Refusal.PARTS
    assert str(refusal) == "Berkas terlalu besar: lebih dari 20 bagian di dalam ZIP."


def test_a_real_workbook_within_the_limits_is_read():
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["tahun", "nama"])
    sheet.append([2025, "PT Contoh"])
    out = io.BytesIO()
    book.save(out)

    heading, rows = first_sheet(out.getvalue(), limits())

    assert heading == ["tahun", "nama"]
    assert list(rows) == [(2, [2025, "PT Contoh"])]


def test_a_csv_with_one_huge_line_is_refused_naming_the_line():
    data = b"a,b\n1,2\n" + b"x" * (2 * MB) + b"\n3,4\n"

    refusal, seconds, _peak = refused(lambda: csv_rows(data, limits()))

    assert refusal.code == Refusal.LINE_BYTES
    assert str(refusal) == (
        "Berkas terlalu besar: baris 3 lebih dari 65.536 bita, paling banyak 65.536 bita per baris."
    )
    assert seconds < 1


def test_a_csv_past_the_row_limit_is_refused_as_it_is_read():
    data = b"a,b\n" + b"1,2\n" * 11
    _heading, rows, _delimiter = csv_rows(data, limits(max_rows=10))

    with pytest.raises(FileRefused) as refusal:
        list(rows)

    assert refusal.value.code == Refusal.ROWS
    assert str(refusal.value) == (
        "Berkas terlalu besar: lebih dari 10 baris data, paling banyak 10 baris."
    )


def test_a_csv_file_past_its_size_limit_is_refused_before_it_is_read():
    refusal, _seconds, _peak = refused(lambda: csv_rows(b"a\n" * 600, limits(max_bytes=1_000)))

    assert refusal.code == Refusal.FILE_BYTES
    assert str(refusal) == "Berkas terlalu besar: 1,2 KB, paling banyak 1000 bita."


def test_a_multipart_request_past_the_upload_limit_is_refused_before_it_is_read(settings):
    settings.MPP_UPLOAD_MAX_BYTES = 1_000
    handler = BoundedUploadHandler()

    with pytest.raises(RequestDataTooBig):
        handler.handle_raw_input(io.BytesIO(), {}, 1_001, "boundary")
    assert handler.handle_raw_input(io.BytesIO(), {}, 1_000, "boundary") is None


def test_a_nul_character_in_a_csv_is_refused_naming_its_line():
    """PostgreSQL's text cannot hold NUL: an imported name with one was a 500 there."""
    with pytest.raises(BadCell) as refusal:
        csv_rows(b"a,b\n1,2\nPT \x00 X,3\n", limits())

    assert str(refusal.value) == "Baris 3 berisi karakter NUL; berkas tidak dapat dibaca."


def test_a_nul_character_in_an_xlsx_cell_is_refused_naming_its_row():
    sheet = sheet_xml(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>nama</t></is></c></row>'
        '<row r="2"><c r="A2" t="inlineStr"><is><t>PT \x00 X</t></is></c></row>'
    )
    heading, rows = first_sheet(xlsx(sheet), limits())

    with pytest.raises(BadCell) as refusal:
        list(rows)

    assert heading == ["nama"]
    assert str(refusal.value) == "Baris 2 berisi karakter NUL; berkas tidak dapat dibaca."


def test_a_sheet_of_empty_tags_past_the_tag_budget_is_refused_quickly():
    """Empty rows compress a thousandfold and each costs a scan step: 36 KB of "<row/>" took 9 s
    before the budget. With the limits lowered tenfold the refusal comes after 110,000."""
    data = xlsx(sheet_xml("<row/>" * 400_000))
    assert len(data) < 6_000  # 2.4 MB of XML

    started = time.perf_counter()  # without tracemalloc, which slows each step tenfold
    with pytest.raises(FileRefused) as refusal:
        check_xlsx(data, limits(max_cells=100_000, max_rows=10_000))
    seconds = time.perf_counter() - started

    assert refusal.value.code == Refusal.CELLS
    assert str(refusal.value) == (
        "Berkas terlalu besar: lembar kerja berisi lebih dari 110.000 sel dan baris."
    )
    assert seconds < 2
