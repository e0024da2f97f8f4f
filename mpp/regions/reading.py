"""The reading half of the region loader: every file of a data package parsed into typed models
(pydantic), every refusal in Indonesian naming its file and line, all of them in one run.

YAML is read with PyYAML's node tree, which keeps the line of every key and item; a model's
error carries the path of the value it refuses (`("services", 3, "fee_amount")`), and the
longest path the tree knows gives the line. Rules that span files (a village's kecamatan, a
mall's hours profile, a service's tenant, duplicates) are checked after the models, with the
same lines. Nothing here touches the database: loader.py writes what `read_package` returns.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, TypeVar

import yaml
from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Model
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    model_validator,
)
from pydantic_core import PydanticCustomError

from mpp.catalog import durations
from mpp.catalog.models import Service, Tenant
from mpp.core import weekdays as wd
from mpp.malls.models import Mall, OpeningHours, Village
from mpp.metapers.training import SCENARIO as METAPERS_SCENARIO
from mpp.rollout.models import Agency, ChecklistTemplateItem, Evidence, TrainingModule

Loc = tuple[str | int, ...]
M = TypeVar("M", bound=BaseModel)
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_HHMM = 'jam harus ditulis HH:MM (24 jam), misalnya "08:00"'


class RegionDataError(Exception):
    """The data package is broken; `problems` lists "file:line: message" strings."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class Where:
    """A position in a data file, for error messages (shown from the regions' parent folder)."""

    path: Path
    line: int
    base: Path | None = None

    def __str__(self) -> str:
        shown = self.path
        if self.base is not None and self.path.is_relative_to(self.base):
            shown = self.path.relative_to(self.base)
        return f"{shown}:{self.line}"


# --- YAML with lines --------------------------------------------------------------------------


class _SafeLoader(yaml.SafeLoader):
    """PyYAML's safe loader, except that a date that cannot be (`2025-13-01`) stays text, so
    the field's check refuses it with its line instead of the whole file failing."""


def _timestamp_or_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError:
        return loader.construct_scalar(node)


_SafeLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)


def yaml_with_lines(text: str) -> tuple[Any, dict[Loc, int]]:
    """The document's data (safe types only) and the line of each path in it: a mapping's key
    (the line a person looks for), a sequence's item, and the document itself at ()."""
    loader = _SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        data = loader.construct_document(node)
    finally:
        loader.dispose()
    lines: dict[Loc, int] = {}
    _record_lines(node, (), lines)
    return data, lines


def _record_lines(node: yaml.Node, path: Loc, lines: dict[Loc, int]) -> None:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                child = (*path, key_node.value)
                lines[child] = key_node.start_mark.line + 1
                _record_lines(value_node, child, lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record_lines(item, (*path, index), lines)


def line_of(lines: dict[Loc, int], loc: Loc) -> int:
    """The line of the longest prefix of `loc` the document has (a missing key: its mapping)."""
    for end in range(len(loc), -1, -1):
        found = lines.get(tuple(loc[:end]))
        if found is not None:
            return found
    return 0


# --- field types with Indonesian refusals -----------------------------------------------------


def _refuse(message: str) -> PydanticCustomError:
    return PydanticCustomError("region", "{message}", {"message": message})


def _as_text(value: Any, info: ValidationInfo) -> Any:
    """Scalars are text (`bps_code: 6403` too); an empty value counts as missing."""
    name = info.field_name
    if value is None or value == "":
        raise _refuse(f"'{name}' wajib diisi")
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise _refuse(f"'{name}' harus berupa teks")
    return str(value).strip()


def _as_optional_text(value: Any, info: ValidationInfo) -> Any:
    return "" if value is None or value == "" else _as_text(value, info)


def _as_text_list(value: Any, info: ValidationInfo) -> Any:
    name = info.field_name
    if not isinstance(value, list) or not value:
        raise _refuse(f"'{name}' harus berupa daftar berisi minimal 1 butir")
    if not all(isinstance(entry, str) and entry.strip() for entry in value):
        raise _refuse(f"'{name}' berisi butir yang bukan teks")
    return [entry.strip() for entry in value]


def _choice(choices: list[str]) -> Callable[[Any, ValidationInfo], Any]:
    def check(value: Any, info: ValidationInfo) -> Any:
        text = _as_text(value, info)
        if text not in choices:
            raise _refuse(f"'{info.field_name}' bernilai {text!r}; pilihan: {', '.join(choices)}")
        return text

    return check


def _as_time(value: Any) -> Any:
    if isinstance(value, str) and _TIME.match(value):
        return dt.time.fromisoformat(value)
    raise _refuse(_HHMM)


def _as_days(value: Any, info: ValidationInfo) -> Any:
    """`[senin, rabu]` → the weekdays' encoding of the models."""
    if not isinstance(value, list) or not value:
        raise _refuse(f"'{info.field_name}' harus berupa daftar hari, misalnya [senin, rabu]")
    unknown = [v for v in value if v not in wd.DATA_NAMES]
    if unknown:
        raise _refuse(f"hari tidak dikenal: {', '.join(map(str, unknown))}")
    return wd.encode([wd.DATA_NAMES[v] for v in value])


def _slug(value: str) -> str:
    if not re.fullmatch(r"[a-z0-9-]+", value):
        raise _refuse(f"slug {value!r} hanya boleh huruf kecil, angka, '-'")
    return value


Text = Annotated[str, BeforeValidator(_as_text)]
OptionalText = Annotated[str, BeforeValidator(_as_optional_text)]
TextList = Annotated[list[str], BeforeValidator(_as_text_list)]
Time = Annotated[dt.time, BeforeValidator(_as_time)]
Slug = Annotated[str, BeforeValidator(_as_text), AfterValidator(_slug)]


class FileModel(BaseModel):
    """A mapping of a data file: unknown keys are refused (a typo is not silently dropped)."""

    model_config = ConfigDict(extra="forbid", strict=True, populate_by_name=True)


# --- the files' models -------------------------------------------------------------------------


class RegionFile(FileModel):
    """region.yaml."""

    slug: Text
    name: Text
    short_name: Text
    province: Text
    kemendagri_code: Text
    bps_code: Text
    seat: Text
    timezone: Text
    data_version: OptionalText = ""


class DayHours(FileModel):
    """One day of an hours.yaml profile."""

    opens: Time = Field(alias="open")
    closes: Time = Field(alias="close")
    last_ticket: Time | None = None
    break_: list[Time] | None = Field(default=None, alias="break")

    @model_validator(mode="before")
    @classmethod
    def _a_mapping(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            raise _refuse("jam harus berupa {open, close, last_ticket, break}")
        return value

    @model_validator(mode="after")
    def _break_has_two_ends(self) -> DayHours:
        if self.break_ is not None and len(self.break_) != 2:
            raise _refuse("break harus berupa [mulai, selesai]")
        return self


def _as_whole(low: int, high: int) -> Callable[[Any, ValidationInfo], Any]:
    def check(value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
            return value
        raise _refuse(f"'{info.field_name}' harus bilangan bulat {low}–{high}")

    return check


class TenantEntry(FileModel):
    """An item of tenants.yaml."""

    slug: Slug
    name: Text
    short_name: Text
    kind: Annotated[str, BeforeValidator(_choice(list(Tenant.Kind.values)))]
    service_days: Annotated[str, BeforeValidator(_as_days)]
    description: OptionalText = ""
    complaints: Text
    # Working days to answer a verified complaint (SP4N-LAPOR!'s 5 when not stated).
    complaint_days: Annotated[int, BeforeValidator(_as_whole(1, 60))] = 5
    pledge: Text


def _as_keywords(value: Any) -> Any:
    if not isinstance(value, list) or not all(isinstance(k, str) for k in value):
        raise _refuse("'keywords' harus berupa daftar kata")
    return ", ".join(k.strip() for k in value if k.strip())


def _as_flag(value: Any, info: ValidationInfo) -> Any:
    if not isinstance(value, bool):
        raise _refuse(f"'{info.field_name}' harus true atau false")
    return value


def _as_fee_amount(value: Any) -> Any:
    if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
        raise _refuse("'fee_amount' harus bilangan bulat rupiah ≥ 0, atau null bila bervariasi")
    return value


def _as_duration_value(value: Any) -> Any:
    if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
        raise _refuse("'duration_value' harus bilangan bulat ≥ 1")
    return value


class ServiceEntry(FileModel):
    """An item of a services/<tenant>.yaml: the six published components and the legal basis.

    `duration_value` and `duration_unit` state the time as a value and a unit where the text
    does not begin with one (catalog/durations.py); `duration_unit: tanpa_batas` says the
    standard names no fixed time."""

    slug: Text
    name: Text
    keywords: Annotated[str, BeforeValidator(_as_keywords)] = ""
    front_counter: Annotated[bool, BeforeValidator(_as_flag)]
    requirements: TextList
    procedure: TextList
    duration: Text
    duration_value: Annotated[int | None, BeforeValidator(_as_duration_value)] = None
    duration_unit: Annotated[str, BeforeValidator(_as_optional_text)] = ""
    fee: Text
    fee_amount: Annotated[int | None, BeforeValidator(_as_fee_amount)] = None
    product: Text
    legal_basis: TextList
    complaints: OptionalText = ""


def _as_colors(value: Any) -> Any:
    if (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(c, str) and re.fullmatch(r"#[0-9a-fA-F]{6}", c) for c in value)
    ):
        return value
    raise _refuse("'colors' harus dua warna #RRGGBB")


def _as_counters(value: Any) -> Any:
    """`counters: 2` (front counters) or `counters: {default: 1, disdukcapil: 4}` (per tenant)."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value <= 99:
        return value
    if isinstance(value, dict) and all(
        isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 20 for v in value.values()
    ):
        return {str(k): v for k, v in value.items()}
    raise _refuse("'counters' harus jumlah loket (1–99) atau {default: 1, <instansi>: n}")


def _as_date(value: Any) -> Any:
    if value is not None and not isinstance(value, dt.date):
        raise _refuse("'opened_on' harus tanggal YYYY-MM-DD")
    return value


def _as_queues(value: Any, info: ValidationInfo) -> Any:
    return None if value is None else _choice(["per_tenant", "single"])(value, info)


Scope = Annotated[str, BeforeValidator(_choice(["all", "front_counter"]))]


class MallEntry(FileModel):
    """An item of malls.yaml."""

    slug: Text
    kind: Annotated[str, BeforeValidator(_choice(list(Mall.Kind.values)))]
    name: Text
    short_name: Text
    district: Text
    status: Annotated[str, BeforeValidator(_choice(list(Mall.Status.values)))]
    opened_on: Annotated[dt.date | None, BeforeValidator(_as_date)] = None
    status_is_sample: bool = False
    address: Text
    paten_room: OptionalText = ""
    tagline: OptionalText = ""
    colors: Annotated[list[str], BeforeValidator(_as_colors)]
    hours: Text
    tenants: Scope
    services: Scope
    queues: Annotated[str | None, BeforeValidator(_as_queues)] = None
    counters: Annotated[int | dict[str, int], BeforeValidator(_as_counters)] = 1

    @model_validator(mode="after")
    def _mini_mpp_has_its_paten_room(self) -> MallEntry:
        if self.kind == Mall.Kind.MINI_MPP and not self.paten_room:
            raise _refuse("'paten_room' wajib diisi")
        return self


class DistrictRow(FileModel):
    """A row of districts.tsv."""

    code: str
    bps_code: str
    name: str
    seat: str

    @model_validator(mode="after")
    def _codes(self) -> DistrictRow:
        if not re.fullmatch(r"\d{2}\.\d{2}\.\d{2}", self.code):
            raise _refuse(f"kode kecamatan {self.code!r} tidak berbentuk 64.02.06")
        if self.bps_code and not re.fullmatch(r"\d{7}", self.bps_code):
            raise _refuse(f"kode BPS {self.bps_code!r} harus 7 angka")
        if not self.name:
            raise _refuse("nama kecamatan kosong")
        return self


class VillageRow(FileModel):
    """A row of villages.tsv; Kemendagri numbering: 1xxx kelurahan, 2xxx desa."""

    code: str
    name: str

    @model_validator(mode="after")
    def _code(self) -> VillageRow:
        if not re.fullmatch(r"\d{2}\.\d{2}\.\d{2}\.[12]\d{3}", self.code):
            raise _refuse(f"kode desa/kelurahan {self.code!r} tidak berbentuk 64.02.06.1001")
        if not self.name:
            raise _refuse("nama desa/kelurahan kosong")
        return self

    @property
    def district(self) -> str:
        return self.code[:8]

    @property
    def kind(self) -> str:
        return Village.Kind.KELURAHAN if self.code[9] == "1" else Village.Kind.DESA


class HolidayRow(FileModel):
    """A row of holidays.tsv."""

    date: str
    name: str
    collective: str

    @model_validator(mode="after")
    def _values(self) -> HolidayRow:
        try:
            dt.date.fromisoformat(self.date)
        except ValueError:
            raise _refuse(f"tanggal {self.date!r} tidak sah (YYYY-MM-DD)") from None
        if self.collective not in {"ya", "tidak"}:
            raise _refuse(f"kolom collective harus 'ya' atau 'tidak', bukan {self.collective!r}")
        return self

    @property
    def day(self) -> dt.date:
        return dt.date.fromisoformat(self.date)


# --- rollout.yaml (optional): the Mini MPP rollout's template -------------------------------


def _as_day(value: Any, info: ValidationInfo) -> Any:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    raise _refuse(f"'{info.field_name}' harus tanggal YYYY-MM-DD")


METAPERS_SCENARIOS = (METAPERS_SCENARIO,)  # the training scenarios Metapers runs
Day = Annotated[dt.date, BeforeValidator(_as_day)]
Flag = Annotated[bool, BeforeValidator(_as_flag)]


class RolloutPlanEntry(FileModel):
    """rollout.yaml's `plan`."""

    target_date: Day
    training_required_to_open: Flag = False


class AgencyEntry(FileModel):
    """An item of rollout.yaml's `agencies`: who owns readiness items."""

    code: Slug
    name: Text
    short_name: Text
    kind: Annotated[str, BeforeValidator(_choice(list(Agency.Kind.values)))] = "office"
    manages_staff: Flag = False


class ChecklistEntry(FileModel):
    """An item of rollout.yaml's `checklist`: one readiness item every Mini MPP needs."""

    code: Slug
    title: Text
    description: OptionalText = ""
    owner: Slug
    mandatory: Flag = True
    evidence: Annotated[str, BeforeValidator(_choice(list(Evidence.values)))]
    due: Day


class TrainingEntry(FileModel):
    """An item of rollout.yaml's `training`: a module of the operator curriculum."""

    code: Slug
    title: Text
    description: OptionalText = ""
    hours: Annotated[int, BeforeValidator(_as_whole(1, 80))]
    pass_mark: Annotated[int, BeforeValidator(_as_whole(0, 100))]
    required_to_open_counter: Flag = True
    for_front_desk_only: Flag = False
    metapers_scenario: OptionalText = ""


class _RolloutFile(FileModel):
    """rollout.yaml: the plan, then lists checked item by item."""

    plan: Any
    agencies: list[Any]
    checklist: list[Any]
    training: list[Any] = Field(default_factory=list)


# --- refusals ----------------------------------------------------------------------------------

_BUILT_IN = {
    "missing": "'{key}' wajib diisi",
    "extra_forbidden": "kunci tidak dikenal: {key}",
    "model_type": "'{key}' harus berupa pemetaan (key: value)",
    "dict_type": "'{key}' harus berupa pemetaan (key: value)",
    "list_type": "'{key}' harus berupa daftar",
    "string_type": "'{key}' harus berupa teks",
    "int_type": "'{key}' harus bilangan bulat",
    "bool_type": "'{key}' harus true atau false",
}


def _message(error: Any) -> str:
    """An Indonesian message for one pydantic error: ours as written, pydantic's translated."""
    if error["type"] == "region":
        return str(error["ctx"]["message"])
    key = next((str(p) for p in reversed(error["loc"]) if isinstance(p, str)), "?")
    return _BUILT_IN.get(error["type"], "'{key}' tidak sah").format(key=key)


# --- the reader ------------------------------------------------------------------------------


class Reader:
    """Reads the files of one package, collecting every problem so one run reports all of them."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.base = root.parents[2]  # mpp/regions/kukar/… is shown from the checkout
        self.problems: list[str] = []
        # Where each object is defined, to name it if it collides with another region's.
        self.places: dict[tuple[str, str], Where] = {}
        # Objects whose own definition was refused: what refers to them says nothing more.
        self.broken: set[tuple[str, str]] = set()

    def where(self, path: Path, line: int) -> Where:
        return Where(path, line, self.base)

    def problem(self, where: Where, message: str) -> None:
        text = f"{where}: {message}"
        if text not in self.problems:  # a union or a before-validator may say it twice
            self.problems.append(text)

    def yaml(self, name: str) -> tuple[Path, Any, dict[Loc, int]]:
        """The file's data and lines; (path, None, {}) when it is missing or not YAML."""
        path = self.root / name
        if not path.is_file():
            self.problem(self.where(path, 0), "berkas tidak ada")
            return path, None, {}
        try:
            data, lines = yaml_with_lines(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark is not None else 0
            self.problem(self.where(path, line), f"YAML tidak sah: {getattr(exc, 'problem', exc)}")
            return path, None, {}
        except UnicodeDecodeError:
            self.problem(self.where(path, 0), "berkas bukan UTF-8")
            return path, None, {}
        return path, data, lines

    def model(
        self, model: type[M], data: Any, path: Path, lines: dict[Loc, int], at: Loc = ()
    ) -> M | None:
        """`data` (found at `at` in the file) as `model`, or None with each problem noted."""
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            for error in exc.errors():
                loc = (*at, *error["loc"])
                self.problem(self.where(path, line_of(lines, loc)), _message(error))
            return None

    def tsv(self, name: str, model: type[M]) -> Iterator[tuple[Where, M]]:
        """Rows of a tab-separated file with a header row as `model`; # lines are comments."""
        path = self.root / name
        if not path.is_file():
            self.problem(self.where(path, 0), "berkas tidak ada")
            return
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            self.problem(self.where(path, 0), "berkas bukan UTF-8")
            return
        columns = list(model.model_fields)
        header: list[str] | None = None
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip() or line.startswith("#"):
                continue
            cells = next(csv.reader([line], delimiter="\t"))
            where = self.where(path, number)
            if header is None:
                header = cells
                missing = [c for c in columns if c not in header]
                if missing:
                    self.problem(where, f"kolom tidak ada: {', '.join(missing)}")
                    return
                continue
            if len(cells) != len(header):
                self.problem(where, f"{len(cells)} kolom, seharusnya {len(header)}")
                continue
            values = dict(zip(header, (c.strip() for c in cells), strict=True))
            row = self.model(model, {c: values[c] for c in columns}, path, {(): number})
            if row is not None:
                yield where, row


# --- the package ------------------------------------------------------------------------------


@dataclass
class Package:
    """What the files say, checked, in the shapes the writing half (loader.py) stores."""

    region: dict[str, Any]
    districts: list[dict[str, Any]] = field(default_factory=list)
    villages: list[dict[str, Any]] = field(default_factory=list)
    holidays: list[dict[str, Any]] = field(default_factory=list)
    malls: list[dict[str, Any]] = field(default_factory=list)
    tenants: list[dict[str, Any]] = field(default_factory=list)
    services: list[dict[str, Any]] = field(default_factory=list)
    # rollout.yaml, optional: None when the package has no Mini MPP rollout template.
    rollout: dict[str, Any] | None = None
    places: dict[tuple[str, str], Where] = field(default_factory=dict)


def read_package(root: Path) -> Package:
    """Read and check every file of a data package; raise RegionDataError listing all problems."""
    r = Reader(root)
    pkg = Package(region=_read_region(r))
    pkg.districts = _read_districts(r)
    district_codes = {d["code"] for d in pkg.districts}
    pkg.villages = _read_villages(r, district_codes)
    pkg.holidays = _read_holidays(r)
    hours = _read_hours(r)
    pkg.tenants = _read_tenants(r)
    pkg.services = _read_services(r, {t["slug"] for t in pkg.tenants})
    pkg.malls = _read_malls(r, district_codes, hours)
    if (r.root / "rollout.yaml").exists():
        pkg.rollout = _read_rollout(r)
    if r.problems:
        raise RegionDataError(r.problems)
    pkg.places = r.places
    return pkg


def _read_region(r: Reader) -> dict[str, Any]:
    path, data, lines = r.yaml("region.yaml")
    if not isinstance(data, dict):
        if data is not None:
            r.problem(r.where(path, 1), "isi region.yaml harus berupa pemetaan (key: value)")
        return {"data_version": "", "slug": "", "kemendagri_code": ""}
    region = r.model(RegionFile, data, path, lines)
    if region is None:
        return {"data_version": "", "slug": "", "kemendagri_code": ""}
    if region.slug != r.root.name:
        r.problem(
            r.where(path, line_of(lines, ("slug",))),
            f"slug harus sama dengan nama folder ({r.root.name})",
        )
    return region.model_dump()


def _read_districts(r: Reader) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for where, row in r.tsv("districts.tsv", DistrictRow):
        if row.code in seen:
            r.problem(where, f"kode kecamatan {row.code} ganda")
            continue
        seen.add(row.code)
        r.places[("district", row.code)] = where
        out.append(row.model_dump())
    return out


def _read_villages(r: Reader, district_codes: set[str]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for where, row in r.tsv("villages.tsv", VillageRow):
        if row.district not in district_codes:
            r.problem(where, f"kecamatan {row.district} dari {row.code} tidak ada di districts.tsv")
            continue
        if row.code in seen:
            r.problem(where, f"kode {row.code} ganda")
            continue
        seen.add(row.code)
        out.append({"code": row.code, "name": row.name, "kind": row.kind, "district": row.district})
    return out


def _read_holidays(r: Reader) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    seen: set[dt.date] = set()
    for where, row in r.tsv("holidays.tsv", HolidayRow):
        if row.day in seen:
            r.problem(where, f"tanggal {row.day} ganda")
            continue
        seen.add(row.day)
        out.append({"date": row.day, "name": row.name, "collective": row.collective == "ya"})
    return out


def _read_hours(r: Reader) -> dict[str, list[dict[str, Any]]]:
    path, data, lines = r.yaml("hours.yaml")
    profiles: dict[str, list[dict[str, Any]]] = {}
    if not isinstance(data, dict):
        if data is not None:
            r.problem(r.where(path, 1), "hours.yaml harus berupa pemetaan nama profil → hari")
        return profiles
    for name, days in data.items():
        if not isinstance(days, dict):
            r.problem(
                r.where(path, line_of(lines, (name,))),
                f"profil {name!r} harus berupa pemetaan hari",
            )
            continue
        rows = []
        for day_name, spec in days.items():
            where = r.where(path, line_of(lines, (name, day_name)))
            if day_name not in wd.DATA_NAMES:
                r.problem(
                    where, f"hari {day_name!r} tidak dikenal; pakai: {', '.join(wd.DATA_NAMES)}"
                )
                continue
            day = r.model(DayHours, spec, path, lines, (name, day_name))
            if day is None:
                continue
            brk: list[dt.time | None] = [*day.break_] if day.break_ else [None, None]
            row = {
                "weekday": wd.DATA_NAMES[day_name],
                "opens": day.opens,
                "closes": day.closes,
                "break_starts": brk[0],
                "break_ends": brk[1],
                "last_ticket_at": day.last_ticket,
            }
            try:
                OpeningHours(**row).clean()
            except DjangoValidationError as exc:
                r.problem(where, "; ".join(m for ms in exc.message_dict.values() for m in ms))
                continue
            rows.append(row)
        profiles[name] = rows
    return profiles


def _read_tenants(r: Reader) -> list[dict[str, Any]]:
    path, data, lines = r.yaml("tenants.yaml")
    if not isinstance(data, list):
        if data is not None:
            r.problem(r.where(path, 1), "tenants.yaml harus berupa daftar instansi")
        return []
    out, seen = [], set()
    for order, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            r.problem(
                r.where(path, line_of(lines, (order - 1,))), f"butir ke-{order} bukan pemetaan"
            )
            continue
        tenant = r.model(TenantEntry, item, path, lines, (order - 1,))
        if tenant is None:
            # Its services are checked still, without "no such tenant" besides its own problem.
            r.broken.add(("tenant", str(item.get("slug"))))
            continue
        slug_at = r.where(path, line_of(lines, (order - 1, "slug")))
        if tenant.slug in seen:
            r.problem(slug_at, f"slug instansi {tenant.slug!r} ganda")
        seen.add(tenant.slug)
        r.places[("tenant", tenant.slug)] = slug_at
        values = {**tenant.model_dump(), "sort_order": order}
        _check_lengths(r, values, Tenant, r.where(path, line_of(lines, (order - 1,))))
        out.append(values)
    return out


class _ServicesFile(FileModel):
    """services/<tenant>.yaml: the tenant and its services (checked one by one)."""

    tenant: Text
    services: list[Any]


def _read_services(r: Reader, tenant_slugs: set[str]) -> list[dict[str, Any]]:
    folder = r.root / "services"
    if not folder.is_dir():
        r.problem(r.where(folder, 0), "folder services/ tidak ada")
        return []
    out: list[dict[str, Any]] = []
    seen: dict[str, Where] = {}
    for file in sorted(folder.glob("*.yaml")):
        path, data, lines = r.yaml(f"services/{file.name}")
        if data is None:
            continue
        if not isinstance(data, dict) or not isinstance(data.get("services"), list):
            r.problem(
                r.where(path, 1), "berkas layanan harus berisi 'tenant' dan daftar 'services'"
            )
            continue
        parsed = r.model(_ServicesFile, data, path, lines)
        if parsed is None:
            continue
        if parsed.tenant not in tenant_slugs and ("tenant", parsed.tenant) not in r.broken:
            r.problem(
                r.where(path, line_of(lines, ("tenant",))),
                f"instansi {parsed.tenant!r} tidak ada di tenants.yaml",
            )
            continue
        for index, item in enumerate(parsed.services):
            at: Loc = ("services", index)
            if not isinstance(item, dict):
                r.problem(r.where(path, line_of(lines, at)), "butir layanan bukan pemetaan")
                continue
            service = r.model(ServiceEntry, item, path, lines, at)
            if service is None:
                continue
            slug_at = r.where(path, line_of(lines, (*at, "slug")))
            if service.slug in seen:
                r.problem(
                    slug_at, f"slug layanan {service.slug!r} sudah dipakai di {seen[service.slug]}"
                )
                continue
            seen[service.slug] = slug_at
            r.places[("service", service.slug)] = slug_at
            values = service.model_dump(exclude={"front_counter"})
            values.update(tenant=parsed.tenant, is_front_counter=service.front_counter)
            try:
                values["duration_value"], values["duration_unit"] = durations.resolve(
                    service.duration, service.duration_value, service.duration_unit
                )
            except durations.DurationError as exc:
                r.problem(
                    r.where(path, line_of(lines, (*at, "duration"))),
                    f"layanan {service.slug!r}: {exc}",
                )
                continue
            _check_lengths(r, values, Service, r.where(path, line_of(lines, at)))
            out.append(values)
    return out


def _check_lengths(r: Reader, values: dict[str, Any], model: type[Model], where: Where) -> None:
    """The database's column limits, refused here with the file's line rather than at the write."""
    for name, value in values.items():
        if not isinstance(value, str):
            continue
        try:
            f = model._meta.get_field(name)
        except FieldDoesNotExist:  # keys that are not model fields
            continue
        max_length = getattr(f, "max_length", None)
        if max_length and len(value) > max_length:
            r.problem(where, f"'{name}' terlalu panjang ({len(value)} > {max_length} karakter)")


def _read_malls(
    r: Reader, district_codes: set[str], hours: dict[str, list]
) -> list[dict[str, Any]]:
    path, data, lines = r.yaml("malls.yaml")
    if not isinstance(data, list):
        if data is not None:
            r.problem(r.where(path, 1), "malls.yaml harus berupa daftar mal")
        return []
    out, seen_slugs, mini_districts = [], set(), set()
    for index, item in enumerate(data):
        where = r.where(path, line_of(lines, (index,)))
        if not isinstance(item, dict):
            r.problem(where, "butir mal bukan pemetaan")
            continue
        mall = r.model(MallEntry, item, path, lines, (index,))
        if mall is None:
            continue

        def at(key: str, index: int = index) -> Where:
            return r.where(path, line_of(lines, (index, key)))

        if mall.slug in seen_slugs:
            r.problem(at("slug"), f"slug mal {mall.slug!r} ganda")
        seen_slugs.add(mall.slug)
        if mall.district not in district_codes:
            r.problem(at("district"), f"kecamatan {mall.district} tidak ada di districts.tsv")
        if mall.kind == Mall.Kind.MINI_MPP:
            if mall.district in mini_districts:
                r.problem(where, f"kecamatan {mall.district} sudah punya Mini MPP")
            mini_districts.add(mall.district)
        if mall.hours not in hours:
            r.problem(at("hours"), f"profil jam {mall.hours!r} tidak ada di hours.yaml")
        r.places[("mall", mall.slug)] = at("slug")
        values = mall.model_dump(exclude={"colors", "hours", "tenants", "services", "queues"})
        values.update(
            color_primary=mall.colors[0],
            color_secondary=mall.colors[1],
            hours=hours.get(mall.hours, []),
            tenants_scope=mall.tenants,
            services_scope=mall.services,
            # Defaults: a queue per tenant at an MPP, one front-counter queue at a Mini MPP.
            queues=mall.queues or ("single" if mall.kind == Mall.Kind.MINI_MPP else "per_tenant"),
        )
        _check_lengths(r, values, Mall, where)
        out.append(values)
    return out


def _read_rollout(r: Reader) -> dict[str, Any] | None:
    """rollout.yaml: {plan, agencies, checklist, training}, or None when it is broken (each
    problem noted). Owners must be agencies of the file; due dates fall on or before the plan's
    target date (a Mini MPP is ready by then: an item due later cannot be part of readiness)."""
    path, data, lines = r.yaml("rollout.yaml")
    if data is None:
        return None
    if not isinstance(data, dict):
        r.problem(r.where(path, 1), "rollout.yaml harus berupa pemetaan (plan, agencies, …)")
        return None
    parsed = r.model(_RolloutFile, data, path, lines)
    if parsed is None:
        return None
    before = len(r.problems)
    plan = r.model(RolloutPlanEntry, parsed.plan, path, lines, ("plan",))

    def items(key: str, model: type[M]) -> Iterator[tuple[Loc, M]]:
        seen: dict[str, Where] = {}
        for index, item in enumerate(getattr(parsed, key)):
            at: Loc = (key, index)
            if not isinstance(item, dict):
                r.problem(r.where(path, line_of(lines, at)), f"butir ke-{index + 1} bukan pemetaan")
                continue
            entry = r.model(model, item, path, lines, at)
            if entry is None:
                continue
            code = getattr(entry, "code")  # noqa: B009 - every item model has one
            code_at = r.where(path, line_of(lines, (*at, "code")))
            if code in seen:
                r.problem(code_at, f"kode {code!r} ganda (sudah di {seen[code]})")
                continue
            seen[code] = code_at
            r.places[(key, code)] = code_at
            yield at, entry

    agencies = []
    for at, agency in items("agencies", AgencyEntry):
        values = agency.model_dump()
        _check_lengths(r, values, Agency, r.where(path, line_of(lines, at)))
        agencies.append(values)
    codes = {a["code"] for a in agencies}
    broken_agencies = {
        str(item.get("code")) for item in parsed.agencies if isinstance(item, dict)
    } - codes
    checklist = []
    for order, (at, item) in enumerate(items("checklist", ChecklistEntry), start=1):
        if item.owner not in codes and item.owner not in broken_agencies:
            r.problem(
                r.where(path, line_of(lines, (*at, "owner"))),
                f"pemilik {item.owner!r} tidak ada di agencies; "
                f"pilihan: {', '.join(sorted(codes))}",
            )
        if plan is not None and item.due > plan.target_date:
            r.problem(
                r.where(path, line_of(lines, (*at, "due"))),
                f"tenggat {item.due:%Y-%m-%d} melewati target {plan.target_date:%Y-%m-%d}",
            )
        values = {**item.model_dump(exclude={"due"}), "due_date": item.due, "order": order}
        _check_lengths(r, values, ChecklistTemplateItem, r.where(path, line_of(lines, at)))
        checklist.append(values)
    training = []
    for order, (at, module) in enumerate(items("training", TrainingEntry), start=1):
        if module.metapers_scenario and module.metapers_scenario not in METAPERS_SCENARIOS:
            r.problem(
                r.where(path, line_of(lines, (*at, "metapers_scenario"))),
                f"skenario Metapers {module.metapers_scenario!r} tidak dikenal; "
                f"pilihan: {', '.join(METAPERS_SCENARIOS)}",
            )
        values = {**module.model_dump(), "order": order}
        _check_lengths(r, values, TrainingModule, r.where(path, line_of(lines, at)))
        training.append(values)
    if plan is None or len(r.problems) > before:
        return None
    return {
        "plan": plan.model_dump(),
        "agencies": agencies,
        "checklist": checklist,
        "training": training,
    }
