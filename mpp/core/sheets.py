"""What the spreadsheet imports and exports share (investment realization, survey sheets, the
reports): the problem of a row, a bad cell; the bounds every uploaded file is held to before it
is parsed; a CSV file's rows and the first sheet of an XLSX file; and rows and tables written so
that a spreadsheet shows text as text, never runs it as a formula.

Bounds (issue 16): an XLSX of 1.6 KB whose only cells are A1 and XFD100000 made the reader
(calamine) allocate 52 GB for the dense range between them and abort the process; a 3.7 MB file
that unpacks to 843 MB of sheet XML took 28 s and 3.2 GB. So before calamine sees a file, the
ZIP is checked against its directory (parts, their unpacked sizes) and every part is unpacked
here with a byte cap (a directory that lies about a size is caught, not believed), scanning the
sheet XML for its declared `<dimension>` and the rows and columns its cells really reach. The
limits are settings (MPP_SHEET_*, MPP_*_IMPORT_MAX_BYTES) and every refusal names its limit.
"""

from __future__ import annotations

import csv
import io
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format as format_number
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


# --- bounds --------------------------------------------------------------------------------------


class Refusal(StrEnum):
    """Why a whole file was refused before it was parsed: the machine code beside the message."""

    FILE_BYTES = "file_too_large"
    PARTS = "too_many_parts"
    UNPACKED_BYTES = "unpacked_too_large"
    PART_BYTES = "part_too_large"
    ROWS = "too_many_rows"
    CELLS = "too_many_cells"
    LINE_BYTES = "line_too_long"
    DAMAGED = "file_damaged"


class FileRefused(BadCell):
    """A file past one of the bounds, or one whose ZIP does not add up; `code` says which."""

    def __init__(self, message: str, *, code: Refusal) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Limits:
    """The bounds one kind of file is held to. `max_rows` None: the reader keeps nothing per
    row (`mpp ikm compute` tallies a regency's year, a million rows, in constant memory)."""

    max_bytes: int
    max_rows: int | None
    max_cells: int
    max_unpacked_bytes: int
    max_part_bytes: int
    max_parts: int
    max_line_bytes: int

    @classmethod
    def of(cls, max_bytes: int, *, count_rows: bool = True) -> Limits:
        """The limits of the settings, with this kind of file's own size limit."""
        return cls(
            max_bytes=max_bytes,
            max_rows=settings.MPP_SHEET_MAX_ROWS if count_rows else None,
            max_cells=settings.MPP_SHEET_MAX_CELLS,
            max_unpacked_bytes=settings.MPP_SHEET_MAX_UNPACKED_BYTES,
            max_part_bytes=settings.MPP_SHEET_MAX_PART_BYTES,
            max_parts=settings.MPP_SHEET_MAX_PARTS,
            max_line_bytes=settings.MPP_SHEET_MAX_LINE_BYTES,
        )


def _bytes(n: int) -> str:
    return str(filesizeformat(n)).replace("\xa0", " ")


def _sizes(size: int, limit: int) -> dict[str, str]:
    """A size and its limit as people read them, in bytes when "5,0 MB" would name both."""
    if _bytes(size) == _bytes(limit):
        return {
            "size": _("%(n)s bita") % {"n": _number(size)},
            "limit": _("%(n)s bita") % {"n": _number(limit)},
        }
    return {"size": _bytes(size), "limit": _bytes(limit)}


def _number(n: int) -> str:
    return format_number(n, force_grouping=True)


def check_size(size: int, max_bytes: int) -> None:
    """Refuse a file of `size` bytes past `max_bytes`, naming both."""
    if size > max_bytes:
        raise FileRefused(
            _("Berkas terlalu besar: %(size)s, paling banyak %(limit)s.") % _sizes(size, max_bytes),
            code=Refusal.FILE_BYTES,
        )


def read_path(path: Path, max_bytes: int) -> bytes:
    """A file named on the command line, refused by its size before it is read (OSError when
    it cannot be read at all)."""
    check_size(path.stat().st_size, max_bytes)
    with path.open("rb") as stream:
        data = stream.read(max_bytes + 1)  # it may have grown since
    check_size(len(data), max_bytes)
    return data


def read_upload(upload: Any, max_bytes: int) -> bytes:
    """An uploaded file's bytes, refused by its size before it is read into memory."""
    check_size(upload.size, max_bytes)
    data: bytes = upload.read(max_bytes + 1)
    check_size(len(data), max_bytes)
    return data


class BoundedUploadHandler(FileUploadHandler):
    """The first of FILE_UPLOAD_HANDLERS: a multipart request longer than MPP_UPLOAD_MAX_BYTES
    is refused (400) before a byte of it is read or spooled to disk. Django bounds a request's
    form fields (DATA_UPLOAD_MAX_MEMORY_SIZE) but not its files; the import forms refuse a
    file past their own, smaller limit by name."""

    def handle_raw_input(
        self,
        input_data: Any,
        META: dict[str, Any],
        content_length: int,
        boundary: str,
        encoding: str | None = None,
    ) -> None:
        if content_length > settings.MPP_UPLOAD_MAX_BYTES:
            raise RequestDataTooBig(
                _("Berkas terlalu besar: %(size)s, paling banyak %(limit)s.")
                % _sizes(content_length, settings.MPP_UPLOAD_MAX_BYTES)
            )

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


# --- XLSX: the ZIP and its sheet XML, before calamine -------------------------------------------

_CHUNK = 2**20
_LOCAL_HEADER = struct.Struct("<4s22xHH")  # signature ... file name and extra field lengths
_UPPER = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ"

# Tags of sheet XML, read the way calamine's XML reader (quick-xml) reads them: a name with any
# namespace prefix, attributes whose quoted values may hold ">", the first `r` attribute. The
# quantifiers are possessive: a tag of ten thousand attributes costs one pass, not a square.
_OPEN = rb"<(?:[^\s/>]*:)?"
_ATTRIBUTE = rb"""\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*')"""
_OTHER_ATTRIBUTE = rb"""\s+(?!r\s*=)[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*')"""
_TAG = re.compile(
    _OPEN
    + rb"(c|row)(?=[\s/>])(?:"
    + _OTHER_ATTRIBUTE
    + rb""")*+(?:\s+r\s*=\s*(?:"([^"]*)"|'([^']*)'))?(?:"""
    + _ATTRIBUTE
    + rb")*+\s*(/?)>"
)
# Every opening of a cell or row tag, however written: one _TAG cannot read there is a refusal.
_OPENING = re.compile(rb"<(?:c|row|[^\s/>]*:(?:c|row))(?=[\s/>])")
_DIMENSION = re.compile(_OPEN + rb"""dimension(?=[\s/>])[^>]*?\sref\s*=\s*["']([^"']*)["']""")
_TARGET = re.compile(rb"""\sTarget\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_MAX_TAG = 64 * 1024  # a tag longer than this is no spreadsheet's


def _unreadable() -> BadCell:
    return BadCell(_("Berkas XLSX tidak dapat dibaca."))


def _damaged(part: str) -> FileRefused:
    return FileRefused(
        _("Berkas XLSX rusak: isi bagian %(part)s tidak sesuai dengan ukuran yang tercatat.")
        % {"part": part},
        code=Refusal.DAMAGED,
    )


def _column_number(letters: bytes) -> int:
    n = 0
    for letter in letters:
        n = n * 26 + letter - 64
    return n


def _column_letters(n: int) -> str:
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _cell(ref: bytes) -> tuple[int, int]:
    """(row, column) of a reference like b"XFD100000"; anything else is unreadable."""
    digits = ref.lstrip(_UPPER)
    letters = ref[: len(ref) - len(digits)]
    if not 1 <= len(letters) <= 3 or not digits.isdigit() or len(digits) > 7:
        raise _unreadable()
    return int(digits), _column_number(letters)


class _Reach:
    """How far the cells of one XML part reach, placed as calamine places them: a cell's `r`,
    else the column after the row's previous cell (a row's `r`, else the next row). A cell
    written empty (`<c r="Z9" s="1"/>`, formatting only) holds nothing and does not count."""

    def __init__(self, limits: Limits, *, relationships: bool = False) -> None:
        self.limits = limits
        self.relationships = relationships
        self.row = self.column = 0
        self.max_row = self.max_column = 0
        self.tail = b""
        self.head = True
        self.columns: dict[bytes, int] = {}
        self.targets: list[bytes] = []  # of relationships: where calamine finds the sheets
        self.tags = 0

    def feed(self, chunk: bytes) -> None:
        """Read the tags complete in what has come so far; keep an unfinished one for later."""
        text = self.tail + chunk if self.tail else chunk
        cut = text.rfind(b"<")
        if cut == -1 or text.find(b">", cut) != -1:
            cut = len(text)
        self.tail = text[cut:]
        if len(self.tail) > _MAX_TAG:
            raise _unreadable()
        self._read(text[:cut] if cut < len(text) else text)

    def close(self) -> None:
        self._read(self.tail)
        self.tail = b""

    def _read(self, text: bytes) -> None:
        if self.head:
            # The sheet's claim comes first in its part: refused before its cells are read.
            # (Looked for in the first chunk only: calamine sizes nothing by it; cells count.)
            self.head = False
            for ref in _DIMENSION.findall(text):
                self._dimension(ref)
        if self.relationships:
            self.targets += [a or b for a, b in _TARGET.findall(text)]
        columns = self.columns
        match = _TAG.match
        tags, before = self.tags, self.tags
        for tags, opening in enumerate(_OPENING.finditer(text), start=before + 1):  # noqa: B007
            tag = match(text, opening.start())
            if tag is None:
                raise _unreadable()  # a cell or row written in a way this scan cannot place
            name, quoted, single_quoted, empty = tag.groups()
            ref = quoted or single_quoted
            if name == b"row":
                if ref and not ref.isdigit():
                    raise _unreadable()
                self.row, self.column = int(ref) if ref else self.row + 1, 0
                continue
            if ref:
                digits = ref.lstrip(_UPPER)
                letters = ref[: len(ref) - len(digits)]
                column = columns.get(letters)
                if column is None:
                    column = columns[letters] = _cell(ref)[1]
                if not digits.isdigit() or len(digits) > 7:
                    raise _unreadable()
                row = int(digits)
            else:
                row, column = max(self.row, 1), self.column + 1
            self.column = column
            if not empty:
                if row > self.max_row:
                    self.max_row = row
                if column > self.max_column:
                    self.max_column = column
        self.tags = tags
        self._refuse_past(
            self.max_row,
            self.max_row * self.max_column,
            f"A1:{_column_letters(self.max_column)}{self.max_row}",
        )
        # Each tag costs about a microsecond to place, and empty rows and cells compress a
        # thousandfold: a 36 KB file of four million "<row/>" took 9 s. No sheet within the
        # limits needs more tags than it may have cells and rows.
        budget = self.limits.max_cells + (self.limits.max_rows or self.limits.max_cells)
        if self.tags > budget:
            raise FileRefused(
                _("Berkas terlalu besar: lembar kerja berisi lebih dari %(limit)s sel dan baris.")
                % {"limit": _number(budget)},
                code=Refusal.CELLS,
            )

    def _dimension(self, ref: bytes) -> None:
        """The range the sheet declares it uses, refused by its size before any cell is read."""
        try:
            ends = [_cell(end) for end in ref.upper().split(b":")]
        except BadCell:
            return  # calamine does not rely on it; the cells themselves are counted anyway
        (first_row, first_column), (last_row, last_column) = ends[0], ends[-1]
        rows = abs(last_row - first_row) + 1
        cells = rows * (abs(last_column - first_column) + 1)
        self._refuse_past(rows, cells, ref.decode("ascii", "replace"))

    def _refuse_past(self, rows: int, cells: int, ref: str) -> None:
        limits = self.limits
        if limits.max_rows is not None and rows > limits.max_rows:
            raise FileRefused(
                _("Berkas terlalu besar: lembar kerja menjangkau %(n)s baris, paling banyak "
                  "%(limit)s baris.")
                % {"n": _number(rows), "limit": _number(limits.max_rows)},
                code=Refusal.ROWS,
            )  # fmt: skip
        if cells > limits.max_cells:
            raise FileRefused(
                _("Berkas terlalu besar: lembar kerja menjangkau %(ref)s (%(n)s sel), paling "
                  "banyak %(limit)s sel.")
                % {"ref": ref, "n": _number(cells), "limit": _number(limits.max_cells)},
                code=Refusal.CELLS,
            )  # fmt: skip


def _unpacked(data: bytes, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """A part's bytes as calamine will read them, in chunks, never more than the ZIP's
    directory says the part holds: a directory that lies about a size is a damaged file, and
    the cap keeps the lie from costing more than the size it claims."""
    if info.flag_bits & 0x1:
        raise _unreadable()  # encrypted
    try:
        signature, name_length, extra_length = _LOCAL_HEADER.unpack_from(data, info.header_offset)
    except struct.error as exc:
        raise _unreadable() from exc
    start = info.header_offset + _LOCAL_HEADER.size + name_length + extra_length
    raw = memoryview(data)[start : start + info.compress_size]
    if signature != b"PK\x03\x04" or len(raw) != info.compress_size:
        raise _unreadable()
    if info.compress_type == zipfile.ZIP_STORED:
        if info.compress_size != info.file_size:
            raise _damaged(info.filename)
        for at in range(0, len(raw), _CHUNK):
            yield bytes(raw[at : at + _CHUNK])
        return
    if info.compress_type != zipfile.ZIP_DEFLATED:
        raise _unreadable()  # Excel and every library write deflate
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    produced = 0
    try:
        for at in range(0, len(raw), _CHUNK):
            pending: bytes | memoryview = raw[at : at + _CHUNK]
            while pending and not inflater.eof:
                out = inflater.decompress(pending, _CHUNK)
                produced += len(out)
                if produced > info.file_size:
                    raise _damaged(info.filename)
                yield out
                pending = inflater.unconsumed_tail
            if inflater.eof:
                break
    except zlib.error as exc:
        raise _unreadable() from exc
    if not inflater.eof or produced != info.file_size:
        raise _damaged(info.filename)


def check_xlsx(data: bytes, limits: Limits) -> None:
    """Refuse an XLSX file past `limits` without unpacking more than the limits allow: its size,
    its parts and their unpacked sizes (from the ZIP's directory, then held to it while
    unpacking), and in every XML part the rows and cells its `<dimension>` declares and its
    cells reach."""
    check_size(len(data), limits.max_bytes)
    # A part's directory entry begins with this signature: counted before zipfile builds an
    # object per entry (a 20 MB directory holds 400,000 of them).
    if data.count(b"PK\x01\x02") > limits.max_parts:
        raise FileRefused(
            _("Berkas terlalu besar: lebih dari %(limit)s bagian di dalam ZIP.")
            % {"limit": _number(limits.max_parts)},
            code=Refusal.PARTS,
        )
    if not data.startswith(b"PK\x03\x04"):
        raise _unreadable()
    try:
        parts = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, struct.error, EOFError) as exc:
        raise _unreadable() from exc
    names = {info.filename for info in parts}
    if "xl/workbook.xml" not in names or "xl/workbook.bin" in names:
        raise _unreadable()  # not an XLSX (XLSB, ODS, a plain ZIP): calamine would guess
    unpacked = sum(info.file_size for info in parts)
    if unpacked > limits.max_unpacked_bytes:
        raise FileRefused(
            _("Berkas terlalu besar: %(size)s bila dibuka, paling banyak %(limit)s.")
            % {"size": _bytes(unpacked), "limit": _bytes(limits.max_unpacked_bytes)},
            code=Refusal.UNPACKED_BYTES,
        )
    for info in parts:
        if info.file_size > limits.max_part_bytes:
            raise FileRefused(
                _("Berkas terlalu besar: bagian %(part)s %(size)s bila dibuka, paling banyak "
                  "%(limit)s per bagian.")
                % {"part": info.filename, "size": _bytes(info.file_size),
                   "limit": _bytes(limits.max_part_bytes)},
                code=Refusal.PART_BYTES,
            )  # fmt: skip
    for info in parts:
        if not info.filename.lower().endswith((".xml", ".rels")):
            for _chunk in _unpacked(data, info):
                pass  # images and the like: held to their size, never read as cells
            continue
        rels = info.filename == "xl/_rels/workbook.xml.rels"
        reach = _Reach(limits, relationships=rels)
        for chunk in _unpacked(data, info):
            reach.feed(chunk)
        reach.close()
        if rels and not all(target.lower().endswith(b".xml") for target in reach.targets):
            raise _unreadable()  # calamine would read a sheet from a part not checked here


# --- reading -------------------------------------------------------------------------------------


def first_sheet(data: bytes, limits: Limits) -> tuple[list[Any], Iterator[tuple[int, list[Any]]]]:
    """The heading and the numbered rows of an XLSX file's first sheet, read with calamine
    (Rust: openpyxl took 20 s for 50,000 rows) once the file is within `limits`. Rows are
    numbered as the spreadsheet numbers them, the heading being the first used row."""
    from python_calamine import CalamineWorkbook

    check_xlsx(data, limits)
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = book.get_sheet_by_index(0)
        first_row = sheet.start[0] if sheet.start else 0
        rows = iter(sheet.iter_rows())
        heading = next(rows, None)
    except Exception as exc:  # calamine raises its own kinds for a damaged file
        raise _unreadable() from exc
    if heading is None:
        raise BadCell(_("Berkas kosong."))
    if _has_nul(heading):
        raise _nul(first_row + 1)
    return list(heading), _without_nul(enumerate(rows, start=first_row + 2))


def _has_nul(row: Iterable[Any]) -> bool:
    return any(isinstance(value, str) and "\x00" in value for value in row)


def _nul(row: int) -> BadCell:
    # PostgreSQL's text cannot hold a NUL character, and no cell of ours needs one (core/text.py).
    return BadCell(_("Baris %(n)d berisi karakter NUL; berkas tidak dapat dibaca.") % {"n": row})


def _without_nul(rows: Iterable[tuple[int, Any]]) -> Iterator[tuple[int, list[Any]]]:
    for n, row in rows:
        if _has_nul(row):
            raise _nul(n)
        yield n, list(row)


def check_lines(data: bytes, limits: Limits) -> None:
    """Refuse a text file past `limits`: its size and its longest line (lines end at LF, or at
    CR alone as in "CSV (Macintosh)"). Lines are looked at one at a time: a regency's audit
    file is a million of them."""
    check_size(len(data), limits.max_bytes)
    limit = limits.max_line_bytes
    for n, line in enumerate(io.BytesIO(data), start=1):
        if len(line) > limit and max(map(len, line.split(b"\r"))) > limit:
            raise FileRefused(
                _("Berkas terlalu besar: baris %(n)s lebih dari %(limit)s bita, paling banyak "
                  "%(limit)s bita per baris.")
                % {"n": _number(n), "limit": _number(limit)},
                code=Refusal.LINE_BYTES,
            )  # fmt: skip


def counted(rows: Iterable[list[str]], limits: Limits) -> Iterator[tuple[int, list[str]]]:
    """CSV records numbered as in the file (the heading is row 1), refused past the row limit
    and at a malformed record, as they are read."""
    n = 1
    try:
        for n, row in enumerate(rows, start=2):
            if limits.max_rows is not None and n - 1 > limits.max_rows:
                raise FileRefused(
                    _("Berkas terlalu besar: lebih dari %(limit)s baris data, paling banyak "
                      "%(limit)s baris.")
                    % {"limit": _number(limits.max_rows)},
                    code=Refusal.ROWS,
                )  # fmt: skip
            yield n, row
    except csv.Error as exc:
        raise BadCell(_("Baris %(n)d: CSV tidak sah (%(e)s).") % {"n": n + 1, "e": exc}) from exc


def csv_rows(data: bytes, limits: Limits) -> tuple[list[str], Iterator[tuple[int, list[Any]]], str]:
    """The heading, the numbered rows (the heading is row 1) and the delimiter of a UTF-8 CSV
    file, with a comma or a semicolon, once the file is within `limits`."""
    check_lines(data, limits)
    if (at := data.find(b"\x00")) != -1:
        raise _nul(data.count(b"\n", 0, at) + 1)
    try:
        text = data.decode("utf-8-sig")  # Excel writes a byte-order mark before UTF-8
    except UnicodeDecodeError as exc:
        raise BadCell(_("Berkas CSV harus berenkode UTF-8 (Simpan sebagai: CSV UTF-8).")) from exc
    first = text.split("\n", 1)[0]
    # Spreadsheets set to Indonesian write CSV with semicolons (the comma is the decimal mark).
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        heading = next(reader, None)
    except csv.Error as exc:
        raise BadCell(_("Baris 1: CSV tidak sah (%(e)s).") % {"e": exc}) from exc
    if heading is None:
        raise BadCell(_("Berkas kosong."))
    return heading, counted(reader, limits), delimiter


# --- writing: text stays text --------------------------------------------------------------------

# What a spreadsheet takes for the start of a formula when it opens a CSV file, or when someone
# edits a cell (OWASP, "CSV Injection"): a suggestion "=HYPERLINK(...)" would become a live link.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)*")


def csv_text(value: Any) -> Any:
    """A value for csv.writer: text that a spreadsheet would take for a formula gets a leading
    apostrophe; numbers, and text that is only a number ("-5"), go out as they are."""
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_START)
        and not _PLAIN_NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value


def csv_row(values: Iterable[Any]) -> list[Any]:
    """A row for csv.writer with every value through `csv_text`."""
    return [csv_text(value) for value in values]


def append_row(sheet: Any, values: Iterable[Any]) -> None:
    """Append `values` to an openpyxl sheet, every str as a string cell: openpyxl would make a
    formula of "=...", and an error of "#N/A". A text that starts like a formula also gets
    Excel's quote prefix, so that editing the cell does not turn it into one; characters XML
    cannot hold are left out (openpyxl refuses them)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    row = list(values)
    sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row])
    at = sheet.max_row
    for column, value in enumerate(row, start=1):
        if isinstance(value, str):
            cell = sheet.cell(row=at, column=column)
            cell.data_type = "s"
            if value.startswith(FORMULA_START):
                cell.quotePrefix = True


def append_columns_row(
    sheet: Any,
    row: object,
    columns: list[tuple[str, str, str | None]],
    *,
    bold: bool = False,
    fill: Any = None,
) -> None:
    """Append a report row read by attribute: `columns` are (heading, attribute, number format
    or None), as the reports' sheets declare them; the row bold and filled when asked (a
    tenant's or the total's line). Values go through `append_row`, formula-safe."""
    from openpyxl.styles import Font

    append_row(sheet, [getattr(row, attr) for _heading, attr, _fmt in columns])
    for cell, (_heading, _attr, number_format) in zip(sheet[sheet.max_row], columns, strict=True):
        if number_format:
            cell.number_format = number_format
        if bold:
            cell.font = Font(bold=True)
        if fill is not None:
            cell.fill = fill


def add_table(
    book: Any,
    title: str,
    heading: list[str],
    rows: list[list[Any]],
    *,
    width: int,
    number_format: Callable[[int, Any], str | None],
) -> Any:
    """A new sheet of `book` (openpyxl): a bold heading, the rows (text as text, `append_row`),
    each cell's number format from `number_format(column, value)` (None: the default), every
    column `width` wide."""
    from openpyxl.styles import Font

    ws = book.create_sheet(title)
    append_row(ws, heading)
    bold = Font(bold=True)
    for cell in ws[1]:
        cell.font = bold
    for row in rows:
        append_row(ws, row)
    for row_cells in ws.iter_rows(min_row=2):
        for cell in row_cells:
            fmt = number_format(cell.column, cell.value)
            if fmt:
                cell.number_format = fmt
    for column in ws.columns:
        ws.column_dimensions[column[0].column_letter].width = width
    return ws
