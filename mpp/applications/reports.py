"""How a mall kept the published times of its applications, for a day or a month (issue 22,
item 4: "the daily and monthly reports count on-time completion per service against its
standard"; docs/adr/0037).

Per tenant and service of one mall, in one GROUP BY query:

- received: applications whose files were received on a day of the period;
- completed: completed (completed_at: "selesai" or "siap diambil") within the period, whenever
  received; of those, on time (completed_at <= due_at), late (after it), and "tanpa batas
  waktu" (the service named no fixed time when it was received: counted, outside the on-time
  share);
- open at the period's end (or now, for the period still running: `as_of`): received before
  that moment, not completed by it; of those, overdue (due_at before that moment). due_at is
  read as stored: it already holds the clock's stops (the days the files were back with the
  citizen push it later), so a returned application is not late for the citizen's days. An
  application whose files are back with the citizen at the time of reading has no due_at
  (deadlines.schedule), so it is open but not overdue;
- the median elapsed days from receipt to completion of those completed in the period, in
  calendar days with one decimal and the clock's stops included: how long citizens waited.
  Whether that kept the standard (working days, stops excluded) is the on-time column's
  question, answered by due_at; the median is computed in SQL too (window functions).

The service's published standard text stands beside its row. Times are the mall's local time.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mpp.applications.models import Application
from mpp.catalog.models import Service, Tenant
from mpp.malls.models import Mall

DAY, MONTH = "day", "month"


@dataclass(frozen=True)
class Period:
    """A day or a calendar month, both ends included."""

    kind: str
    first: dt.date
    last: dt.date

    @classmethod
    def day(cls, day: dt.date) -> Period:
        return cls(DAY, day, day)

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        days = calendar.monthrange(year, month)[1]
        return cls(MONTH, dt.date(year, month, 1), dt.date(year, month, days))

    @property
    def label(self) -> str:
        if self.kind == DAY:
            return date_format(self.first, "l, j F Y")
        return date_format(self.first, "F Y")

    @property
    def slug(self) -> str:
        """The period as its URL parameter's value and in file names: 2026-12 or 2026-12-07."""
        return self.first.strftime("%Y-%m") if self.kind == MONTH else self.first.isoformat()

    def bounds(self, zone: Any) -> tuple[dt.datetime, dt.datetime]:
        """The period's first moment and the first moment after it, in the mall's time zone."""
        start = dt.datetime.combine(self.first, dt.time.min, tzinfo=zone)
        end = dt.datetime.combine(self.last + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
        return start, end


@dataclass
class ApplicationRow:
    """One line of the report: a tenant, one of its services, or the whole mall."""

    tenant: str
    service: str = ""  # empty on a tenant's line and the mall's total
    standard: str = ""  # the service's published time, as citizens read it
    received: int = 0
    completed: int = 0
    on_time: int = 0
    late: int = 0
    without_deadline: int = 0  # completed, the service naming no fixed time
    open: int = 0  # not completed at the period's end (or now)
    overdue: int = 0  # of the open, past their due time
    median_days: float | None = None

    @property
    def on_time_share(self) -> float | None:
        """On time among the completed that had a due time; None when there were none."""
        counted = self.on_time + self.late
        return self.on_time / counted if counted else None

    @property
    def on_time_percent(self) -> int | None:
        share = self.on_time_share
        return None if share is None else round(share * 100)

    def add(self, other: ApplicationRow) -> None:
        for name in ("received", "completed", "on_time", "late", "without_deadline"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.open += other.open
        self.overdue += other.overdue


@dataclass
class ApplicationReport:
    mall: Mall
    period: Period
    as_of: dt.datetime  # the moment "open" and "overdue" are counted at
    tenant: Tenant | None  # the report of one tenant only (its officers'), or the whole mall
    total: ApplicationRow
    tenants: list[tuple[ApplicationRow, list[ApplicationRow]]] = field(default_factory=list)


def application_report(
    *, mall: Mall, period: Period, now: dt.datetime | None = None, tenant: Tenant | None = None
) -> ApplicationReport:
    """Received, completed on time or late, open and overdue, and the median days to complete,
    per tenant and service of `mall` over `period` (only `tenant`'s when given). Five queries:
    the counts grouped by service, the services, and the median's middle rows per service,
    per tenant and for all."""
    apps, counted, as_of = _counted(mall=mall, period=period, now=now, tenant=tenant)
    counts = apps.values("service_id").annotate(**counted).order_by()
    by_service = {row.pop("service_id"): row for row in counts}
    services = Service.objects.filter(pk__in=by_service).select_related("tenant")
    start, end = period.bounds(mall.zone)
    done = apps.filter(completed_at__gte=start, completed_at__lt=end)
    medians = _medians(done, "service_id")
    tenant_medians = _medians(done, "service__tenant_id")
    total = ApplicationRow(tenant=_("Seluruh mal") if tenant is None else tenant.name)
    total.median_days = _medians(done, None).get(None)
    tenants: dict[int, tuple[ApplicationRow, list[ApplicationRow]]] = {}
    for service in sorted(services, key=lambda s: (s.tenant.sort_order, s.tenant.name, s.name)):
        row = ApplicationRow(
            tenant=service.tenant.name,
            service=service.name,
            standard=service.duration,
            median_days=medians.get(service.pk),
            **by_service[service.pk],
        )
        tenant_row, rows = tenants.setdefault(
            service.tenant_id,
            (
                ApplicationRow(
                    tenant=service.tenant.name, median_days=tenant_medians.get(service.tenant_id)
                ),
                [],
            ),
        )
        rows.append(row)
        tenant_row.add(row)
        total.add(row)
    return ApplicationReport(
        mall=mall,
        period=period,
        as_of=as_of,
        tenant=tenant,
        total=total,
        tenants=list(tenants.values()),
    )


def summary(*, mall: Mall, period: Period, now: dt.datetime | None = None) -> ApplicationRow:
    """The report's total line alone, without the median (the queue's daily report shows it):
    one query."""
    apps, counted, _as_of = _counted(mall=mall, period=period, now=now, tenant=None)
    return ApplicationRow(tenant=_("Seluruh mal"), **apps.aggregate(**counted))


def _counted(
    *, mall: Mall, period: Period, now: dt.datetime | None, tenant: Tenant | None
) -> tuple[QuerySet[Application], dict[str, Count], dt.datetime]:
    """The applications that count in the period (received in it, completed in it, or open
    at its end), the counts of the report's columns, and the moment "open" is counted at."""
    start, end = period.bounds(mall.zone)
    as_of = min(end, now or timezone.now())
    apps = Application.objects.filter(mall=mall)
    if tenant is not None:
        apps = apps.filter(service__tenant=tenant)
    received = Q(received_on__gte=period.first, received_on__lte=period.last)
    completed = Q(completed_at__gte=start, completed_at__lt=end)
    has_due = Q(duration_value__isnull=False)
    still_open = Q(received_at__lt=as_of) & (
        Q(completed_at__isnull=True) | Q(completed_at__gte=as_of)
    )
    counted = {
        "received": Count("pk", filter=received),
        "completed": Count("pk", filter=completed),
        "on_time": Count("pk", filter=completed & has_due & Q(completed_at__lte=F("due_at"))),
        "late": Count("pk", filter=completed & has_due & Q(completed_at__gt=F("due_at"))),
        "without_deadline": Count("pk", filter=completed & ~has_due),
        "open": Count("pk", filter=still_open),
        "overdue": Count("pk", filter=still_open & Q(due_at__lt=as_of)),
    }
    return apps.filter(received | completed | still_open), counted, as_of


def _medians(done: QuerySet[Application], key: str | None) -> dict[Any, float]:
    """The median elapsed days (one decimal) from receipt to completion per value of `key`
    (None: one for all), in SQL: each group's rows are numbered by elapsed time, and only the
    middle one or two are read ((n+1)/2 and (n+2)/2 in integer division)."""
    elapsed = ExpressionWrapper(F("completed_at") - F("received_at"), output_field=DurationField())
    partition = [F(key)] if key else []
    middle = (
        done.annotate(
            elapsed=elapsed,
            n=Window(Count("pk"), partition_by=partition),
            rank=Window(RowNumber(), partition_by=partition, order_by=[elapsed.asc(), "pk"]),
        )
        .filter(Q(rank=(F("n") + 1) / 2) | Q(rank=(F("n") + 2) / 2))
        .values_list(key or "mall_id", "elapsed")
    )
    halves: dict[Any, list[dt.timedelta]] = {}
    for group, value in middle:  # at most two rows per group
        halves.setdefault(group if key else None, []).append(value)
    return {
        group: round(sum(values, dt.timedelta()) / len(values) / dt.timedelta(days=1), 1)
        for group, values in halves.items()
    }
