"""Changes to investment data: importing a file (all or nothing, replacing its periods) and the
regency's classification of sectors and downstreaming."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from django.db import connection, transaction
from django.db.models import Case, Count, Q, QuerySet, Sum, Value, When
from django.utils.translation import gettext as _

from mpp.core import clock
from mpp.core.models import audit
from mpp.core.sheets import FileRefused
from mpp.investment.exceptions import ImportRejected, RowError
from mpp.investment.importing import (
    TEMPLATE_EXAMPLE_NIBS,
    BadCell,
    Lookups,
    ParsedRow,
    normalise,
    parse_rows,
    read_table,
)
from mpp.investment.models import (
    PERIOD_END_QUARTER,
    Dataset,
    DownstreamKbli,
    FinalPeriod,
    Nature,
    Realization,
    RealizationRollup,
    ReportStatus,
    SectorClassification,
)
from mpp.malls.models import District, Region


@dataclass(frozen=True)
class ImportSummary:
    dataset: Dataset
    rows: int
    replaced: int
    total_idr: int
    approved_idr: int


def lookups_for(region: Region) -> Lookups:
    districts = list(District.objects.filter(region=region).values_list("pk", "code", "name"))
    return Lookups(
        districts_by_code={code: pk for pk, code, _ in districts},
        districts_by_name={normalise(name): pk for pk, _, name in districts},
        today=clock.local_now(region.timezone).date(),
    )


def _rows_per_period(rows: QuerySet[Realization]) -> str:
    """ "2025-Q1 (120 baris), 2025-Q2 (98 baris)" for the rows an import would replace."""
    counts = rows.order_by().values_list("year", "period").annotate(n=Count("pk"))
    return ", ".join(
        _("%(y)d-%(p)s (%(n)d baris)") % {"y": y, "p": p, "n": n} for y, p, n in sorted(counts)
    )


def import_realizations(
    *,
    region: Region,
    data: bytes,
    file_name: str,
    source: str,
    cut_off: dt.date,
    acting_user: object | None,
    is_synthetic: bool = False,
    may_replace: bool = True,
    refuse_examples: bool = False,
    progress: Callable[[int, int, str], None] | None = None,
) -> ImportSummary:
    """Import a CSV or XLSX file of LKPM realization, all or nothing.

    Every (year, period) the file holds replaces what an earlier import held for it, so importing
    the same period twice never doubles it. Raises ImportRejected naming every bad row, and,
    with `may_replace` false (the import page before its box is ticked), naming the periods and
    rows the file would replace; with `refuse_examples` (the import page), a file of nothing
    but the template's example rows is refused. `progress(done, total, message)` hears of its
    three steps (a background job's bar, core/jobs.py)."""
    report = progress or (lambda done, total, message: None)
    report(0, 3, _("Membaca berkas"))
    try:
        table = read_table(data, file_name)
        lookups = replace(lookups_for(region), decimal_comma=table.decimal_comma)
        report(1, 3, _("Memeriksa setiap baris"))
        parsed, errors = parse_rows(table.heading, table.rows, lookups)
    except BadCell as bad:  # the whole file: unreadable, or past a limit (its code says which)
        code = str(bad.code) if isinstance(bad, FileRefused) else "import_rejected"
        raise ImportRejected([RowError(None, None, str(bad))], code=code) from bad
    if errors:
        raise ImportRejected(errors)
    if refuse_examples and all(r.nib in TEMPLATE_EXAMPLE_NIBS for r in parsed):
        message = _(
            "Berkas ini hanya berisi baris contoh dari templat; isi dengan data LKPM, lalu "
            "hapus baris contohnya."
        )
        raise ImportRejected([RowError(None, None, message)])
    if cut_off > lookups.today:
        raise ImportRejected([RowError(None, None, _("Tanggal data tidak boleh di masa depan."))])
    periods = sorted({(r.year, r.period) for r in parsed})
    prefixes = list(DownstreamKbli.objects.filter(region=region).values_list("prefix", flat=True))
    report(2, 3, _("Menyimpan %(n)d baris") % {"n": len(parsed)})
    with transaction.atomic():
        # Imports of one region run one at a time: two imports of the same period must not both
        # delete the old rows and then both insert (PostgreSQL would refuse the second anyway).
        Region.objects.select_for_update().filter(pk=region.pk).first()
        period_filter = Q()
        for year, period in periods:
            period_filter |= Q(year=year, period=period)
        existing = Realization.objects.filter(period_filter, region=region)
        if not may_replace and (held := _rows_per_period(existing)):
            raise ImportRejected(
                [
                    RowError(
                        None,
                        None,
                        _(
                            "Berkas ini mengganti data yang sudah diimpor: %(p)s. Centang "
                            "“Ganti data periode yang sudah ada”, lalu unggah lagi."
                        )
                        % {"p": held},
                    )
                ]
            )
        replaced, _per_model = existing.delete()
        RealizationRollup.objects.filter(period_filter, region=region).delete()
        total = sum(r.amount_idr for r in parsed)
        dataset = Dataset.objects.create(
            region=region,
            source=source,
            cut_off=cut_off,
            is_synthetic=is_synthetic,
            file_name=file_name[:200],
            file_sha256=hashlib.sha256(data).hexdigest(),
            periods=[f"{y}-{p}" for y, p in periods],
            row_count=len(parsed),
            replaced_count=replaced,
            total_idr=total,
            imported_by_id=getattr(acting_user, "pk", None),
        )
        _insert(region, dataset, parsed, prefixes)
        rebuild_rollup(region, period_filter)
        audit(
            actor=acting_user,
            action="investment.imported",
            obj=dataset,
            data={"file": file_name, "rows": len(parsed), "replaced": replaced},
        )
    approved = sum(r.amount_idr for r in parsed if r.report_status == "disetujui")
    return ImportSummary(dataset, len(parsed), replaced, total, approved)


# Straight to the database: Django's bulk_create spends more time compiling 50,000 INSERTs than
# the database spends running them (bench/investment_bench.py).
_COLUMNS = (
    "region_id", "dataset_id", "year", "period", "end_quarter", "company", "nib", "status",
    "kbli", "sector_id", "district_id", "currency", "amount", "rate", "fixed_capital",
    "working_capital", "amount_idr", "workers_male", "workers_female", "workers_foreign",
    "report_status", "is_downstream",
)  # fmt: skip


def _insert(region: Region, dataset: Dataset, rows: list[ParsedRow], prefixes: list[str]) -> None:
    """INSERT every row with executemany, in batches, inside the caller's transaction."""
    quote = connection.ops.quote_name
    # Only our own table and column names are formatted in; every value is a parameter.
    columns = ", ".join(quote(c) for c in _COLUMNS)
    marks = ", ".join(["%s"] * len(_COLUMNS))
    sql = f"INSERT INTO {quote(Realization._meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608
    values = [
        (
            region.pk, dataset.pk, r.year, r.period, PERIOD_END_QUARTER[r.period], r.company,
            r.nib, r.status, r.kbli, r.sector, r.district_id, r.currency, r.amount, r.rate,
            r.fixed_capital, r.working_capital, r.amount_idr, r.workers_male, r.workers_female,
            r.workers_foreign, r.report_status, r.kbli.startswith(tuple(prefixes)),
        )
        for r in rows
    ]  # fmt: skip
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: one stream instead of a statement per row (about half the import's time).
            copy_sql = f"COPY {quote(Realization._meta.db_table)} ({columns}) FROM STDIN"
            with cursor.cursor.copy(copy_sql) as copy:
                for row in values:
                    copy.write_row(row)
            # Fresh planner statistics for the dashboard's queries (autovacuum may be late).
            cursor.execute(f"ANALYZE {quote(Realization._meta.db_table)}")
            return
        for start in range(0, len(values), 5000):
            cursor.executemany(sql, values[start : start + 5000])


def rebuild_rollup(region: Region, periods: Q | None = None) -> None:
    """Recompute the rollup of approved records, for the given periods or all of them."""
    scope = Q(region=region) & (periods or Q())
    RealizationRollup.objects.filter(scope).delete()
    groups = (
        Realization.objects.filter(scope, report_status=ReportStatus.APPROVED)
        .values(
            "dataset_id", "year", "period", "end_quarter", "status", "sector_id", "is_downstream"
        )
        .annotate(
            total=Sum("amount_idr"),
            men=Sum("workers_male"),
            women=Sum("workers_female"),
            foreign=Sum("workers_foreign"),
            n=Count("id"),
        )
        .order_by()
    )
    RealizationRollup.objects.bulk_create(
        RealizationRollup(
            region=region,
            dataset_id=g["dataset_id"],
            year=g["year"],
            period=g["period"],
            end_quarter=g["end_quarter"],
            status=g["status"],
            sector_id=g["sector_id"],
            is_downstream=g["is_downstream"],
            total_idr=g["total"],
            workers_male=g["men"],
            workers_female=g["women"],
            workers_foreign=g["foreign"],
            reports=g["n"],
        )
        for g in groups
    )


def set_final_period(*, region: Region, year: int, through: int, acting_user: object) -> None:
    """Mark `year`'s figures final from January through quarter `through` (0: none final, the
    year is provisional again). The public page opens on the latest final period."""
    if not 0 <= through <= 4:
        raise ValueError(f"through must be 0..4, not {through}")
    with transaction.atomic():
        if through == 0:
            FinalPeriod.objects.filter(region=region, year=year).delete()
        else:
            FinalPeriod.objects.update_or_create(
                region=region,
                year=year,
                defaults={"through": through, "marked_by": acting_user, "marked_at": clock.now()},
            )
        audit(
            actor=acting_user,
            action="investment.final_period_set",
            obj=region,
            data={"year": year, "through": through},
        )


def set_sector_classification(
    *, region: Region, natures: dict[int, str], acting_user: object
) -> int:
    """Set the extractive classification of the given sectors; returns how many changed.
    Figures follow at once: the dashboard reads the classification, not a copy of it."""
    unknown = {n: v for n, v in natures.items() if v not in Nature.values or not 1 <= n <= 23}
    if unknown:
        raise ValueError(f"unknown sector or classification: {unknown}")
    changed = 0
    with transaction.atomic():
        current = dict(
            SectorClassification.objects.filter(region=region).values_list("sector_id", "nature")
        )
        for number, nature in natures.items():
            if current.get(number) == nature:
                continue
            SectorClassification.objects.update_or_create(
                region=region, sector_id=number, defaults={"nature": nature}
            )
            changed += 1
        if changed:
            audit(
                actor=acting_user,
                action="investment.classification_changed",
                obj=region,
                data={str(k): v for k, v in natures.items()},
            )
    return changed


def set_downstream_kbli(
    *, region: Region, entries: list[tuple[str, str]], acting_user: object | None
) -> int:
    """Replace the region's downstreaming KBLI prefixes and retag its records; returns how many
    records are tagged afterwards."""
    for prefix, commodity in entries:
        if not re.fullmatch(r"\d{2,5}", prefix) or not commodity.strip():
            raise ValueError(f"bad downstreaming entry: {prefix!r} {commodity!r}")
    with transaction.atomic():
        DownstreamKbli.objects.filter(region=region).delete()
        DownstreamKbli.objects.bulk_create(
            DownstreamKbli(region=region, prefix=p, commodity=c) for p, c in entries
        )
        tagged = retag_downstream(region)
        audit(
            actor=acting_user,
            action="investment.downstream_changed",
            obj=region,
            data={"prefixes": [p for p, _ in entries]},
        )
    return tagged


def retag_downstream(region: Region) -> int:
    """One UPDATE: a record is downstream when its KBLI starts with one of the prefixes; then
    the rollup follows."""
    prefixes = list(DownstreamKbli.objects.filter(region=region).values_list("prefix", flat=True))
    match = Q(pk__in=[])
    for prefix in prefixes:
        match |= Q(kbli__startswith=prefix)
    records = Realization.objects.filter(region=region)
    records.update(is_downstream=Case(When(match, then=Value(True)), default=Value(False)))
    rebuild_rollup(region)
    return records.filter(is_downstream=True).count()
