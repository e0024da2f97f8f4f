"""Load a region data package (mpp/regions/<slug>/) into the database, all or nothing.

The files are read and checked completely before anything is written; every problem names its
file and line. Writing happens in one transaction keyed on natural keys (codes and slugs), so a
second load of the same files changes nothing, and a changed file changes only what it says.
What staff changed since the last load (an offering withdrawn, a counter reassigned, hours
edited in the admin) is kept and reported, never silently reverted (merge.py).
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from mpp.catalog.models import MallService, MallTenant, Service, Tenant
from mpp.catalog.search import index_text
from mpp.core import refcache
from mpp.core import weekdays as wd
from mpp.malls.models import District, Holiday, Mall, OpeningHours, Region, Village
from mpp.queueing.models import Counter, Queue, QueueSettings
from mpp.regions.merge import Kept, Merge

REGIONS_DIR = Path(__file__).resolve().parent
_LINE = "__line__"
_KEY_LINES = "__key_lines__"
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class RegionDataError(Exception):
    """The data package is broken; `problems` lists "file:line: message" strings."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class LoadReport:
    """What a load did: counts per kind of row, each change of a reload in words (each is an
    audit entry too), and the staff decisions it kept (conflicts among them)."""

    region: str
    data_version: str = ""
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    deleted: dict[str, int] = field(default_factory=dict)
    totals: dict[str, int] = field(default_factory=dict)
    changes: list[str] = field(default_factory=list)
    kept: list[Kept] = field(default_factory=list)

    @property
    def conflicts(self) -> list[Kept]:
        return [k for k in self.kept if k.conflict]

    def count(self, bucket: str, kind: str, n: int = 1) -> None:
        target = getattr(self, bucket)
        target[kind] = target.get(kind, 0) + n

    @property
    def changed(self) -> bool:
        return (
            any(self.created.values()) or any(self.updated.values()) or any(self.deleted.values())
        )


# --- reading ----------------------------------------------------------------------------------


class _LineLoader(yaml.SafeLoader):
    """A safe YAML loader that remembers the line of every mapping and of each of its keys."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    mapping = yaml.SafeLoader.construct_mapping(loader, node, deep=deep)
    mapping[_LINE] = node.start_mark.line + 1
    mapping[_KEY_LINES] = {
        key_node.value: key_node.start_mark.line + 1 for key_node, _ in node.value
    }
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


@dataclass
class Where:
    """A position in a data file, for error messages."""

    path: Path
    line: int

    def __str__(self) -> str:
        try:
            shown = self.path.relative_to(REGIONS_DIR.parent.parent)
        except ValueError:
            shown = self.path
        return f"{shown}:{self.line}"


class Reader:
    """Collects problems while the files are read, so one run reports all of them."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[str] = []
        # Where each object is defined, to name it if it collides with another region's.
        self.places: dict[tuple[str, str], Where] = {}

    def problem(self, where: Where, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def yaml(self, name: str) -> Any:
        path = self.root / name
        if not path.is_file():
            self.problem(Where(path, 0), "berkas tidak ada")
            return None
        try:
            return yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark is not None else 0
            self.problem(Where(path, line), f"YAML tidak sah: {getattr(exc, 'problem', exc)}")
            return None
        except UnicodeDecodeError:
            self.problem(Where(path, 0), "berkas bukan UTF-8")
            return None

    def tsv(self, name: str, columns: list[str]) -> Iterator[tuple[Where, dict[str, str]]]:
        """Rows of a tab-separated file with a header row; lines starting with # are comments."""
        path = self.root / name
        if not path.is_file():
            self.problem(Where(path, 0), "berkas tidak ada")
            return
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            self.problem(Where(path, 0), "berkas bukan UTF-8")
            return
        header: list[str] | None = None
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip() or line.startswith("#"):
                continue
            cells = next(csv.reader([line], delimiter="\t"))
            where = Where(path, number)
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
            yield where, dict(zip(header, (c.strip() for c in cells), strict=True))

    # typed fields of a YAML mapping -------------------------------------------------------------

    def at(self, path: Path, item: dict, key: str | None = None) -> Where:
        if key is not None and key in item.get(_KEY_LINES, {}):
            return Where(path, item[_KEY_LINES][key])
        return Where(path, item.get(_LINE, 0))

    def text(self, path: Path, item: dict, key: str, *, required: bool = True) -> str:
        value = item.get(key)
        if value is None or value == "":
            if required:
                self.problem(self.at(path, item), f"'{key}' wajib diisi")
            return ""
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            self.problem(self.at(path, item, key), f"'{key}' harus berupa teks")
            return ""
        return str(value).strip()

    def text_list(self, path: Path, item: dict, key: str, *, minimum: int = 1) -> list[str]:
        value = item.get(key)
        if not isinstance(value, list) or len(value) < minimum:
            self.problem(
                self.at(path, item, key),
                f"'{key}' harus berupa daftar berisi minimal {minimum} butir",
            )
            return []
        out = []
        for entry in value:
            if not isinstance(entry, str) or not entry.strip():
                self.problem(self.at(path, item, key), f"'{key}' berisi butir yang bukan teks")
                return []
            out.append(entry.strip())
        return out

    def choice(self, path: Path, item: dict, key: str, choices: list[str]) -> str:
        value = self.text(path, item, key)
        if value and value not in choices:
            self.problem(
                self.at(path, item, key),
                f"'{key}' bernilai {value!r}; pilihan: {', '.join(choices)}",
            )
            return ""
        return value


def _time(value: object) -> dt.time | None:
    if isinstance(value, str) and _TIME.match(value):
        return dt.time.fromisoformat(value)
    return None


# --- parsed package -------------------------------------------------------------------------


@dataclass
class Package:
    region: dict[str, Any]
    districts: list[dict[str, Any]] = field(default_factory=list)
    villages: list[dict[str, Any]] = field(default_factory=list)
    holidays: list[dict[str, Any]] = field(default_factory=list)
    malls: list[dict[str, Any]] = field(default_factory=list)
    tenants: list[dict[str, Any]] = field(default_factory=list)
    services: list[dict[str, Any]] = field(default_factory=list)
    places: dict[tuple[str, str], Where] = field(default_factory=dict)


def region_dir(slug: str) -> Path:
    if not re.fullmatch(r"[a-z0-9_-]+", slug):
        raise RegionDataError([f"nama paket wilayah tidak sah: {slug!r}"])
    path = REGIONS_DIR / slug
    if not (path / "region.yaml").is_file():
        known = sorted(p.name for p in REGIONS_DIR.iterdir() if (p / "region.yaml").is_file())
        raise RegionDataError(
            [f"paket wilayah {slug!r} tidak ada di {REGIONS_DIR}; tersedia: {', '.join(known)}"]
        )
    return path


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
    if r.problems:
        raise RegionDataError(r.problems)
    pkg.places = r.places
    return pkg


def _read_region(r: Reader) -> dict[str, Any]:
    path = r.root / "region.yaml"
    data = r.yaml("region.yaml")
    if not isinstance(data, dict):
        if data is not None:
            r.problem(Where(path, 1), "isi region.yaml harus berupa pemetaan (key: value)")
        return {}
    region = {
        key: r.text(path, data, key)
        for key in (
            "slug",
            "name",
            "short_name",
            "province",
            "kemendagri_code",
            "bps_code",
            "seat",
            "timezone",
        )
    }
    region["data_version"] = r.text(path, data, "data_version", required=False)
    if region["slug"] and region["slug"] != r.root.name:
        r.problem(r.at(path, data, "slug"), f"slug harus sama dengan nama folder ({r.root.name})")
    return region


def _read_districts(r: Reader) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for where, row in r.tsv("districts.tsv", ["code", "bps_code", "name", "seat"]):
        if not re.fullmatch(r"\d{2}\.\d{2}\.\d{2}", row["code"]):
            r.problem(where, f"kode kecamatan {row['code']!r} tidak berbentuk 64.02.06")
            continue
        if row["bps_code"] and not re.fullmatch(r"\d{7}", row["bps_code"]):
            r.problem(where, f"kode BPS {row['bps_code']!r} harus 7 angka")
            continue
        if not row["name"]:
            r.problem(where, "nama kecamatan kosong")
            continue
        if row["code"] in seen:
            r.problem(where, f"kode kecamatan {row['code']} ganda")
            continue
        seen.add(row["code"])
        r.places[("district", row["code"])] = where
        out.append(row)
    return out


def _read_villages(r: Reader, district_codes: set[str]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for where, row in r.tsv("villages.tsv", ["code", "name"]):
        code = row["code"]
        if not re.fullmatch(r"\d{2}\.\d{2}\.\d{2}\.[12]\d{3}", code):
            r.problem(where, f"kode desa/kelurahan {code!r} tidak berbentuk 64.02.06.1001")
            continue
        if code[:8] not in district_codes:
            r.problem(where, f"kecamatan {code[:8]} dari {code} tidak ada di districts.tsv")
            continue
        if not row["name"]:
            r.problem(where, "nama desa/kelurahan kosong")
            continue
        if code in seen:
            r.problem(where, f"kode {code} ganda")
            continue
        seen.add(code)
        # Kemendagri numbering: 1xxx kelurahan, 2xxx desa.
        kind = Village.Kind.KELURAHAN if code[9] == "1" else Village.Kind.DESA
        out.append({"code": code, "name": row["name"], "kind": kind, "district": code[:8]})
    return out


def _read_holidays(r: Reader) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    seen: set[dt.date] = set()
    for where, row in r.tsv("holidays.tsv", ["date", "name", "collective"]):
        try:
            day = dt.date.fromisoformat(row["date"])
        except ValueError:
            r.problem(where, f"tanggal {row['date']!r} tidak sah (YYYY-MM-DD)")
            continue
        if row["collective"] not in {"ya", "tidak"}:
            r.problem(
                where, f"kolom collective harus 'ya' atau 'tidak', bukan {row['collective']!r}"
            )
            continue
        if day in seen:
            r.problem(where, f"tanggal {day} ganda")
            continue
        seen.add(day)
        out.append({"date": day, "name": row["name"], "collective": row["collective"] == "ya"})
    return out


def _read_hours(r: Reader) -> dict[str, list[dict[str, Any]]]:
    path = r.root / "hours.yaml"
    data = r.yaml("hours.yaml")
    profiles: dict[str, list[dict[str, Any]]] = {}
    if not isinstance(data, dict):
        if data is not None:
            r.problem(Where(path, 1), "hours.yaml harus berupa pemetaan nama profil → hari")
        return profiles
    for name, days in data.items():
        if name in (_LINE, _KEY_LINES):
            continue
        if not isinstance(days, dict):
            r.problem(r.at(path, data, name), f"profil {name!r} harus berupa pemetaan hari")
            continue
        rows = []
        for day_name, spec in days.items():
            if day_name in (_LINE, _KEY_LINES):
                continue
            where = r.at(path, days, day_name)
            if day_name not in wd.DATA_NAMES:
                r.problem(
                    where, f"hari {day_name!r} tidak dikenal; pakai: {', '.join(wd.DATA_NAMES)}"
                )
                continue
            if not isinstance(spec, dict):
                r.problem(where, "jam harus berupa {open, close, last_ticket, break}")
                continue
            opens, closes = _time(spec.get("open")), _time(spec.get("close"))
            last = _time(spec.get("last_ticket")) if spec.get("last_ticket") else None
            brk = spec.get("break")
            b0 = b1 = None
            if brk is not None:
                if not (isinstance(brk, list) and len(brk) == 2):
                    r.problem(where, "break harus berupa [mulai, selesai]")
                    continue
                b0, b1 = _time(brk[0]), _time(brk[1])
            if (
                opens is None
                or closes is None
                or (spec.get("last_ticket") and last is None)
                or (brk is not None and (b0 is None or b1 is None))
            ):
                r.problem(where, 'jam harus ditulis HH:MM (24 jam), misalnya "08:00"')
                continue
            row = OpeningHours(
                weekday=wd.DATA_NAMES[day_name],
                opens=opens,
                closes=closes,
                break_starts=b0,
                break_ends=b1,
                last_ticket_at=last,
            )
            try:
                row.clean()
            except ValidationError as exc:
                r.problem(where, "; ".join(m for ms in exc.message_dict.values() for m in ms))
                continue
            rows.append(
                {
                    "weekday": row.weekday,
                    "opens": opens,
                    "closes": closes,
                    "break_starts": b0,
                    "break_ends": b1,
                    "last_ticket_at": last,
                }
            )
        profiles[name] = rows
    return profiles


def _days(r: Reader, path: Path, item: dict, key: str) -> str:
    value = item.get(key)
    if not isinstance(value, list) or not value:
        r.problem(
            r.at(path, item, key), f"'{key}' harus berupa daftar hari, misalnya [senin, rabu]"
        )
        return ""
    unknown = [v for v in value if v not in wd.DATA_NAMES]
    if unknown:
        r.problem(r.at(path, item, key), f"hari tidak dikenal: {', '.join(map(str, unknown))}")
        return ""
    return wd.encode([wd.DATA_NAMES[v] for v in value])


def _read_tenants(r: Reader) -> list[dict[str, Any]]:
    path = r.root / "tenants.yaml"
    data = r.yaml("tenants.yaml")
    if not isinstance(data, list):
        if data is not None:
            r.problem(Where(path, 1), "tenants.yaml harus berupa daftar instansi")
        return []
    out, seen = [], set()
    kinds = list(Tenant.Kind.values)
    for order, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            r.problem(Where(path, 0), f"butir ke-{order} bukan pemetaan")
            continue
        slug = r.text(path, item, "slug")
        if slug and not re.fullmatch(r"[a-z0-9-]+", slug):
            r.problem(
                r.at(path, item, "slug"), f"slug {slug!r} hanya boleh huruf kecil, angka, '-'"
            )
        if slug in seen:
            r.problem(r.at(path, item, "slug"), f"slug instansi {slug!r} ganda")
        seen.add(slug)
        r.places[("tenant", slug)] = r.at(path, item, "slug")
        out.append(
            {
                "slug": slug,
                "name": r.text(path, item, "name"),
                "short_name": r.text(path, item, "short_name"),
                "kind": r.choice(path, item, "kind", kinds),
                "service_days": _days(r, path, item, "service_days"),
                "description": r.text(path, item, "description", required=False),
                "complaints": r.text(path, item, "complaints"),
                "pledge": r.text(path, item, "pledge"),
                "sort_order": order,
            }
        )
    return out


_SERVICE_KEYS = {
    "slug",
    "name",
    "keywords",
    "front_counter",
    "requirements",
    "procedure",
    "duration",
    "fee",
    "fee_amount",
    "product",
    "legal_basis",
    "complaints",
}


def _read_services(r: Reader, tenant_slugs: set[str]) -> list[dict[str, Any]]:
    folder = r.root / "services"
    if not folder.is_dir():
        r.problem(Where(folder, 0), "folder services/ tidak ada")
        return []
    out: list[dict[str, Any]] = []
    seen: dict[str, Where] = {}
    for path in sorted(folder.glob("*.yaml")):
        data = r.yaml(f"services/{path.name}")
        if data is None:
            continue
        if not isinstance(data, dict) or not isinstance(data.get("services"), list):
            r.problem(Where(path, 1), "berkas layanan harus berisi 'tenant' dan daftar 'services'")
            continue
        tenant = r.text(path, data, "tenant")
        if tenant and tenant not in tenant_slugs:
            r.problem(r.at(path, data, "tenant"), f"instansi {tenant!r} tidak ada di tenants.yaml")
            continue
        for item in data["services"]:
            if not isinstance(item, dict):
                r.problem(Where(path, 0), "butir layanan bukan pemetaan")
                continue
            unknown = sorted(
                k for k in item if k not in _SERVICE_KEYS and k not in (_LINE, _KEY_LINES)
            )
            if unknown:
                r.problem(
                    r.at(path, item, unknown[0]), f"kunci tidak dikenal: {', '.join(unknown)}"
                )
            slug = r.text(path, item, "slug")
            if slug in seen:
                r.problem(
                    r.at(path, item, "slug"), f"slug layanan {slug!r} sudah dipakai di {seen[slug]}"
                )
                continue
            seen[slug] = r.at(path, item, "slug")
            keywords = item.get("keywords", [])
            if not isinstance(keywords, list) or not all(isinstance(k, str) for k in keywords):
                r.problem(r.at(path, item, "keywords"), "'keywords' harus berupa daftar kata")
                keywords = []
            front = item.get("front_counter")
            if not isinstance(front, bool):
                r.problem(
                    r.at(path, item, "front_counter"), "'front_counter' harus true atau false"
                )
            amount = item.get("fee_amount")
            if amount is not None and (
                not isinstance(amount, int) or isinstance(amount, bool) or amount < 0
            ):
                r.problem(
                    r.at(path, item, "fee_amount"),
                    "'fee_amount' harus bilangan bulat rupiah ≥ 0, atau null bila bervariasi",
                )
                amount = None
            service = {
                "tenant": tenant,
                "slug": slug,
                "name": r.text(path, item, "name"),
                "keywords": ", ".join(k.strip() for k in keywords if k.strip()),
                "is_front_counter": front is True,
                "requirements": r.text_list(path, item, "requirements"),
                "procedure": r.text_list(path, item, "procedure"),
                "duration": r.text(path, item, "duration"),
                "fee": r.text(path, item, "fee"),
                "fee_amount": amount,
                "product": r.text(path, item, "product"),
                "legal_basis": r.text_list(path, item, "legal_basis"),
                "complaints": r.text(path, item, "complaints", required=False),
            }
            where = r.at(path, item)
            r.places[("service", slug)] = r.at(path, item, "slug")
            _check_lengths(r, service, Service, where)
            out.append(service)
    return out


def _check_lengths(r: Reader, values: dict[str, Any], model: type[Model], where: Where) -> None:
    for name, value in values.items():
        if not isinstance(value, str):
            continue
        try:
            f = model._meta.get_field(name)
        except Exception:  # noqa: S112 - keys that are not model fields
            continue
        max_length = getattr(f, "max_length", None)
        if max_length and len(value) > max_length:
            r.problem(where, f"'{name}' terlalu panjang ({len(value)} > {max_length} karakter)")


def _counters(r: Reader, path: Path, item: dict) -> int | dict[str, int]:
    """`counters: 2` (front counters) or `counters: {default: 1, disdukcapil: 4}` (per tenant)."""
    value = item.get("counters", 1)
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value <= 99:
        return value
    if isinstance(value, dict):
        counts = {k: v for k, v in value.items() if k not in (_LINE, _KEY_LINES)}
        if all(
            isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 20 for v in counts.values()
        ):
            return counts
    r.problem(
        r.at(path, item, "counters"),
        "'counters' harus jumlah loket (1–99) atau {default: 1, <instansi>: n}",
    )
    return 1


def _read_malls(
    r: Reader, district_codes: set[str], hours: dict[str, list]
) -> list[dict[str, Any]]:
    path = r.root / "malls.yaml"
    data = r.yaml("malls.yaml")
    if not isinstance(data, list):
        if data is not None:
            r.problem(Where(path, 1), "malls.yaml harus berupa daftar mal")
        return []
    out, seen_slugs, mini_districts = [], set(), set()
    for item in data:
        if not isinstance(item, dict):
            r.problem(Where(path, 0), "butir mal bukan pemetaan")
            continue
        where = r.at(path, item)
        slug = r.text(path, item, "slug")
        if slug in seen_slugs:
            r.problem(r.at(path, item, "slug"), f"slug mal {slug!r} ganda")
        seen_slugs.add(slug)
        kind = r.choice(path, item, "kind", list(Mall.Kind.values))
        district = r.text(path, item, "district")
        if district and district not in district_codes:
            r.problem(
                r.at(path, item, "district"), f"kecamatan {district} tidak ada di districts.tsv"
            )
        if kind == Mall.Kind.MINI_MPP:
            if district in mini_districts:
                r.problem(where, f"kecamatan {district} sudah punya Mini MPP")
            mini_districts.add(district)
        opened = item.get("opened_on")
        if opened is not None and not isinstance(opened, dt.date):
            r.problem(r.at(path, item, "opened_on"), "'opened_on' harus tanggal YYYY-MM-DD")
            opened = None
        colors = item.get("colors")
        if not (
            isinstance(colors, list)
            and len(colors) == 2
            and all(isinstance(c, str) and re.fullmatch(r"#[0-9a-fA-F]{6}", c) for c in colors)
        ):
            r.problem(r.at(path, item, "colors"), "'colors' harus dua warna #RRGGBB")
            colors = ["#0b5d3b", "#f2b705"]
        profile = r.text(path, item, "hours")
        if profile and profile not in hours:
            r.problem(r.at(path, item, "hours"), f"profil jam {profile!r} tidak ada di hours.yaml")
        scope = {
            key: r.choice(path, item, key, ["all", "front_counter"])
            for key in ("tenants", "services")
        }
        r.places[("mall", slug)] = r.at(path, item, "slug")
        mall = {
            "slug": slug,
            "kind": kind,
            "district": district,
            "name": r.text(path, item, "name"),
            "short_name": r.text(path, item, "short_name"),
            "status": r.choice(path, item, "status", list(Mall.Status.values)),
            "opened_on": opened,
            "address": r.text(path, item, "address"),
            "paten_room": r.text(path, item, "paten_room", required=kind == Mall.Kind.MINI_MPP),
            "tagline": r.text(path, item, "tagline", required=False),
            "color_primary": colors[0],
            "color_secondary": colors[1],
            "hours": hours.get(profile, []),
            "tenants_scope": scope["tenants"],
            "services_scope": scope["services"],
            # Defaults: a queue per tenant at an MPP, one front-counter queue at a Mini MPP.
            "queues": r.choice(path, item, "queues", ["per_tenant", "single"])
            if "queues" in item
            else ("single" if kind == Mall.Kind.MINI_MPP else "per_tenant"),
            "counters": _counters(r, path, item),
        }
        _check_lengths(r, mall, Mall, where)
        out.append(mall)
    return out


# --- writing --------------------------------------------------------------------------------


def _apply(
    merge: Merge,
    report: LoadReport,
    kind: str,
    key: str,
    model: type[Model],
    lookup: dict[str, Any],
    values: dict[str, Any],
    obj: Model | None,
    *,
    m2m: dict[str, list[Model]] | None = None,
    mall_id: int | None = None,
    required: bool = False,
    withdrawn: bool = False,
) -> Any:
    """Create or update one row the files define, keeping what staff changed since the last
    load (merge.py); count and audit only real changes. `required` rows (the region, its
    kecamatan, tenants, services, malls, queues: the rest hangs on them) are created again
    even when staff deleted them, and that is reported as a conflict."""
    label = _LABELS[kind]
    sets = {name: sorted(o.pk for o in objs) for name, objs in (m2m or {}).items()}
    current = (
        {name: sorted(getattr(obj, name).values_list("pk", flat=True)) for name in sets}
        if obj is not None
        else None
    )
    decided = merge.row(
        kind,
        key,
        obj,
        {**values, **sets},
        label=label,
        mall_id=mall_id,
        current=current,
        withdrawn=withdrawn,
        required=required,
    )
    if decided is None:
        return None
    if obj is None:
        obj = model._default_manager.create(**lookup, **values)
        for name, objs in (m2m or {}).items():
            getattr(obj, name).set(objs)
        report.count("created", kind)
        merge.created(kind, key, obj, label=label, mall_id=mall_id)
        return obj
    assert decided is not None
    plain = {name: v for name, v in decided.items() if name not in sets}
    if plain or len(decided) > len(plain):
        before = {name: getattr(obj, name) for name in plain}
        before.update({name: current[name] for name in decided if name in sets})  # type: ignore[index]
        for name, value in plain.items():
            setattr(obj, name, value)
        if plain:
            obj.save(update_fields=list(plain))
        for name in decided:
            if name in sets:
                getattr(obj, name).set((m2m or {})[name])
        report.count("updated", kind)
        merge.updated(kind, key, obj, before, decided, label=label, mall_id=mall_id)
    return obj


def _sync(
    merge: Merge,
    report: LoadReport,
    kind: str,
    key: str,
    model: type[Model],
    lookup: dict[str, Any],
    values: dict[str, Any],
    **options: Any,
) -> Any:
    """`_apply` to the row found by its natural key."""
    obj = model._default_manager.filter(**lookup).first()
    return _apply(merge, report, kind, key, model, lookup, values, obj, **options)


def _remove_stale(
    merge: Merge,
    report: LoadReport,
    kind: str,
    rows: Mapping[str, Model],
    *,
    mall_id: int | None = None,
) -> None:
    """Delete the rows the files no longer define, unless staff added or changed them."""
    for key, obj in rows.items():
        if merge.stale(kind, key, obj, label=_LABELS[kind], mall_id=mall_id):
            merge.deleted(kind, key, obj, label=_LABELS[kind], mall_id=mall_id)
            obj.delete()
            report.count("deleted", kind)


_LABELS = {
    "region": "wilayah",
    "district": "kecamatan",
    "village": "desa/kelurahan",
    "holiday": "hari libur",
    "tenant": "instansi",
    "service": "layanan",
    "mall": "mal",
    "opening_hours": "jam layanan",
    "mall_service": "layanan mal",
    "mall_tenant": "instansi mal",
    "queue": "antrean",
    "counter": "loket",
}


def load_region(slug: str) -> LoadReport:
    """Load the data package `slug` into the database in one transaction; see module docstring.
    Rows staff changed since the last load keep the staff's values (merge.py)."""
    pkg = read_package(region_dir(slug))
    report = LoadReport(region=slug, data_version=pkg.region["data_version"])
    with transaction.atomic():
        merge = Merge.start(slug, pkg.region["data_version"])
        region = _write(pkg, report, merge)
        report.changes = merge.changes
        report.kept = merge.kept
        merge.finish(
            region,
            {"created": report.created, "updated": report.updated, "deleted": report.deleted},
        )
        # Some writes (offerings) are bulk ones that send no signals: drop what processes keep.
        refcache.invalidate()
    return report


def _check_other_regions(pkg: Package) -> None:
    """Codes and slugs are identifiers across the deployment (URLs use them): a package may not
    take one that another region's data already holds."""
    slug = pkg.region["slug"]
    problems = []
    other = Region.objects.exclude(slug=slug).filter(kemendagri_code=pkg.region["kemendagri_code"])
    if other.exists():
        problems.append(
            f"region.yaml: kode Kemendagri {pkg.region['kemendagri_code']} sudah "
            f"dipakai wilayah {other.first()}"
        )
    checks: list[tuple[str, Any, str]] = [
        ("district", District.objects.exclude(region__slug=slug), "code"),
        ("mall", Mall.objects.exclude(region__slug=slug), "slug"),
        ("tenant", Tenant.objects.exclude(region__slug=slug), "slug"),
        ("service", Service.objects.exclude(tenant__region__slug=slug), "slug"),
    ]
    for kind, queryset, key in checks:
        mine = [k for (k_kind, k) in pkg.places if k_kind == kind]
        taken = queryset.filter(**{f"{key}__in": mine}).values_list(key, flat=True)
        for value in sorted(taken):
            problems.append(f"{pkg.places[(kind, value)]}: {value!r} sudah dipakai wilayah lain")
    if problems:
        raise RegionDataError(problems)


def _write(pkg: Package, report: LoadReport, merge: Merge) -> Region:
    _check_other_regions(pkg)
    reg = pkg.region
    region = _sync(
        merge,
        report,
        "region",
        reg["slug"],
        Region,
        {"slug": reg["slug"]},
        {k: v for k, v in reg.items() if k not in ("slug", "data_version")},
        required=True,
    )
    if region.data_version != reg["data_version"]:  # the load's own field, never staff's
        before = {"data_version": region.data_version}
        region.data_version = reg["data_version"]
        region.save(update_fields=["data_version"])
        report.count("updated", "region")
        after = {"data_version": region.data_version}
        merge.updated("region", region.slug, region, before, after, label=_LABELS["region"])

    districts = {}
    for d in pkg.districts:
        districts[d["code"]] = _sync(
            merge,
            report,
            "district",
            d["code"],
            District,
            {"code": d["code"]},
            {"region": region, "bps_code": d["bps_code"], "name": d["name"], "seat": d["seat"]},
            required=True,
        )
    existing_villages = {v.code: v for v in Village.objects.filter(district__region=region)}
    for v in pkg.villages:
        _apply(
            merge,
            report,
            "village",
            v["code"],
            Village,
            {"code": v["code"]},
            {"district_id": districts[v["district"]].pk, "name": v["name"], "kind": v["kind"]},
            existing_villages.pop(v["code"], None),
        )
    _remove_stale(merge, report, "village", existing_villages)

    holidays = {h.date.isoformat(): h for h in Holiday.objects.filter(region=region)}
    for h in pkg.holidays:
        day = h["date"].isoformat()
        _apply(
            merge,
            report,
            "holiday",
            day,
            Holiday,
            {"region": region, "date": h["date"]},
            {"name": h["name"], "is_collective_leave": h["collective"]},
            holidays.pop(day, None),
        )
    _remove_stale(merge, report, "holiday", holidays)

    tenants = {}
    for t in pkg.tenants:
        tenants[t["slug"]] = _sync(
            merge,
            report,
            "tenant",
            t["slug"],
            Tenant,
            {"slug": t["slug"]},
            {"region": region, **{k: v for k, v in t.items() if k != "slug"}},
            required=True,
        )
    services: dict[str, Service] = {}
    for s in pkg.services:
        values = {k: v for k, v in s.items() if k not in ("slug", "tenant")}
        values["tenant"] = tenants[s["tenant"]]
        values["is_active"] = True
        obj = _sync(
            merge, report, "service", s["slug"], Service, {"slug": s["slug"]}, values, required=True
        )
        if obj.search_text != index_text(obj):  # the search pipeline itself has changed
            obj.save(update_fields=["search_text"])
            report.count("updated", "service_index")
        services[s["slug"]] = obj
    # Services that left the data files are withdrawn, not deleted: tickets will refer to them.
    for obj in Service.objects.filter(tenant__region=region, is_active=True).exclude(
        slug__in=list(services)
    ):
        if merge.stale("service", obj.slug, obj, label=_LABELS["service"]):
            obj.is_active = False
            obj.save(update_fields=["is_active"])
            report.count("updated", "service")
            merge.updated(
                "service",
                obj.slug,
                obj,
                {"is_active": True},
                {"is_active": False},
                label=_LABELS["service"],
            )

    for m in pkg.malls:
        _write_mall(pkg, report, merge, region, districts, tenants, services, m)

    report.totals = {
        "kecamatan": District.objects.filter(region=region).count(),
        "desa/kelurahan": Village.objects.filter(district__region=region).count(),
        "mal": Mall.objects.filter(region=region).count(),
        "instansi": Tenant.objects.filter(region=region).count(),
        "layanan": Service.objects.filter(tenant__region=region, is_active=True).count(),
        "hari libur": Holiday.objects.filter(region=region).count(),
    }
    return region


def _write_mall(
    pkg: Package,
    report: LoadReport,
    merge: Merge,
    region: Region,
    districts: dict,
    tenants: dict,
    services: dict,
    m: dict[str, Any],
) -> None:
    values = {
        k: m[k]
        for k in (
            "kind",
            "name",
            "short_name",
            "status",
            "opened_on",
            "address",
            "paten_room",
            "tagline",
            "color_primary",
            "color_secondary",
        )
    }
    values["region"] = region
    values["district"] = districts[m["district"]]
    mall = _sync(merge, report, "mall", m["slug"], Mall, {"slug": m["slug"]}, values, required=True)

    wanted_hours = {h["weekday"]: h for h in m["hours"]}
    hours = {str(h.weekday): h for h in OpeningHours.objects.filter(mall=mall)}
    for weekday, h in wanted_hours.items():
        _apply(
            merge,
            report,
            "opening_hours",
            f"{mall.slug}/{weekday}",
            OpeningHours,
            {"mall": mall, "weekday": weekday},
            {k: v for k, v in h.items() if k != "weekday"},
            hours.pop(str(weekday), None),
            mall_id=mall.pk,
        )
    _remove_stale(
        merge,
        report,
        "opening_hours",
        {f"{mall.slug}/{day}": h for day, h in hours.items()},
        mall_id=mall.pk,
    )

    offered = [s for s in pkg.services if m["services_scope"] == "all" or s["is_front_counter"]]
    offerings = {
        o.service.slug: o for o in MallService.objects.filter(mall=mall).select_related("service")
    }
    new = []
    for s in offered:
        service = services[s["slug"]]
        found = offerings.pop(service.slug, None)
        decided = merge.row(
            "mall_service",
            f"{mall.slug}/{service.slug}",
            found,
            {},
            label=_LABELS["mall_service"],
            mall_id=mall.pk,
            withdrawn=(mall.pk, service.pk) in merge.withdrawn_offerings,
        )
        if found is None and decided is not None:
            new.append(MallService(mall=mall, service=service))
    for offering in MallService.objects.bulk_create(new):
        key = f"{mall.slug}/{offering.service.slug}"
        merge.created("mall_service", key, offering, label=_LABELS["mall_service"], mall_id=mall.pk)
    if new:
        report.count("created", "mall_service", len(new))
    _remove_stale(
        merge,
        report,
        "mall_service",
        {f"{mall.slug}/{slug}": o for slug, o in offerings.items()},
        mall_id=mall.pk,
    )

    if m["tenants_scope"] == "all":
        present = [t["slug"] for t in pkg.tenants]
        days_for = dict.fromkeys(present, "")  # the tenant's own days
    else:
        present = sorted({s["tenant"] for s in offered}, key=lambda slug: tenants[slug].sort_order)
        # Front counters are staffed by the Mini MPP's own operators on every working day.
        mall_days = wd.encode(list(wanted_hours))
        days_for = dict.fromkeys(present, mall_days)
    at_mall = {
        mt.tenant.slug: mt for mt in MallTenant.objects.filter(mall=mall).select_related("tenant")
    }
    for slug in present:
        _apply(
            merge,
            report,
            "mall_tenant",
            f"{mall.slug}/{slug}",
            MallTenant,
            {"mall": mall, "tenant": tenants[slug]},
            {"service_days": days_for[slug]},
            at_mall.pop(slug, None),
            mall_id=mall.pk,
        )
    _remove_stale(
        merge,
        report,
        "mall_tenant",
        {f"{mall.slug}/{slug}": mt for slug, mt in at_mall.items()},
        mall_id=mall.pk,
    )
    _write_queues(report, merge, mall, m, [tenants[slug] for slug in present])


def _letters() -> Iterator[str]:
    """A … Z, then AA, AB …: a mall with more than 26 tenant queues gets two-letter codes."""
    alphabet = [chr(c) for c in range(ord("A"), ord("Z") + 1)]
    yield from alphabet
    for first in alphabet:
        for second in alphabet:
            yield first + second


def _write_queues(
    report: LoadReport, merge: Merge, mall: Mall, m: dict[str, Any], present: list[Tenant]
) -> None:
    """Queues and counters of a mall: one queue per tenant with its own counters, or one queue
    for the front counters of a Mini MPP. Existing counters keep their state and officers, and
    a counter staff reassigned or moved keeps its tenant and queues (merge.py)."""
    plan: list[tuple[str, str, list[Tenant], Tenant | None]]
    if m["queues"] == "single":
        plan = [("A", str(_("Layanan %(m)s") % {"m": mall.short_name}), present, None)]
    else:
        plan = [
            (letter, t.short_name, [t], t) for letter, t in zip(_letters(), present, strict=False)
        ]
    number = 0
    for letter, name, queue_tenants, counter_tenant in plan:
        queue = _sync(
            merge,
            report,
            "queue",
            f"{mall.slug}/{letter}",
            Queue,
            {"mall": mall, "letter": letter},
            {"name": name},
            m2m={"tenants": queue_tenants},
            mall_id=mall.pk,
            required=True,
        )
        spec = m["counters"]
        if isinstance(spec, int):
            count = spec
        else:
            count = spec.get(counter_tenant.slug, spec.get("default", 1)) if counter_tenant else 1
        for _i in range(count):
            number += 1
            _sync(
                merge,
                report,
                "counter",
                f"{mall.slug}/{number}",
                Counter,
                {"mall": mall, "number": number},
                {"tenant": counter_tenant},
                m2m={"queues": [queue]},
                mall_id=mall.pk,
            )
    QueueSettings.objects.get_or_create(mall=mall)
