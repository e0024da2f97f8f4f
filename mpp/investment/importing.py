"""Reading LKPM realization files (CSV or XLSX) into checked rows, all or nothing.

Two headings are understood: the canonical template (the contract of `mpp investment import`) and
the headings of the national system's LKPM export, mapped below. Every bad cell is reported with
its row (as numbered in the file, the heading being row 1) and its canonical column.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from mpp.core.sheets import BadCell, Limits, csv_rows, first_sheet
from mpp.investment.exceptions import RowError
from mpp.investment.models import PERIOD_END_QUARTER, ReportStatus
from mpp.investment.sectors import SECTOR_DIVISIONS, SECTORS

COLUMNS = (
    "year",
    "period",
    "company",
    "nib",
    "status",
    "kbli",
    "sector",
    "district_code",
    "currency",
    "amount",
    "rate",
    "workers_male",
    "workers_female",
    "workers_foreign",
    "report_status",
)
# Optional: the split of `amount` into fixed and working capital, in the same currency.
OPTIONAL_COLUMNS = ("fixed_capital", "working_capital")

# Headings of the national system's LKPM export (the LKPM form's field names), normalised.
ALIASES: dict[str, str] = {
    "tahun": "year",
    "tahun laporan": "year",
    "periode": "period",
    "periode laporan": "period",
    "periode pelaporan": "period",
    "nama perusahaan": "company",
    "nama pelaku usaha": "company",
    "perusahaan": "company",
    "nomor induk berusaha": "nib",
    "status pm": "status",
    "status penanaman modal": "status",
    "status modal": "status",
    "jenis penanaman modal": "status",
    "kode kbli": "kbli",
    "kbli 5 digit": "kbli",
    "sektor": "sector",
    "kode sektor": "sector",
    "sektor usaha": "sector",
    "kode kecamatan": "district_code",
    "kecamatan": "district_code",
    "lokasi proyek kecamatan": "district_code",
    "kecamatan proyek": "district_code",
    "mata uang": "currency",
    "nilai realisasi": "amount",
    "realisasi investasi": "amount",
    "total realisasi": "amount",
    "jumlah realisasi": "amount",
    "tambahan realisasi investasi": "amount",
    "kurs": "rate",
    "nilai tukar": "rate",
    "tki laki laki": "workers_male",
    "tenaga kerja indonesia laki laki": "workers_male",
    "tki perempuan": "workers_female",
    "tenaga kerja indonesia perempuan": "workers_female",
    "tka": "workers_foreign",
    "tenaga kerja asing": "workers_foreign",
    "status laporan": "report_status",
    "status lkpm": "report_status",
    "modal tetap": "fixed_capital",
    "total modal tetap": "fixed_capital",
    "modal kerja": "working_capital",
}

PERIOD_WORDS = {
    "q1": "Q1", "q2": "Q2", "q3": "Q3", "q4": "Q4", "s1": "S1", "s2": "S2",
    "tw i": "Q1", "tw ii": "Q2", "tw iii": "Q3", "tw iv": "Q4",
    "tw 1": "Q1", "tw 2": "Q2", "tw 3": "Q3", "tw 4": "Q4",
    "triwulan i": "Q1", "triwulan ii": "Q2", "triwulan iii": "Q3", "triwulan iv": "Q4",
    "triwulan 1": "Q1", "triwulan 2": "Q2", "triwulan 3": "Q3", "triwulan 4": "Q4",
    "semester i": "S1", "semester ii": "S2", "semester 1": "S1", "semester 2": "S2",
}  # fmt: skip

REPORT_STATUS_WORDS = {
    "disetujui": ReportStatus.APPROVED,
    "approved": ReportStatus.APPROVED,
    "diajukan": ReportStatus.SUBMITTED,
    "menunggu verifikasi": ReportStatus.SUBMITTED,
    "belum diverifikasi": ReportStatus.SUBMITTED,
    "perlu perbaikan": ReportStatus.NEEDS_FIX,
    "dikembalikan": ReportStatus.NEEDS_FIX,
    "ditolak": ReportStatus.REJECTED,
}

SECTOR_BY_NAME = {re.sub(r"[^a-z0-9]+", " ", s.name.lower()).strip(): s.number for s in SECTORS}
KNOWN_DIVISIONS = frozenset().union(*SECTOR_DIVISIONS.values())

MAX_AMOUNT = Decimal("1e18")  # a billion billion: beyond any single report, within BIGINT in rupiah
MAX_RATE = Decimal("1e10")  # Realization.rate holds 10 digits before the decimal point


@dataclass(frozen=True)
class ParsedRow:
    """A row that passed every check, ready to be stored."""

    line: int
    year: int
    period: str
    company: str
    nib: str
    status: str
    kbli: str
    sector: int
    district_id: int
    currency: str
    amount: Decimal
    rate: Decimal | None
    fixed_capital: Decimal | None
    working_capital: Decimal | None
    amount_idr: int
    workers_male: int
    workers_female: int
    workers_foreign: int
    report_status: str


@dataclass(frozen=True)
class Lookups:
    """What a row is checked against: the region's kecamatan, the regency's date today (a period
    must have ended before it), and how the file writes numbers."""

    districts_by_code: dict[str, int]
    districts_by_name: dict[str, int]
    today: dt.date
    decimal_comma: bool = False


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


@dataclass(frozen=True)
class Table:
    """A file's heading and numbered rows; `decimal_comma` when its text numbers are written
    the Indonesian way (a semicolon CSV: "1.250.000,50")."""

    heading: list[str]
    rows: Iterator[tuple[int, list[Any]]]
    decimal_comma: bool = False


def limits() -> Limits:
    """The bounds of an LKPM file (settings.MPP_INVESTMENT_IMPORT_MAX_BYTES and the sheet
    limits), checked before it is parsed."""
    return Limits.of(settings.MPP_INVESTMENT_IMPORT_MAX_BYTES)


def read_table(data: bytes, file_name: str) -> Table:
    """The heading and the numbered rows of a CSV (comma or semicolon, UTF-8) or XLSX file,
    refused (FileRefused, naming the limit) past `limits()` before it is parsed."""
    if data[:2] == b"PK" or file_name.lower().endswith(".xlsx"):
        return _read_xlsx(data)
    if file_name.lower().endswith((".csv", ".txt")) or not file_name:
        return _read_csv(data)
    raise BadCell(_("Format berkas harus CSV atau XLSX."))


def _read_csv(data: bytes) -> Table:
    heading, rows, delimiter = csv_rows(data, limits())
    return Table(heading, rows, decimal_comma=delimiter == ";")


def _read_xlsx(data: bytes) -> Table:
    heading, rows = first_sheet(data, limits())
    return Table(["" if h is None else str(h) for h in heading], rows)


def map_heading(heading: list[str]) -> tuple[dict[str, int], list[RowError]]:
    """Canonical column → index in the file, and the errors of the heading itself."""
    index: dict[str, int] = {}
    errors: list[RowError] = []
    for i, raw in enumerate(heading):
        key = normalise(raw)
        column = key.replace(" ", "_") if key.replace(" ", "_") in COLUMNS else ALIASES.get(key)
        if column is None and key.replace(" ", "_") in OPTIONAL_COLUMNS:
            column = key.replace(" ", "_")
        if column is None:
            continue  # other columns of an export are ignored
        if column in index:
            errors.append(RowError(1, column, _("kolom ini muncul dua kali")))
        index[column] = i
    for column in COLUMNS:
        if column not in index:
            errors.append(RowError(1, column, _("kolom wajib tidak ada")))
    return index, errors


# The NIBs of the template's example rows (exports.TEMPLATE_EXAMPLE): a template uploaded on the
# import page as it was downloaded would replace a real quarter with made-up companies.
TEMPLATE_EXAMPLE_NIBS = frozenset({"9120301234567", "9120307654321", "9120305555555"})


def parse_rows(
    heading: list[str],
    rows: Iterable[tuple[int, list[Any]]],
    lookups: Lookups,
) -> tuple[list[ParsedRow], list[RowError]]:
    """Every row checked; the good ones, and every error of the bad ones."""
    index, errors = map_heading(heading)
    if errors:
        return [], errors
    parsed: list[ParsedRow] = []
    seen: dict[tuple[int, str, str, str, int], int] = {}
    for line, raw in rows:
        if all(v is None or str(v).strip() == "" for v in raw):
            continue  # blank lines at the end of a sheet
        cells = {c: (raw[i] if i < len(raw) else None) for c, i in index.items()}
        row, row_errors = _parse_row(line, cells, lookups)
        if row is not None:
            key = (row.year, row.period, row.nib, row.kbli, row.district_id)
            if key in seen:
                row_errors.append(
                    RowError(
                        line,
                        "nib",
                        _(
                            "baris ganda: tahun, periode, NIB, KBLI, dan kecamatan sama dengan "
                            "baris %(n)d"
                        )
                        % {"n": seen[key]},
                    )
                )
            else:
                seen[key] = line
                parsed.append(row)
        errors.extend(row_errors)
    if not parsed and not errors:
        errors.append(RowError(None, None, _("Berkas tidak berisi baris data.")))
    return parsed, errors


def _parse_row(
    line: int, cells: dict[str, Any], lookups: Lookups
) -> tuple[ParsedRow | None, list[RowError]]:
    errors: list[RowError] = []
    values: dict[str, Any] = {}

    def take(column: str, parse: Any) -> None:
        try:
            values[column] = parse(cells.get(column))
        except BadCell as bad:
            errors.append(RowError(line, column, str(bad)))

    take("year", _year)
    take("period", _period)
    take("company", _company)
    take("nib", _nib)
    take("status", _status)
    take("sector", _sector)
    take("district_code", lambda v: _district(v, lookups))
    take("currency", _currency)
    comma = lookups.decimal_comma
    take("amount", lambda v: _money(v, places=2, comma=comma))
    take(
        "rate",
        lambda v: (
            None if _blank(v) else _money(v, places=4, positive=True, comma=comma, maximum=MAX_RATE)
        ),
    )
    for column in OPTIONAL_COLUMNS:
        take(column, lambda v: None if _blank(v) else _money(v, places=2, comma=comma))
    for column in ("workers_male", "workers_female", "workers_foreign"):
        take(column, _count)
    take("report_status", _report_status)
    # Checked even when the sector is wrong (against no sector then), so that a row's every
    # problem is named on the first upload, not the KBLI on the next one (issue 18).
    take("kbli", lambda v: _kbli(v, values.get("sector")))
    if "year" in values and "period" in values:
        ends = _period_end(values["year"], values["period"])
        if ends >= lookups.today:  # the last day of a period is still inside it
            errors.append(
                RowError(
                    line,
                    "period",
                    _("periode %(p)s %(y)d belum berakhir (berakhir %(d)s)")
                    % {"p": values["period"], "y": values["year"], "d": ends.strftime("%d-%m-%Y")},
                )
            )
    amount_idr = _convert(line, values, errors)
    if errors:
        return None, errors
    return (
        ParsedRow(
            line=line,
            year=values["year"],
            period=values["period"],
            company=values["company"],
            nib=values["nib"],
            status=values["status"],
            kbli=values["kbli"],
            sector=values["sector"],
            district_id=values["district_code"],
            currency=values["currency"],
            amount=values["amount"],
            rate=values["rate"],
            fixed_capital=values["fixed_capital"],
            working_capital=values["working_capital"],
            amount_idr=amount_idr,
            workers_male=values["workers_male"],
            workers_female=values["workers_female"],
            workers_foreign=values["workers_foreign"],
            report_status=values["report_status"],
        ),
        [],
    )


def _convert(line: int, values: dict[str, Any], errors: list[RowError]) -> int:
    """The rupiah value; a PMA row and a foreign currency need the rate used (LKPM stores PMA in
    USD with its conversion), a rupiah row needs none (or 1)."""
    if "rate" not in values:  # the rate's own cell was bad, and named
        return 0
    # What can be checked is checked even when another cell of the row is bad (issue 18: a
    # row's problems are all named on the first upload).
    status, currency, amount, rate = (
        values.get("status"),
        values.get("currency"),
        values.get("amount"),
        values["rate"],
    )
    if rate is None and (status == "PMA" or currency not in (None, "IDR")):
        why = _("baris PMA wajib mencantumkan kurs") if status == "PMA" else None
        errors.append(
            RowError(
                line,
                "rate",
                why or _("nilai dalam %(c)s wajib mencantumkan kurs") % {"c": currency},
            )
        )
        return 0
    if currency == "IDR" and rate is not None and rate != 1:
        errors.append(RowError(line, "rate", _("kurs untuk nilai dalam rupiah harus 1")))
        return 0
    fixed, working = values.get("fixed_capital"), values.get("working_capital")
    if (fixed is None) != (working is None):
        column = "working_capital" if working is None else "fixed_capital"
        errors.append(RowError(line, column, _("isi modal tetap dan modal kerja bersama-sama")))
    elif fixed is not None and amount is not None and fixed + working != amount:
        errors.append(
            RowError(line, "fixed_capital", _("modal tetap + modal kerja tidak sama dengan nilai"))
        )
    if amount is None or status is None or currency is None:
        return 0  # the row is refused for its bad cells; there is nothing to convert
    idr = (amount * (rate or 1)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    if idr >= MAX_AMOUNT:
        errors.append(RowError(line, "amount", _("nilai terlalu besar")))
        return 0
    return int(idr)


def _period_end(year: int, period: str) -> dt.date:
    month = PERIOD_END_QUARTER[period] * 3
    next_month = dt.date(year + (month == 12), month % 12 + 1, 1)
    return next_month - dt.timedelta(days=1)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value).strip()


def _year(value: Any) -> int:
    text = _text(value)
    if not re.fullmatch(r"\d{4}", text) or not 2000 <= int(text) <= 2100:
        raise BadCell(_("tahun harus empat angka, misalnya 2025"))
    return int(text)


def _period(value: Any) -> str:
    period = PERIOD_WORDS.get(normalise(_text(value)))
    if period is None:
        raise BadCell(
            _("periode %(v)s tidak dikenal: gunakan Q1–Q4 (triwulan) atau S1–S2 (semester)")
            % {"v": _text(value) or _("(kosong)")}
        )
    return period


def _company(value: Any) -> str:
    text = " ".join(_text(value).split())
    if not text:
        raise BadCell(_("nama perusahaan wajib diisi"))
    if len(text) > 200:
        raise BadCell(_("nama perusahaan paling panjang 200 karakter"))
    return text


def _nib(value: Any) -> str:
    text = _text(value)
    if isinstance(value, int | float) and text.isdigit() and len(text) < 13:
        text = text.zfill(13)  # a spreadsheet drops the leading zero of a numeric cell
    if not re.fullmatch(r"\d{13}", text):
        raise BadCell(_("NIB harus 13 angka"))
    return text


def _status(value: Any) -> str:
    text = _text(value).upper()
    if text not in ("PMA", "PMDN"):
        raise BadCell(_("status harus PMA atau PMDN"))
    return text


def _sector(value: Any) -> int:
    text = _text(value)
    if re.fullmatch(r"\d{1,2}", text) and 1 <= int(text) <= 23:
        return int(text)
    number = SECTOR_BY_NAME.get(normalise(text))
    if number is None:
        raise BadCell(
            _("sektor %(v)s tidak dikenal: gunakan nomor sektor nasional 1–23")
            % {"v": text or _("(kosong)")}
        )
    return number


def _kbli(value: Any, sector: int | None) -> str:
    """A five-digit KBLI of a known division, and of `sector`'s divisions when it is known."""
    text = _text(value)
    divisions = SECTOR_DIVISIONS[sector] if sector is not None else KNOWN_DIVISIONS
    if re.fullmatch(r"\d{4}", text) and text.zfill(5)[:2] in divisions:
        text = text.zfill(5)  # "01134" saved by a spreadsheet as the number 1134
    if not re.fullmatch(r"\d{5}", text):
        raise BadCell(_("KBLI harus 5 angka"))
    if text[:2] not in KNOWN_DIVISIONS:
        raise BadCell(_("KBLI %(v)s tidak dikenal") % {"v": text})
    if sector is not None and text[:2] not in divisions:
        raise BadCell(_("KBLI %(v)s bukan bagian dari sektor %(s)d") % {"v": text, "s": sector})
    return text


def _district(value: Any, lookups: Lookups) -> int:
    text = _text(value)
    found = lookups.districts_by_code.get(text)
    if found is None:
        name = normalise(re.sub(r"(?i)^kec(amatan)?\.?\s+", "", text))
        found = lookups.districts_by_name.get(name)
    if found is None:
        raise BadCell(
            _("kode kecamatan %(v)s tidak dikenal di kabupaten ini") % {"v": text or _("(kosong)")}
        )
    return found


def _currency(value: Any) -> str:
    text = _text(value).upper() or "IDR"
    if not re.fullmatch(r"[A-Z]{3}", text):
        raise BadCell(_("mata uang harus kode tiga huruf, misalnya IDR atau USD"))
    return text


def _money(
    value: Any,
    *,
    places: int,
    positive: bool = False,
    comma: bool = False,
    maximum: Decimal = MAX_AMOUNT,
) -> Decimal:
    if isinstance(value, bool) or _blank(value):
        raise BadCell(_("wajib diisi dengan angka"))
    if isinstance(value, int | Decimal):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    else:
        number = _decimal_text(str(value), comma=comma)
    if number < 0:
        raise BadCell(_("tidak boleh negatif"))
    if positive and number == 0:
        raise BadCell(_("harus lebih besar dari 0"))
    if number != number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):
        raise BadCell(_("paling banyak %(n)d angka di belakang koma") % {"n": places})
    if number >= maximum:
        raise BadCell(_("nilai terlalu besar"))
    return number


def _decimal_text(raw: str, *, comma: bool = False) -> Decimal:
    """ "1234567.89", or Indonesian "1.234.567,89" / "1.234.567"; "Rp" and spaces are ignored.
    "350.000" is 350 thousand in a file written the Indonesian way (`comma`); elsewhere it could
    be either, so it is refused rather than guessed."""
    text = re.sub(r"\s|\u00a0", "", raw)
    text = re.sub(r"(?i)^rp\.?", "", text)
    thousands = re.fullmatch(r"-?\d{1,3}(\.\d{3})+", text)
    if thousands and text.count(".") == 1 and not comma:
        raise BadCell(
            _("%(v)s bisa berarti ribuan atau pecahan: tulis tanpa pemisah ribuan") % {"v": raw}
        )
    if thousands:
        text = text.replace(".", "")
    elif "," in text:
        if not re.fullmatch(r"-?(\d{1,3}(\.\d{3})*|\d+),\d+|-?\d{1,3}(\.\d{3})+", text):
            raise BadCell(_("%(v)s bukan angka") % {"v": raw})
        text = text.replace(".", "").replace(",", ".")
    if not re.fullmatch(r"-?\d+(\.\d+)?", text):
        raise BadCell(_("%(v)s bukan angka") % {"v": raw})
    try:
        return Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - the pattern above admits only numbers
        raise BadCell(_("%(v)s bukan angka") % {"v": raw}) from exc


def _count(value: Any) -> int:
    if _blank(value):
        return 0
    text = _text(value)
    if not re.fullmatch(r"\d{1,7}", text):
        raise BadCell(_("jumlah tenaga kerja harus bilangan bulat tidak negatif"))
    return int(text)


def _report_status(value: Any) -> str:
    status = REPORT_STATUS_WORDS.get(normalise(_text(value)))
    if status is None:
        raise BadCell(
            _("status laporan %(v)s tidak dikenal (Disetujui, Diajukan, Perlu perbaikan, Ditolak)")
            % {"v": _text(value) or _("(kosong)")}
        )
    return str(status)
