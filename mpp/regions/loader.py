"""Load a region data package (mpp/regions/<slug>/) into the database, all or nothing.

The files are read and checked completely before anything is written (reading.py: typed models,
every problem with its file and line). Writing happens in one transaction keyed on natural keys
(codes and slugs), so a second load of the same files changes nothing, and a changed file changes
only what it says. What staff changed since the last load (an offering withdrawn, a counter
reassigned, hours edited in the admin) is kept and reported, never silently reverted (merge.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from mpp.catalog.models import MallService, MallTenant, Service, Tenant
from mpp.catalog.search import index_text
from mpp.core import weekdays as wd
from mpp.malls.models import District, Holiday, Mall, OpeningHours, Region, Village
from mpp.queueing.models import Counter, Queue, QueueSettings
from mpp.regions.merge import Kept, Merge
from mpp.regions.reading import Package, RegionDataError, Where, read_package
from mpp.rollout import readiness
from mpp.rollout.models import (
    Agency,
    ChecklistTemplateItem,
    ReadinessItem,
    RolloutPlan,
    TrainingModule,
)

__all__ = ["REGIONS_DIR", "LoadReport", "RegionDataError", "Where", "load_region", "read_package"]

REGIONS_DIR = Path(__file__).resolve().parent


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
    if kind == "service" and _half_a_duration(obj, plain):
        # A value and its unit are one fact (a check constraint): when staff's edit of one half
        # is kept, the files' other half is not written beside it (the kept half is reported).
        decided = {n: v for n, v in decided.items() if n not in _DURATION}
        plain = {n: v for n, v in plain.items() if n not in _DURATION}
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


_DURATION = ("duration_value", "duration_unit")


def _half_a_duration(obj: Model, plain: dict[str, Any]) -> bool:
    """Whether writing `plain` would leave a service with a value but no unit, or the reverse."""
    value = plain.get("duration_value", getattr(obj, "duration_value", None))
    unit = plain.get("duration_unit", getattr(obj, "duration_unit", ""))
    return (value is None) != (unit == "")


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
    "rollout_plan": "rencana Mini MPP",
    "agency": "instansi penanggung jawab",
    "checklist_item": "butir templat kesiapan",
    "training_module": "modul pelatihan",
}


def load_region(slug: str, root: Path | None = None) -> LoadReport:
    """Load the data package `slug` into the database in one transaction; see module docstring.
    Rows staff changed since the last load keep the staff's values (merge.py). `root` is a
    package folder outside mpp/regions/ (a test's synthetic region), named `slug` too."""
    pkg = read_package(root if root is not None else region_dir(slug))
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
    if pkg.rollout is not None:
        _write_rollout(pkg.rollout, report, merge, region)

    report.totals = {
        "kecamatan": District.objects.filter(region=region).count(),
        "desa/kelurahan": Village.objects.filter(district__region=region).count(),
        "mal": Mall.objects.filter(region=region).count(),
        "instansi": Tenant.objects.filter(region=region).count(),
        "layanan": Service.objects.filter(tenant__region=region, is_active=True).count(),
        "hari libur": Holiday.objects.filter(region=region).count(),
    }
    if pkg.rollout is not None:
        report.totals["butir templat kesiapan"] = ChecklistTemplateItem.objects.filter(
            region=region
        ).count()
        report.totals["modul pelatihan"] = TrainingModule.objects.filter(region=region).count()
    return region


def _write_rollout(data: dict[str, Any], report: LoadReport, merge: Merge, region: Region) -> None:
    """rollout.yaml: the plan, the owner agencies, the checklist template and the training
    modules, by code; then every Mini MPP gets the checklist items it lacks
    (rollout.readiness.ensure_items: owner and due date copied from the template)."""
    _sync(
        merge,
        report,
        "rollout_plan",
        region.slug,
        RolloutPlan,
        {"region": region},
        dict(data["plan"]),
    )
    agencies = {a.code: a for a in Agency.objects.filter(region=region)}
    by_code: dict[str, Agency] = {}
    for a in data["agencies"]:
        values = {k: v for k, v in a.items() if k != "code"}
        by_code[a["code"]] = _apply(
            merge,
            report,
            "agency",
            a["code"],
            Agency,
            {"region": region, "code": a["code"]},
            values,
            agencies.pop(a["code"], None),
            required=True,  # items hang on it
        )
    items = {t.code: t for t in ChecklistTemplateItem.objects.filter(region=region)}
    for t in data["checklist"]:
        values = {k: v for k, v in t.items() if k not in ("code", "owner")}
        values["owner"] = by_code[t["owner"]]
        _apply(
            merge,
            report,
            "checklist_item",
            t["code"],
            ChecklistTemplateItem,
            {"region": region, "code": t["code"]},
            values,
            items.pop(t["code"], None),
        )
    modules = {m.code: m for m in TrainingModule.objects.filter(region=region)}
    for m in data["training"]:
        _apply(
            merge,
            report,
            "training_module",
            m["code"],
            TrainingModule,
            {"region": region, "code": m["code"]},
            {k: v for k, v in m.items() if k != "code"},
            modules.pop(m["code"], None),
        )
    # What the file dropped. A template item goes with its Mini MPPs' items while none of them
    # was worked on; a module while nobody was assessed on it; an agency while nothing is its.
    # Otherwise the row stays, reported: a person decides (the admin).
    for code, item in list(items.items()):
        worked = ReadinessItem.objects.filter(template=item).exclude(
            status=ReadinessItem.Status.OPEN, note="", evidence_file="", decree_number=""
        )
        if worked.exists():
            _keep(merge, "checklist_item", code, item, "sudah dikerjakan")
            del items[code]
    _remove_stale_rollout(merge, report, "checklist_item", items)
    for code, module in list(modules.items()):
        if module.assessments.exists():
            _keep(merge, "training_module", code, module, "sudah dinilai")
            del modules[code]
    _remove_stale(merge, report, "training_module", modules)
    for code, agency in list(agencies.items()):
        if agency.items.exists() or agency.template_items.exists() or agency.members.exists():
            _keep(merge, "agency", code, agency, "masih dipakai")
            del agencies[code]
    _remove_stale(merge, report, "agency", agencies)

    made = sum(
        readiness.ensure_items(mall)
        for mall in Mall.objects.filter(region=region, kind=Mall.Kind.MINI_MPP)
    )
    if made:
        report.count("created", "readiness_item", made)


def _keep(merge: Merge, kind: str, key: str, obj: Model, why: str) -> None:
    """A row the file dropped that the rollout still uses: kept, a conflict for a person."""
    merge.kept.append(Kept(_LABELS[kind], key, "row", why, "tidak ada", True))
    merge._audit_conflict(key, obj, None, "row", True)


def _remove_stale_rollout(
    merge: Merge, report: LoadReport, kind: str, rows: dict[str, ChecklistTemplateItem]
) -> None:
    """`_remove_stale` for template items: their Mini MPPs' untouched items go first."""
    for key, obj in rows.items():
        if merge.stale(kind, key, obj, label=_LABELS[kind]):
            merge.deleted(kind, key, obj, label=_LABELS[kind])
            ReadinessItem.objects.filter(template=obj).delete()
            obj.delete()
            report.count("deleted", kind)


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
            "status_is_sample",
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
