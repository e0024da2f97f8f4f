"""Reading and checking a spreadsheet (CSV or XLSX) of paper survey sheets: every row or none.

Each row is cleaned by the same functions as a form typed in on screen (`cleaning.clean_answers`,
`cleaning.clean_profile`), so a file cannot store what the entry screen would refuse. Every bad
cell is reported with its row as numbered in the file (the heading being row 1) and its column.
Writing is `actions.import_responses`: the rows in one transaction with one `SurveyImport` that
records the file's SHA-256, so the same file twice is refused unless the person importing says
they mean it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from django.db.models import prefetch_related_objects
from django.utils.translation import gettext as _

from mpp.catalog.models import Service, Tenant
from mpp.core.sheets import FileRefused, Refusal
from mpp.malls.models import Mall
from mpp.surveys.cleaning import Profile, clean_answers, clean_profile, clean_suggestion
from mpp.surveys.exceptions import SurveyCode, SurveyError
from mpp.surveys.models import STANDARD_CODES, Questionnaire, Response, SurveyImport
from mpp.surveys.sheets import (
    ANSWER_COLUMN,
    BadCell,
    RowError,
    cell_text,
    map_heading,
    read_table,
)

# PermenPAN-RB 14/2017 took effect in 2017; sheets from before it answered the 14 elements of
# KepMenPAN 25/2004 and cannot be mixed with these (a year like 1926 is a typo anyway).
EARLIEST = dt.date(2017, 1, 1)

TIME_BANDS = {
    "08-12": Response.TimeBand.MORNING,
    "8-12": Response.TimeBand.MORNING,
    "0800-1200": Response.TimeBand.MORNING,
    "pagi": Response.TimeBand.MORNING,
    "13-17": Response.TimeBand.AFTERNOON,
    "1300-1700": Response.TimeBand.AFTERNOON,
    "siang": Response.TimeBand.AFTERNOON,
}
SEXES = {"l": "L", "laki-laki": "L", "laki laki": "L", "p": "P", "perempuan": "P"}
EDUCATION = {
    **{v.casefold(): v for v in Response.Education.values},
    "d1": "D1-D3",
    "d2": "D1-D3",
    "d3": "D1-D3",
    "d1–d3": "D1-D3",
    "diploma": "D1-D3",
    "sltp": "SMP",
    "slta": "SMA",
    "smk": "SMA",
}
OCCUPATION = {v.casefold(): v for v in Response.Occupation.values}


class ImportRejected(SurveyError):
    """A file refused as a whole: nothing of it was imported; `errors` names every problem.
    `code` is import_rejected, already_imported, or core.sheets.Refusal's for a whole file
    refused before it was read (file_too_large, too_many_cells...)."""

    codes = (SurveyCode, Refusal)

    def __init__(
        self, errors: list[RowError], *, code: SurveyCode | str = SurveyCode.IMPORT_REJECTED
    ) -> None:
        super().__init__("; ".join(str(e) for e in errors[:5]), code=code)
        self.errors = errors


class AlreadyImported(ImportRejected):
    """The same bytes were imported into this mall before (`earlier`)."""

    def __init__(self, earlier: SurveyImport) -> None:
        who = earlier.imported_by.get_username() if earlier.imported_by else _("(tidak diketahui)")
        message = _(
            "Berkas yang sama (SHA-256 %(sha)s) sudah diimpor sebagai “%(name)s” pada %(at)s "
            "oleh %(who)s (%(n)d baris). Centang “saya yakin, impor lagi” bila memang lembar "
            "yang lain."
        ) % {
            "sha": earlier.sha256,
            "name": earlier.file_name,
            "at": earlier.imported_at.astimezone(earlier.mall.zone).strftime("%d-%m-%Y %H:%M"),
            "who": who,
            "n": earlier.rows,
        }
        super().__init__([RowError(None, None, message)], code=SurveyCode.ALREADY_IMPORTED)
        self.earlier = earlier


# --- checking ----------------------------------------------------------------------------------


@dataclass
class Lookups:
    """What rows are checked against: the mall's tenants and their services by every name a
    clerk may write, the questionnaire in force for each tenant, and the mall's date today."""

    mall: Mall
    today: dt.date
    tenants: dict[str, Tenant]
    elsewhere: set[str]
    services: dict[str, list[Service]]
    questionnaires: dict[int | None, Questionnaire] = field(default_factory=dict)
    # Cleaning results by input: a file repeats the same few tenants, dates and digits
    # thousands of times, and cleaning each anew cost most of a 5 MB import's minute.
    memo: dict[tuple[Any, ...], tuple[bool, Any]] = field(default_factory=dict)

    def once(self, key: tuple[Any, ...], clean: Callable[[], Any]) -> Any:
        """`clean()`, or what it returned (or raised) for the same `key` before."""
        if key not in self.memo:
            try:
                self.memo[key] = (True, clean())
            except (BadCell, SurveyError) as bad:
                self.memo[key] = (False, str(bad))
        ok, found = self.memo[key]
        if not ok:
            raise BadCell(found)
        return found

    @classmethod
    def of(cls, mall: Mall) -> Lookups:
        here = set(Tenant.objects.filter(mall_tenants__mall=mall).values_list("pk", flat=True))
        tenants: dict[str, Tenant] = {}
        elsewhere: set[str] = set()
        for tenant in Tenant.objects.filter(region_id=mall.region_id):
            for name in (tenant.slug, tenant.short_name, tenant.name):
                if tenant.pk in here:
                    tenants[_key(name)] = tenant
                else:
                    elsewhere.add(_key(name))
        services: dict[str, list[Service]] = {}
        for service in Service.objects.filter(tenant_id__in=here).select_related("tenant"):
            for name in {_key(service.slug), _key(service.name)}:
                services.setdefault(name, []).append(service)
        return cls(mall, mall.local_now().date(), tenants, elsewhere, services)

    def questionnaire(self, tenant: Tenant | None) -> Questionnaire:
        key = tenant.pk if tenant else None
        if key not in self.questionnaires:
            found = Questionnaire.objects.in_force_for(self.mall, tenant)
            if found is None:  # the migration loads the national one; an admin turned all off
                raise BadCell(_("Belum ada kuesioner yang berlaku."))
            prefetch_related_objects([found], "elements")  # clean_answers reads them per row
            self.questionnaires[key] = found
        return self.questionnaires[key]


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def parse_rows(
    heading: list[str], rows: Iterator[tuple[int, list[Any]]], lookups: Lookups
) -> tuple[list[Response], list[RowError]]:
    """Every row checked; the unsaved responses of the good ones, and every error of the bad."""
    index, errors = map_heading(heading)
    if errors:
        return [], errors
    built: list[Response] = []
    for line, raw in rows:
        if all(cell_text(v) == "" for v in raw):
            continue  # blank lines at the end of a sheet
        cells: dict[str, Any] = {
            c: cell_text(raw[i]) if i < len(raw) else "" for c, i in index.items()
        }
        day_cell = raw[index["tanggal"]] if index["tanggal"] < len(raw) else None
        if isinstance(day_cell, dt.date):
            cells["tanggal"] = day_cell  # an XLSX date cell, read as a date
        response, row_errors = _parse_row(line, cells, lookups)
        errors.extend(row_errors)
        if response is not None:
            built.append(response)
    if not built and not errors:
        errors.append(RowError(None, None, _("Berkas tidak berisi baris data.")))
    return built, errors


def _parse_row(
    line: int, cells: dict[str, Any], lookups: Lookups
) -> tuple[Response | None, list[RowError]]:
    errors: list[RowError] = []
    values: dict[str, Any] = {}

    def take(column: str, parse: Callable[[Any], Any], *context: object) -> None:
        value = cells.get(column, "")
        try:
            values[column] = lookups.once((column, value, *context), lambda: parse(value))
        except BadCell as bad:
            errors.append(RowError(line, column, str(bad)))

    take("tanggal", lambda v: _date(v, lookups.today))
    take("waktu", _time_band)
    take("instansi", lambda v: _tenant(v, lookups))
    tenant = values.get("instansi")
    if tenant is not None:
        take("layanan", lambda v: _service(v, tenant, lookups), tenant.pk)
    take("jenis_kelamin", lambda v: _choice(v, SEXES, "sex", "L, P"))
    take("usia", _age)
    take("pendidikan", lambda v: _choice(v, EDUCATION, "education", "SD, SMP, SMA, D1-D3, S1…S3"))
    take(
        "pekerjaan", lambda v: _choice(v, OCCUPATION, "occupation", ", ".join(OCCUPATION.values()))
    )
    take("saran", _suggestion)
    try:
        questionnaire = lookups.questionnaire(tenant)
    except BadCell as bad:
        return None, [*errors, RowError(line, None, str(bad))]
    answers = {c: v for c, v in cells.items() if ANSWER_COLUMN.fullmatch(c)}
    answer_errors = []
    for code, value in answers.items():
        if value:
            try:  # one element at a time, so every bad cell of the row is named
                lookups.once(
                    (questionnaire.pk, code, value),
                    lambda: clean_answers(questionnaire, {code: value}),  # noqa: B023 - called now
                )
            except BadCell as bad:
                answer_errors.append(RowError(line, code, str(bad)))
    if not answer_errors:
        try:
            cleaned: dict[str, int | None] = lookups.once(
                (questionnaire.pk, *answers.items()), lambda: clean_answers(questionnaire, answers)
            )
        except BadCell as bad:  # no answer at all, or an element this questionnaire lacks
            answer_errors.append(RowError(line, "U1–U9", str(bad)))
    errors.extend(answer_errors)
    if errors:
        return None, errors
    return (
        Response(
            questionnaire=questionnaire,
            mall=lookups.mall,
            tenant=tenant,
            service=values.get("layanan"),
            answered_on=values["tanggal"],
            time_band=values["waktu"],
            channel=Response.Channel.IMPORT,
            extra_answers={
                c: v for c, v in cleaned.items() if c not in STANDARD_CODES and v is not None
            },
            sex=values["jenis_kelamin"],
            age=values["usia"],
            education=values["pendidikan"],
            occupation=values["pekerjaan"],
            suggestion=values["saran"],
            **{c.lower(): cleaned.get(c) for c in STANDARD_CODES},
        ),
        [],
    )


def _date(value: Any, today: dt.date) -> dt.date:
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    else:
        text = re.sub(r"[ T]00:00(:00)?$", "", value)  # a date cell exported with its midnight
        try:
            if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", text):
                day = dt.date.fromisoformat("-".join(p.zfill(2) for p in text.split("-")))
            elif re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", text):
                d, m, y = (int(p) for p in text.split("/"))
                day = dt.date(y, m, d)
            elif not text:
                raise BadCell(_("tanggal wajib diisi"))
            else:
                raise BadCell(_("tanggal %(v)s: tulis TTTT-BB-HH atau HH/BB/TTTT") % {"v": text})
        except ValueError as exc:
            if isinstance(exc, BadCell):
                raise
            raise BadCell(_("tanggal %(v)s tidak ada di kalender") % {"v": text}) from exc
    if day > today:
        raise BadCell(_("tanggal %(d)s di masa depan") % {"d": day.isoformat()})
    if day < EARLIEST:
        raise BadCell(
            _("tanggal %(d)s sebelum PermenPAN-RB 14/2017 berlaku") % {"d": day.isoformat()}
        )
    return day


def _time_band(value: str) -> str:
    if not value:
        return ""
    key = re.sub(r"[\s.:]", "", value.casefold()).replace("–", "-").replace("—", "-")
    band = TIME_BANDS.get(key)
    if band is None:
        raise BadCell(
            _("waktu %(v)s tidak dikenal: isi 08-12 atau 13-17, atau kosongkan") % {"v": value}
        )
    return str(band)


def _tenant(value: str, lookups: Lookups) -> Tenant:
    if not value:
        raise BadCell(_("instansi wajib diisi"))
    found = lookups.tenants.get(_key(value))
    if found is not None:
        return found
    if _key(value) in lookups.elsewhere:
        raise BadCell(
            _("instansi %(v)s tidak ada di %(m)s") % {"v": value, "m": lookups.mall.short_name}
        )
    raise BadCell(_("instansi %(v)s tidak dikenal") % {"v": value})


def _service(value: str, tenant: Tenant, lookups: Lookups) -> Service | None:
    if not value:
        return None
    candidates = lookups.services.get(_key(value), [])
    for service in candidates:
        if service.tenant_id == tenant.pk:
            return service
    if candidates:
        raise BadCell(_("layanan %(v)s bukan milik %(t)s") % {"v": value, "t": tenant.short_name})
    raise BadCell(
        _("layanan %(v)s tidak dikenal untuk %(t)s") % {"v": value, "t": tenant.short_name}
    )


def _choice(value: str, allowed: dict[str, str], name: str, hint: str) -> str:
    if not value:
        return ""
    chosen = allowed.get(_key(value), value)
    change: dict[str, Any] = {name: chosen}
    try:
        clean_profile(replace(Profile(), **change))
    except SurveyError as bad:
        raise BadCell(f"{bad} " + _("Isi salah satu: %(h)s.") % {"h": hint}) from bad
    return chosen


def _age(value: str) -> int | None:
    if not value:
        return None
    if not re.fullmatch(r"\d{1,3}", value):
        raise BadCell(_("usia harus bilangan bulat (tahun)"))
    return clean_profile(Profile(age=int(value))).age


def _suggestion(value: str) -> str:
    try:
        return clean_suggestion(value)
    except SurveyError as exc:
        raise BadCell(str(exc)) from exc


# --- writing -----------------------------------------------------------------------------------


def check_file(data: bytes, file_name: str, mall: Mall) -> list[Response]:
    """The unsaved responses of a CSV or XLSX file for `mall`, or ImportRejected naming every bad
    row and column (or the whole file: unreadable, or past a limit, its code says which)."""
    try:
        heading, rows = read_table(data, file_name)
        responses, errors = parse_rows(heading, rows, Lookups.of(mall))
    except BadCell as bad:
        code = str(bad.code) if isinstance(bad, FileRefused) else "import_rejected"
        raise ImportRejected([RowError(None, None, str(bad))], code=code) from bad
    if errors:
        raise ImportRejected(errors)
    return responses
