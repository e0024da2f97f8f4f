"""The independent audit of the index: the raw anonymised responses with a manifest, and the
reading of such a CSV file by `mpp ikm compute` (issue 4, "Independent audit" and Contract).

An auditor holding only `responses.csv` must get exactly the published numbers: the file is
read into the same `ikm.Tally` that SQL aggregates produce, and computed by the same
`ikm.compute`, so there is one rule in one place (PermenPAN-RB 14/2017, exact 1/9, the converted
value rounded half up to two decimals only at the end).

What the export leaves out: the suggestion text (citizens type names and phone numbers into it)
and the unit's extra elements (U10 and beyond: only U1–U9 count in `mpp ikm compute`).
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import hashlib
import io
import tempfile
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import gettext as _

from mpp.catalog.models import Service, Tenant
from mpp.core import clock
from mpp.core.sheets import FORMULA_START, FileRefused, Limits, check_lines, csv_row
from mpp.malls.models import Mall
from mpp.surveys import ikm, queries
from mpp.surveys.exceptions import SurveyError
from mpp.surveys.ikm import STANDARD_CODES

RULE = "PermenPAN-RB 14/2017"
FORMAT = "mpp-skm-audit/1"
CSV_NAME = "responses.csv"
MANIFEST_NAME = "manifest.json"
COLUMNS: tuple[str, ...] = (
    "answered_on",
    "time_band",
    "mall",
    "tenant",
    "service",
    "channel",
    *STANDARD_CODES,
    "sex",
    "age",
    "education",
    "occupation",
)
MAX_DAYS = 366  # a leap year: the longest period a report covers
_CHUNK = 5_000


class AuditFileError(SurveyError):
    """A CSV file `mpp ikm compute` cannot read; the message names the row (header = 1) and
    the column at fault."""

    def __init__(self, message: str, *, row: int | None = None, column: str | None = None) -> None:
        super().__init__(message, code="bad_audit_file", field=column)
        self.row = row
        self.column = column


# --- reading a CSV file (mpp ikm compute) ----------------------------------------------------


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")  # "-sig": a BOM (Excel's "CSV UTF-8") is dropped
    except UnicodeDecodeError as exc:
        row = data.count(b"\n", 0, exc.start) + 1
        raise AuditFileError(
            _("Baris %(r)d: berkas bukan teks UTF-8 (bita ke-%(b)d).") % {"r": row, "b": exc.start},
            row=row,
        ) from None


def _delimiter(text: str) -> str:
    """Comma, or semicolon when the header has more of them (Excel with an Indonesian locale
    writes "CSV" with semicolons, since the comma is its decimal separator)."""
    header = text.split("\n", 1)[0]
    return ";" if header.count(";") > header.count(",") else ","


def _header(names: list[str], by: str | None) -> tuple[dict[str, int], int | None]:
    """The position of each of U1–U9 and of the --by column; refused with row 1 named."""
    clean = [name.strip() for name in names]
    positions: dict[str, int] = {}
    for i, name in enumerate(clean):
        code = name.upper()
        if code in STANDARD_CODES:
            if code in positions:
                raise AuditFileError(
                    _("Baris 1, kolom %(c)s: kolom ini muncul dua kali.") % {"c": code},
                    row=1,
                    column=code,
                )
            positions[code] = i
    for code in STANDARD_CODES:
        if code not in positions:
            raise AuditFileError(
                _("Baris 1, kolom %(c)s: kolom ini tidak ada di baris judul.") % {"c": code},
                row=1,
                column=code,
            )
    if by is None:
        return positions, None
    wanted = by.strip()
    found = [i for i, name in enumerate(clean) if name == wanted] or [
        i for i, name in enumerate(clean) if name.casefold() == wanted.casefold()
    ]
    if len(found) != 1:
        message = (
            _("Baris 1, kolom %(c)s: kolom untuk --by tidak ada di baris judul.")
            if not found
            else _("Baris 1, kolom %(c)s: kolom untuk --by muncul lebih dari sekali.")
        )
        raise AuditFileError(message % {"c": by}, row=1, column=by)
    return positions, found[0]


def _score(raw: str, *, row: int, code: str) -> int | None:
    value = raw.strip()
    if not value:
        return None  # not answered: a blank is not a zero
    if value not in ("1", "2", "3", "4"):
        raise AuditFileError(
            _('Baris %(r)d, kolom %(c)s: nilai "%(v)s" bukan 1, 2, 3 atau 4.')
            % {"r": row, "c": code, "v": value[:20]},
            row=row,
            column=code,
        )
    return int(value)


def read_tallies(data: bytes, *, by: str | None = None) -> dict[str | None, ikm.Tally]:
    """The tally of a CSV file of responses, or one per value of the column `by`.

    Contract (issue 4): a header row; columns U1…U9 hold 1–4 or are empty (not answered); any
    other column is ignored unless named by `by`. Comma or semicolon, UTF-8 with or without a
    BOM. A row left entirely empty is skipped (spreadsheets write them); a row with cells but no
    answer in U1–U9 is refused, as is every value outside 1–4. Rows are numbered as in the file,
    the header being row 1. Without `by` the single key is None. The file is held to its size
    and line limits first (settings.MPP_AUDIT_FILE_MAX_BYTES, MPP_SHEET_MAX_LINE_BYTES); rows
    are not counted, as nothing is kept per row."""
    try:
        check_lines(data, Limits.of(settings.MPP_AUDIT_FILE_MAX_BYTES, count_rows=False))
    except FileRefused as refused:
        raise AuditFileError(str(refused)) from None
    text = _decode(data)
    if not text.strip():
        raise AuditFileError(_("Berkas kosong: tidak ada baris judul."), row=1)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    tallies: dict[str | None, ikm.Tally] = {}
    row = 0
    try:
        for row, cells in enumerate(reader, start=1):
            if row == 1:
                positions, by_at = _header(cells, by)
                width = len(cells)
                continue
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != width:
                raise AuditFileError(
                    _("Baris %(r)d: %(n)d kolom, padahal baris judul %(w)d kolom.")
                    % {"r": row, "n": len(cells), "w": width},
                    row=row,
                )
            answers = {c: _score(cells[i], row=row, code=c) for c, i in positions.items()}
            if all(v is None for v in answers.values()):
                raise AuditFileError(
                    _("Baris %(r)d: tidak ada satu pun unsur U1–U9 yang dijawab.") % {"r": row},
                    row=row,
                )
            key = _unquoted(cells[by_at].strip()) if by_at is not None else None
            tallies.setdefault(key, ikm.Tally()).add(answers)
    except csv.Error as exc:
        raise AuditFileError(
            _("Baris %(r)d: CSV tidak sah (%(e)s).") % {"r": row + 1, "e": exc}, row=row + 1
        ) from None
    if not tallies:
        raise AuditFileError(_("Berkas tidak berisi satu baris jawaban pun."), row=2)
    return dict(sorted(tallies.items(), key=lambda item: item[0] or ""))


def _unquoted(value: str) -> str:
    """A value as written before `csv_text` quoted it against formulas ("'-x" is "-x")."""
    return value[1:] if value[:1] == "'" and value[1:2] in FORMULA_START else value


def compute_file(
    data: bytes, *, weights: str = ikm.EXACT, by: str | None = None
) -> dict[str, object]:
    """What `mpp ikm compute` prints: the contract's object, or one per group sorted by the
    group's value (a JSON object keyed by it)."""
    chosen = ikm.standard_weights(weights)
    tallies = read_tallies(data, by=by)
    if by is None:
        return ikm.compute(tallies[None], chosen).as_dict()
    return {str(key): ikm.compute(t, chosen).as_dict() for key, t in tallies.items()}


# --- the period of an export ------------------------------------------------------------------


def period_between(start: str, end: str, *, max_days: int | None = MAX_DAYS) -> queries.Period:
    """The period from two YYYY-MM-DD dates, inclusive; ValueError with an Indonesian message
    for a bad date, a reversed range, or (when `max_days` is set) a range longer than that."""
    days: list[dt.date] = []
    for label, raw in ((_("tanggal awal"), start), (_("tanggal akhir"), end)):
        try:
            days.append(dt.date.fromisoformat((raw or "").strip()))
        except ValueError:
            raise ValueError(
                _("%(l)s harus tanggal berbentuk YYYY-MM-DD.") % {"l": label.capitalize()}
            ) from None
    first, last = days
    if last < first:
        raise ValueError(_("Tanggal akhir tidak boleh sebelum tanggal awal."))
    if max_days is not None and (last - first).days + 1 > max_days:
        raise ValueError(_("Rentang paling panjang %(n)d hari.") % {"n": max_days})
    return queries.Period(first, last, f"{first.isoformat()}/{last.isoformat()}")


# --- the export ---------------------------------------------------------------------------------


class ExportRaced(Exception):
    """Responses arrived in the scope while the file was written (retried by `write_export`)."""


@dataclass
class _Written:
    rows: int
    sha256: str
    size: int
    tally: ikm.Tally
    blank_rows: int
    seen: dict[str, set[str]]


def _rows(scope: queries.Scope, period: queries.Period) -> Iterator[tuple[Any, ...]]:
    """The scope's responses as tuples in COLUMNS order, streamed in chunks (a regency's year
    is a million rows). Ordered by day, mall, tenant, then the random id: stable from one
    export to the next, and saying nothing about the order in which responses arrived."""
    fields = (
        "answered_on",
        "time_band",
        "mall__slug",
        "tenant__slug",
        "service__slug",
        "channel",
        *(c.lower() for c in STANDARD_CODES),
        "sex",
        "age",
        "education",
        "occupation",
    )
    qs = scope.responses(period).order_by("answered_on", "mall_id", "tenant_id", "id")
    yield from qs.values_list(*fields).iterator(chunk_size=_CHUNK)


def _write_csv(scope: queries.Scope, period: queries.Period, sink: IO[bytes]) -> _Written:
    """Write responses.csv to `sink`, hashing it, and tally its U1–U9 as `mpp ikm compute`
    will. Per row only the write and two hash-table updates: a year is a million rows, so the
    tally is built once per distinct combination of answers, not once per row."""
    digest = hashlib.sha256()
    written = _Written(0, "", 0, ikm.Tally(), 0, {"mall": set(), "tenant": set(), "service": set()})
    buffer = io.StringIO()
    # csv writes None as an empty cell and a date as YYYY-MM-DD: the rows go out as read.
    writer = csv.writer(buffer, lineterminator="\n")
    answers_at = slice(6, 6 + len(STANDARD_CODES))
    combinations: Counter[tuple[int | None, ...]] = Counter()
    places: set[tuple[str, str, str | None]] = set()

    def flush() -> None:
        chunk = buffer.getvalue().encode("utf-8")
        digest.update(chunk)
        sink.write(chunk)
        written.size += len(chunk)
        buffer.seek(0)
        buffer.truncate()

    writer.writerow(COLUMNS)
    for values in _rows(scope, period):
        writer.writerow(csv_row(values))  # text stays text in a spreadsheet (slugs, choices)
        combinations[values[answers_at]] += 1
        places.add(values[2:5])
        written.rows += 1
        if written.rows % _CHUNK == 0:
            flush()
    flush()
    written.sha256 = digest.hexdigest()
    tally = written.tally
    for answers, times in combinations.items():
        given = [(c, v) for c, v in zip(STANDARD_CODES, answers, strict=True) if v is not None]
        if not given:
            written.blank_rows += times
            continue
        tally.respondents += times
        for code, score in given:
            tally.sums[code] = tally.sums.get(code, 0) + score * times
            tally.counts[code] = tally.counts.get(code, 0) + times
    for mall, tenant, service in places:
        written.seen["mall"].add(mall)
        written.seen["tenant"].add(tenant)
        if service:
            written.seen["service"].add(service)
    return written


@contextlib.contextmanager
def _snapshot() -> Iterator[None]:
    """One consistent view of the responses for the published numbers and the rows: a
    repeatable-read transaction on PostgreSQL when we are not inside one already. SQLite gets
    none (its IMMEDIATE transactions would lock out citizens answering meanwhile); there the
    numbers are read again after the rows and the export started over if they moved."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def _fraction(value: Any) -> str:
    return f"{value.numerator}/{value.denominator}" if value.denominator != 1 else str(value)


def _scope_of(scope: queries.Scope) -> dict[str, object]:
    def named(obj: Any) -> dict[str, object] | None:
        return (
            None
            if obj is None
            else {"id": obj.pk, "slug": getattr(obj, "slug", ""), "name": obj.name}
        )

    return {
        "region": named(
            scope.region if scope.region is not None else getattr(scope.mall, "region", None)
        ),
        "mall": named(scope.mall),
        "tenant": named(scope.tenant),
        "service": named(scope.service),
        "whole_region": scope.mall is None,
    }


def _legend(seen: dict[str, set[str]]) -> dict[str, dict[str, dict[str, object]]]:
    """The slugs of the file's mall, tenant and service columns, with their ids and names."""
    models: dict[str, Any] = {"mall": Mall, "tenant": Tenant, "service": Service}
    out: dict[str, dict[str, dict[str, object]]] = {}
    for column, model in models.items():
        rows = model.objects.filter(slug__in=seen[column]).order_by("slug")
        out[column] = {o.slug: {"id": o.pk, "name": o.name} for o in rows.only("slug", "name")}
    return out


def _in_code_order(numbers: dict[str, object]) -> dict[str, object]:
    """The contract's object with its NRR in U1, U2 … order, as `mpp ikm compute` prints it
    (the questionnaire's own order may ask U9 before U8): the two outputs then compare as text."""
    nrr = numbers["nrr"]
    assert isinstance(nrr, dict)
    ordered = dict(sorted(nrr.items(), key=lambda item: int(item[0][1:])))
    return {**numbers, "nrr": ordered}


def reproduce_command(weights: str = ikm.EXACT) -> str:
    extra = "" if weights == ikm.EXACT else f" --weights {weights}"
    return f"mpp ikm compute {CSV_NAME}{extra}"


def write_export(
    out: IO[bytes],
    scope: queries.Scope,
    period: queries.Period,
    *,
    weights: str = ikm.EXACT,
    attempts: int = 3,
) -> dict[str, object]:
    """Write the audit ZIP (responses.csv and manifest.json) to `out`; returns the manifest.

    The published numbers are `queries.index_for` of the same scope and period, read in the same
    snapshot as the rows; the manifest says whether `mpp ikm compute` on the file gives them
    exactly (it does unless the scope's questionnaire weighs extra elements, or a response
    answered none of U1–U9)."""
    for _attempt in range(attempts):
        with tempfile.SpooledTemporaryFile(max_size=16 * 2**20) as csv_file, _snapshot():
            published = queries.index_for(scope, period, weights=weights)
            written = _write_csv(scope, period, csv_file)
            # Cheap (one aggregate) and needed where there is no snapshot.
            again = queries.index_for(scope, period, weights=weights)
            if again.as_dict() != published.as_dict():
                continue  # responses arrived while writing: start over
            manifest = _manifest(scope, period, weights, published, written)
            csv_file.seek(0)
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
                with archive.open(CSV_NAME, "w", force_zip64=True) as entry:
                    while chunk := csv_file.read(2**20):
                        entry.write(chunk)
                archive.writestr(MANIFEST_NAME, ikm.to_json(manifest, indent=2) + "\n")
            return manifest
    raise ExportRaced(_("Data survei berubah selama ekspor; silakan ulangi."))


def _manifest(
    scope: queries.Scope,
    period: queries.Period,
    weights: str,
    published: ikm.Index,
    written: _Written,
) -> dict[str, object]:
    from_file = ikm.compute(written.tally, ikm.standard_weights(weights))
    notes = []
    if any(code not in STANDARD_CODES for code in published.weights):
        notes.append(
            "The questionnaire in force weighs elements beyond U1-U9; the file holds U1-U9 only, "
            "so `mpp ikm compute` cannot reproduce the published index."
        )
    if written.blank_rows:
        notes.append(
            f"{written.blank_rows} row(s) answer none of U1-U9; `mpp ikm compute` refuses them."
        )
    return {
        "format": FORMAT,
        "generated_at": clock.now().isoformat(timespec="seconds"),
        "period": {
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "label": period.label,
        },
        "scope": _scope_of(scope),
        "rule": {
            "regulation": RULE,
            "weights": weights,
            "weight_per_element": {c: _fraction(w) for c, w in published.weights.items()},
            "nrr": "sum of the scores given to an element / number of respondents who answered "
            "it (blank is not zero)",
            "ikm": "sum of NRR x weight, in exact fractions",
            "score": "IKM x 25, rounded half up to two decimals only at the end; mutu and "
            "kinerja read off the rounded value (A >= 88.31, B >= 76.61, C >= 65.00, else D)",
            "nrr_and_ikm_printed": "rounded half up to four decimals",
        },
        "files": {CSV_NAME: {"sha256": written.sha256, "bytes": written.size}},
        "rows": written.rows,
        "columns": list(COLUMNS),
        "columns_note": "answered_on: the day of service (YYYY-MM-DD); time_band: 08-12 or "
        "13-17; mall, tenant, service: slugs (see legend); U1-U9: 1-4, empty = not answered; "
        "sex L/P, age in years, education and occupation as on the national form, empty = not "
        "stated.",
        "left_out": "suggestion text (citizens type names and phone numbers into it) and the "
        "answers to a unit's extra elements (U10 and beyond); no ticket, token, counter or "
        "officer is stored with a response at all.",
        "legend": _legend(written.seen),
        "published": _in_code_order(published.as_dict()),
        "reproduce": reproduce_command(weights),
        "reproducible": from_file.as_dict() == published.as_dict() and not written.blank_rows,
        "notes": notes,
    }


def export_raw(scope: queries.Scope, period: queries.Period, *, weights: str = ikm.EXACT) -> bytes:
    """The audit ZIP in memory (tests, small scopes); `write_export` streams to a file."""
    out = io.BytesIO()
    write_export(out, scope, period, weights=weights)
    return out.getvalue()
