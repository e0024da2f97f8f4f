"""Complaints' reads: the staff list with its late flags, and the report of a mall (or the
regency) over a period: counts per tenant and per topic, time to verify and to answer, the
share answered in time, open and overdue complaints."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet

from mpp.complaints.actions import is_late, local_today, region_of
from mpp.complaints.models import Complaint, Status, Topic
from mpp.malls.models import Mall, Region


def late_flags(rows: list[Complaint]) -> list[tuple[Complaint, bool]]:
    """Each complaint with whether it is late today (in its region's calendar)."""
    today_by_region: dict[int | None, dt.date] = {}
    out = []
    for complaint in rows:
        key = complaint.mall.region_id if complaint.mall is not None else None
        if key not in today_by_region:
            today_by_region[key] = local_today(complaint.mall)
        out.append((complaint, is_late(complaint, today_by_region[key])))
    return out


def filtered(
    rows: QuerySet[Complaint], *, status: str = "", late: bool = False
) -> QuerySet[Complaint]:
    """The list's filters: one status, or the open ones that are late (a first cut by date:
    the template's flag is exact)."""
    if status in Status.values:
        rows = rows.filter(status=status)
    if late:
        today = local_today(None)
        rows = rows.filter(
            Q(status=Status.RECEIVED, verify_by__lt=today)
            | Q(status=Status.VERIFIED, answer_by__lt=today)
        )
    return rows


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    first = month.replace(day=1)
    nxt = (first + dt.timedelta(days=32)).replace(day=1)
    return first, nxt - dt.timedelta(days=1)


def _days(start: dt.datetime, end: dt.datetime) -> float:
    return (end - start).total_seconds() / 86400


@dataclass
class Figures:
    """One line of the report: a tenant's, or the total."""

    label: str
    received: int = 0
    verified: int = 0
    dismissed: int = 0
    answered: int = 0
    due: int = 0  # verified complaints whose answer is given or whose deadline has passed
    in_time: int = 0  # of those, answered on or before `answer_by`
    open: int = 0
    overdue: int = 0
    verify_days: list[float] = field(default_factory=list)
    answer_days: list[float] = field(default_factory=list)

    @property
    def share_in_time(self) -> float | None:
        return None if not self.due else self.in_time / self.due

    @property
    def verify_median(self) -> float | None:
        return statistics.median(self.verify_days) if self.verify_days else None

    @property
    def verify_mean(self) -> float | None:
        return statistics.fmean(self.verify_days) if self.verify_days else None

    @property
    def answer_median(self) -> float | None:
        return statistics.median(self.answer_days) if self.answer_days else None

    @property
    def answer_mean(self) -> float | None:
        return statistics.fmean(self.answer_days) if self.answer_days else None

    def add(self, complaint: Complaint, *, today: dt.date, zone: ZoneInfo) -> None:
        self.received += 1
        if complaint.status == Status.DISMISSED:
            self.dismissed += 1
        if complaint.verified_at is not None:
            self.verified += 1
            self.verify_days.append(_days(complaint.created_at, complaint.verified_at))
        if complaint.answered_at is not None:
            self.answered += 1
            if complaint.verified_at is not None:
                self.answer_days.append(_days(complaint.verified_at, complaint.answered_at))
        if complaint.answer_by is not None:
            answered_on = (
                complaint.answered_at.astimezone(zone).date() if complaint.answered_at else None
            )
            if answered_on is not None or today > complaint.answer_by:
                self.due += 1
                if answered_on is not None and answered_on <= complaint.answer_by:
                    self.in_time += 1
        if complaint.status in (Status.RECEIVED, Status.VERIFIED):
            self.open += 1
            if is_late(complaint, today):
                self.overdue += 1


@dataclass
class Report:
    region: Region
    mall: Mall | None
    first: dt.date
    last: dt.date
    total: Figures
    tenants: list[Figures]
    topics: list[tuple[str, int]]


def complaints_report(
    *, region: Region, mall: Mall | None, first: dt.date, last: dt.date
) -> Report:
    """Complaints received from `first` to `last` (local days) at `mall`, or in the whole
    regency (every mall of the region and the complaints that name no mall)."""
    zone = ZoneInfo(region.timezone)
    start = dt.datetime.combine(first, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    rows = Complaint.objects.select_related("tenant").filter(
        created_at__gte=start, created_at__lt=end
    )
    if mall is not None:
        rows = rows.filter(mall=mall)
    else:
        mine = Q(mall__region=region)
        if region_of(None).pk == region.pk:
            mine |= Q(mall__isnull=True)
        rows = rows.filter(mine)
    today = local_today(mall)
    total = Figures(label="")
    per_tenant: dict[int | None, Figures] = {}
    topics: dict[str, int] = {}
    for complaint in rows.order_by("created_at", "pk"):
        total.add(complaint, today=today, zone=zone)
        key = complaint.tenant_id
        if key not in per_tenant:
            label = complaint.tenant.short_name if complaint.tenant else ""
            per_tenant[key] = Figures(label=label)
        per_tenant[key].add(complaint, today=today, zone=zone)
        topics[complaint.topic] = topics.get(complaint.topic, 0) + 1
    tenants = sorted(per_tenant.values(), key=lambda f: (f.label == "", f.label))
    topic_rows = [(str(label), topics.get(value, 0)) for value, label in Topic.choices]
    return Report(region, mall, first, last, total, tenants, topic_rows)
