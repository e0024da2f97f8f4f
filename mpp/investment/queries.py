"""Reads of investment realization: the API summary and the dashboard, as SQL aggregates over
approved reports only (domain/investment.md: only "Disetujui" counts)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, Q, QuerySet, Sum

from mpp.investment.models import (
    Dataset,
    FinalPeriod,
    Nature,
    Realization,
    RealizationRollup,
    ReportStatus,
    Sector,
    SectorClassification,
    Target,
)
from mpp.investment.sectors import SECTORS
from mpp.malls.models import District, Region

POLICY_SHIFT_YEAR = 2026  # the regency's turn from extraction to processing and downstreaming


def approved(region: Region) -> QuerySet[Realization]:
    """Approved records: for what needs the company or the kecamatan."""
    return Realization.objects.filter(region=region, report_status=ReportStatus.APPROVED)


def rollup(region: Region) -> QuerySet[RealizationRollup]:
    """Approved realization already summed (see RealizationRollup): for everything else."""
    return RealizationRollup.objects.filter(region=region)


def classification(region: Region) -> dict[int, str]:
    """Sector number → nature, the regency's edits over the national default."""
    natures = {row.number: row.nature for row in SECTORS}
    natures.update(
        SectorClassification.objects.filter(region=region).values_list("sector_id", "nature")
    )
    return natures


def years_with_data(region: Region) -> list[int]:
    """Years with approved realization."""
    return sorted(rollup(region).order_by().values_list("year", flat=True).distinct())


def latest_quarter(region: Region, year: int) -> int | None:
    """The last quarter of `year` that approved reports reach, or None without data."""
    scope = rollup(region).filter(year=year).order_by("-end_quarter")
    return scope.values_list("end_quarter", flat=True).first()


def final_through(region: Region, year: int) -> int:
    """The last quarter of `year` DPMPTSP marked final (0: the whole year is provisional)."""
    row = FinalPeriod.objects.filter(region=region, year=year).values_list("through", flat=True)
    return row.first() or 0


def period_states(region: Region) -> list[dict[str, int]]:
    """Each year with data, newest first: the last quarter data reaches and the last one
    marked final (0: none), for the page where DPMPTSP marks them."""
    finals = dict(FinalPeriod.objects.filter(region=region).values_list("year", "through"))
    reached = dict(
        rollup(region)
        .order_by()
        .values("year")
        .annotate(latest=Max("end_quarter"))
        .values_list("year", "latest")
    )
    return [
        {"year": y, "latest": reached[y], "final": finals.get(y, 0)}
        for y in sorted(reached, reverse=True)
    ]


def default_period(region: Region, years: list[int]) -> tuple[int, int]:
    """The (year, through) the public page opens on: the latest period marked final that data
    reaches. Only when no period is final at all, the latest data (then labelled provisional):
    a page with nothing would hide what there is."""
    finals = dict(
        FinalPeriod.objects.filter(region=region, year__in=years).values_list("year", "through")
    )
    for year in sorted(finals, reverse=True):
        latest = latest_quarter(region, year)
        if latest:
            return year, min(finals[year], latest)
    year = years[-1]
    return year, latest_quarter(region, year) or 1


def summary(region: Region, year: int, through: int) -> dict[str, Any]:
    """The contract of GET /api/v1/investment/summary: January to the end of quarter `through`."""
    scope = approved(region).filter(year=year, end_quarter__lte=through)
    summed = rollup(region).filter(year=year, end_quarter__lte=through)
    natures = classification(region)
    names = dict(Sector.objects.values_list("number", "name"))
    by_status: dict[str, int] = defaultdict(int)
    by_sector: dict[int, int] = defaultdict(int)
    by_nature: dict[str, int] = defaultdict(int)
    workers = 0
    for row in summed.values("status", "sector_id").annotate(
        total=Sum("total_idr"),
        men=Sum("workers_male"),
        women=Sum("workers_female"),
        foreign=Sum("workers_foreign"),
    ):
        by_status[row["status"]] += row["total"]
        by_sector[row["sector_id"]] += row["total"]
        by_nature[natures[row["sector_id"]]] += row["total"]
        workers += row["men"] + row["women"] + row["foreign"]
    districts = District.objects.filter(region=region).order_by("code")
    amounts = dict(
        scope.values("district_id")
        .annotate(total=Sum("amount_idr"))
        .values_list("district_id", "total")
    )
    return {
        "year": year,
        "through": through,
        "total_idr": sum(by_status.values()),
        "pma_idr": by_status["PMA"],
        "pmdn_idr": by_status["PMDN"],
        "extractive_idr": by_nature[Nature.EXTRACTIVE],
        "resource_based_idr": by_nature[Nature.RESOURCE_BASED],
        "non_extractive_idr": by_nature[Nature.NON_EXTRACTIVE],
        "workers": workers,
        "by_sector": [
            {
                "sector": number,
                "name": names[number],
                "nature": natures[number],
                "total_idr": total,
            }
            for number, total in sorted(by_sector.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
        "by_district": [
            {"code": d.code, "name": d.name, "total_idr": amounts.get(d.pk, 0)}
            for d in sorted(districts, key=lambda d: (-amounts.get(d.pk, 0), d.code))
        ],
        "sources": sources(summed),
    }


def sources(scope: QuerySet[RealizationRollup]) -> list[dict[str, Any]]:
    """The datasets the figures of `scope` come from: source, cut-off date, synthetic or not."""
    ids = scope.order_by().values_list("dataset_id", flat=True).distinct()
    return [
        {
            "source": d.source,
            "cut_off": d.cut_off.isoformat(),
            "is_synthetic": d.is_synthetic,
            "imported_at": d.imported_at.isoformat(),
        }
        for d in Dataset.objects.filter(pk__in=list(ids)).order_by("cut_off", "pk")
    ]


@dataclass
class YearShare:
    year: int
    through: int
    total: int
    by_nature: dict[str, int]
    downstream: int

    def share(self, nature: str) -> float:
        return self.by_nature.get(nature, 0) / self.total if self.total else 0.0

    @property
    def downstream_share(self) -> float:
        return self.downstream / self.total if self.total else 0.0


@dataclass
class Dashboard:
    year: int
    through: int
    total: int
    previous_same_period: int
    previous_year: int
    quarters: list[int]  # realization per quarter of `year` (up to `through`)
    previous_quarters: list[int]
    pma: int
    pmdn: int
    companies: int
    workers_male: int
    workers_female: int
    workers_foreign: int
    by_sector: list[dict[str, Any]]
    by_district: list[dict[str, Any]]
    trend: list[YearShare]
    targets: dict[str, Target]
    sources: list[dict[str, Any]]
    years: list[int] = field(default_factory=list)
    final_through: int = 0  # the last quarter of `year` marked final (0: none)

    @property
    def is_provisional(self) -> bool:
        """Whether a quarter shown is not yet marked final: its reports may still come in."""
        return self.through > self.final_through

    @property
    def source_lines(self) -> list[dict[str, Any]]:
        """The sources as people read them: each source once, with its latest cut-off date
        (every import of a quarter is a dataset of its own, so a year has many)."""
        latest: dict[tuple[str, bool], dt.date] = {}
        for s in self.sources:
            key = (s["source"], s["is_synthetic"])
            day = dt.date.fromisoformat(s["cut_off"])
            latest[key] = max(day, latest.get(key, day))
        return [
            {"source": source, "is_synthetic": synthetic, "cut_off": day}
            for (source, synthetic), day in sorted(latest.items(), key=lambda kv: kv[1])
        ]

    @property
    def cumulative(self) -> list[int]:
        out, running = [], 0
        for value in self.quarters:
            running += value
            out.append(running)
        return out

    @property
    def previous_cumulative(self) -> list[int]:
        out, running = [], 0
        for value in self.previous_quarters:
            running += value
            out.append(running)
        return out

    @property
    def growth(self) -> float | None:
        """Against the same months of the previous year."""
        if not self.previous_same_period:
            return None
        return self.total / self.previous_same_period - 1

    @property
    def of_previous_year(self) -> float | None:
        return self.total / self.previous_year if self.previous_year else None

    def of_target(self, level: str) -> float | None:
        target = self.targets.get(level)
        return self.total / target.amount_idr if target else None

    @property
    def workers(self) -> int:
        return self.workers_male + self.workers_female + self.workers_foreign

    @property
    def local_share(self) -> float | None:
        """Indonesian workers among all workers absorbed (LKPM does not record residence)."""
        return (self.workers_male + self.workers_female) / self.workers if self.workers else None

    @property
    def is_synthetic(self) -> bool:
        return any(s["is_synthetic"] for s in self.sources)


def dashboard(region: Region, year: int, through: int, years: list[int] | None = None) -> Dashboard:
    """Every figure of the investment dashboard for January to the end of quarter `through`;
    `years` (those with data) when the caller already has them."""
    natures = classification(region)
    names = dict(Sector.objects.values_list("number", "name"))
    base = rollup(region)
    quarters = [0, 0, 0, 0]
    previous = [0, 0, 0, 0]
    by_status: dict[str, int] = defaultdict(int)
    by_sector: dict[int, int] = defaultdict(int)
    men = women = foreign = 0
    # One pass over this year and the last, grouped small enough to combine in Python.
    for row in (
        base.filter(year__in=(year, year - 1))
        .values("year", "end_quarter", "status", "sector_id")
        .annotate(
            total=Sum("total_idr"),
            m=Sum("workers_male"),
            w=Sum("workers_female"),
            f=Sum("workers_foreign"),
        )
    ):
        q = row["end_quarter"] - 1
        if row["year"] == year - 1:
            previous[q] += row["total"]
            continue
        if row["end_quarter"] > through:
            continue
        quarters[q] += row["total"]
        by_status[row["status"]] += row["total"]
        by_sector[row["sector_id"]] += row["total"]
        men, women, foreign = men + row["m"], women + row["w"], foreign + row["f"]
    scope = approved(region).filter(year=year, end_quarter__lte=through)
    amounts = dict(
        scope.values("district_id")
        .annotate(total=Sum("amount_idr"))
        .values_list("district_id", "total")
    )
    companies = scope.aggregate(n=Count("nib", distinct=True))["n"]
    total = sum(quarters)
    return Dashboard(
        year=year,
        through=through,
        total=total,
        previous_same_period=sum(previous[:through]),
        previous_year=sum(previous),
        quarters=quarters[:through],
        previous_quarters=previous,
        pma=by_status["PMA"],
        pmdn=by_status["PMDN"],
        companies=companies,
        workers_male=men,
        workers_female=women,
        workers_foreign=foreign,
        by_sector=[
            {
                "sector": n,
                "name": names[n],
                "nature": natures[n],
                "total_idr": t,
                "share": t / total if total else 0,
            }
            for n, t in sorted(by_sector.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
        by_district=[
            {"code": d.code, "name": d.name, "total_idr": amounts.get(d.pk, 0)}
            for d in sorted(
                District.objects.filter(region=region),
                key=lambda d: (-amounts.get(d.pk, 0), d.code),
            )
        ],
        trend=trend(region, year, through, natures),
        targets={t.level: t for t in Target.objects.filter(region=region, year=year)},
        sources=sources(base.filter(Q(year=year) | Q(year=year - 1))),
        years=years if years is not None else years_with_data(region),
        final_through=final_through(region, year),
    )


def trend(region: Region, year: int, through: int, natures: dict[int, str]) -> list[YearShare]:
    """Extractive, resource-based and other shares per year up to `year` (whole earlier years,
    `year` through its quarter), and the downstreaming share."""
    shares: dict[int, YearShare] = {}
    rows = (
        rollup(region)
        .filter(Q(year__lt=year) | Q(year=year, end_quarter__lte=through))
        .values("year", "sector_id", "is_downstream")
        .annotate(total=Sum("total_idr"))
        .order_by()
    )
    for row in rows:
        share = shares.setdefault(
            row["year"],
            YearShare(row["year"], 4 if row["year"] < year else through, 0, {}, 0),
        )
        nature = natures[row["sector_id"]]
        share.total += row["total"]
        share.by_nature[nature] = share.by_nature.get(nature, 0) + row["total"]
        if row["is_downstream"]:
            share.downstream += row["total"]
    return [shares[y] for y in sorted(shares)]


def companies(region: Region, year: int, through: int, search: str = "") -> QuerySet[Any]:
    """Companies by realization for staff: name, NIB, status, sectors' count and total."""
    scope = approved(region).filter(year=year, end_quarter__lte=through)
    if search:
        scope = scope.filter(Q(company__icontains=search) | Q(nib__startswith=search))
    return (
        scope.values("nib", "company", "status")
        .annotate(total=Sum("amount_idr"), reports=Count("id"))
        .order_by("-total", "company")
    )
