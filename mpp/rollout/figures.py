"""The rollout board's figures (issue 19, item 5): one row per Mini MPP of a region and the
regency's totals, read from the models in a fixed handful of queries whatever the number of
Mini MPPs (seven, none per mall). Every figure is "as of" one instant: the caller passes it, and
`today` is that instant's date in the region's zone.

Definitions:
- readiness: items done / all items of the Mini MPP (mandatory or not);
- overdue: items not done whose due date is before today, also per owner agency; blocked:
  items marked "terhambat" (late or not);
- staff: assignments active today (started on or before today, not ended before today);
  local: the member's domicile village lies in the Mini MPP's kecamatan (the family card's
  address, never the NIK's region);
- trained: active staff who passed (a passing Assessment) every module of the region that is
  required to open a counter, front-desk modules included (a region without such a module
  counts every active member as trained: nothing is missing);
- days to target: the region's RolloutPlan.target_date minus today (negative: late).
A percentage is whole, rounded half up, and None (not 0) when there is nothing to divide by.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mpp.core import clock
from mpp.malls.models import Mall, Region
from mpp.rollout.models import (
    Agency,
    Assessment,
    Assignment,
    ReadinessItem,
    RolloutPlan,
    TrainingModule,
)

DONE = ReadinessItem.Status.DONE


def percent(part: int, whole: int) -> int | None:
    """`part` of `whole` in whole percent, half up (2.5 → 3); None when `whole` is 0."""
    if whole <= 0:
        return None
    return (200 * part + whole) // (2 * whole)


@dataclass(frozen=True)
class AgencyCount:
    """Overdue items of one owner agency."""

    code: str
    name: str
    count: int


@dataclass
class RolloutRow:
    """One Mini MPP on the board, as of `as_of`."""

    mall: Mall
    as_of: dt.datetime
    done: int = 0
    total: int = 0
    overdue: int = 0
    overdue_by_agency: list[AgencyCount] = field(default_factory=list)
    blocked: int = 0
    staff_total: int = 0
    staff_local: int = 0
    trained_total: int = 0
    trained_passed: int = 0
    target_date: dt.date | None = None
    days_to_target: int | None = None

    @property
    def status(self) -> str:
        return self.mall.status

    @property
    def readiness_percent(self) -> int | None:
        return percent(self.done, self.total)

    @property
    def local_percent(self) -> int | None:
        return percent(self.staff_local, self.staff_total)

    @property
    def trained_percent(self) -> int | None:
        return percent(self.trained_passed, self.trained_total)


@dataclass
class RegencyTotals:
    """The sums of the rows (percentages of the sums, not averages of the percentages)."""

    as_of: dt.datetime | None
    malls: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    done: int = 0
    total: int = 0
    overdue: int = 0
    overdue_by_agency: list[AgencyCount] = field(default_factory=list)
    blocked: int = 0
    staff_total: int = 0
    staff_local: int = 0
    trained_total: int = 0
    trained_passed: int = 0
    target_date: dt.date | None = None
    days_to_target: int | None = None

    @property
    def readiness_percent(self) -> int | None:
        return percent(self.done, self.total)

    @property
    def local_percent(self) -> int | None:
        return percent(self.staff_local, self.staff_total)

    @property
    def trained_percent(self) -> int | None:
        return percent(self.trained_passed, self.trained_total)


def cut_off(region: Region) -> tuple[dt.datetime, dt.date]:
    """The instant the figures are read at (the region's local time) and its date."""
    as_of = clock.local_now(region.timezone)
    return as_of, as_of.date()


def as_of_label(as_of: dt.datetime) -> str:
    """ "15 Oktober 2025 pukul 16.30 WITA": the cut-off every figure block carries."""
    return _("%(date)s pukul %(time)s %(zone)s") % {
        "date": date_format(as_of, "j F Y"),
        "time": as_of.strftime("%H.%M"),
        "zone": as_of.tzname() or "",
    }


def active_on(today: dt.date) -> Q:
    """Assignments running on `today` (start and end dates inclusive)."""
    return Q(start_date__lte=today) & (Q(end_date__isnull=True) | Q(end_date__gte=today))


def rollout_rows(region: Region, *, today: dt.date, as_of: dt.datetime) -> list[RolloutRow]:
    """One row per Mini MPP of `region`, ordered by kecamatan code. Seven queries in all."""
    malls = list(
        Mall.objects.filter(region=region, kind=Mall.Kind.MINI_MPP)
        .select_related("district")
        .order_by("district__code", "pk")
    )
    plan = RolloutPlan.objects.filter(region=region).first()
    target = plan.target_date if plan is not None else None
    rows = {
        m.pk: RolloutRow(
            mall=m,
            as_of=as_of,
            target_date=target,
            days_to_target=(target - today).days if target is not None else None,
        )
        for m in malls
    }
    if not rows:
        return []

    items = ReadinessItem.objects.filter(mall_id__in=rows)
    late = Q(due_date__lt=today) & ~Q(status=DONE)
    for r in items.values("mall_id").annotate(
        total=Count("pk"),
        done=Count("pk", filter=Q(status=DONE)),
        overdue=Count("pk", filter=late),
        blocked=Count("pk", filter=Q(status=ReadinessItem.Status.BLOCKED)),
    ):
        row = rows[r["mall_id"]]
        row.total, row.done, row.overdue = r["total"], r["done"], r["overdue"]
        row.blocked = r["blocked"]
    for r in (
        items.filter(late)
        .values("mall_id", "owner__code", "owner__short_name")
        .annotate(n=Count("pk"))
        .order_by("mall_id", "-n", "owner__short_name")
    ):
        rows[r["mall_id"]].overdue_by_agency.append(
            AgencyCount(r["owner__code"], r["owner__short_name"], r["n"])
        )

    # Active staff: a member counts once per Mini MPP even with two overlapping postings there.
    staff: dict[int, dict[int, int]] = defaultdict(dict)  # mall → member → domicile district
    for mall_id, member_id, district_id in (
        Assignment.objects.filter(active_on(today), mall_id__in=rows)
        .values_list("mall_id", "member_id", "member__domicile_village__district_id")
        .order_by()  # DISTINCT over these columns only, not the model's ordering too
        .distinct()
    ):
        staff[mall_id][member_id] = district_id
    members = {m for by_member in staff.values() for m in by_member}
    required = set(
        TrainingModule.objects.filter(region=region, required_to_open_counter=True).values_list(
            "pk", flat=True
        )
    )
    passed: dict[int, set[int]] = defaultdict(set)
    if required and members:
        for member_id, module_id in (
            Assessment.objects.filter(member_id__in=members, module_id__in=required, passed=True)
            .values_list("member_id", "module_id")
            .order_by()
            .distinct()
        ):
            passed[member_id].add(module_id)
    for mall_id, by_member in staff.items():
        row = rows[mall_id]
        row.staff_total = row.trained_total = len(by_member)
        row.staff_local = sum(1 for d in by_member.values() if d == row.mall.district_id)
        row.trained_passed = sum(1 for m in by_member if required <= passed[m])
    return list(rows.values())


def regency_totals(rows: list[RolloutRow]) -> RegencyTotals:
    """The regency's line under the rows (no query)."""
    totals = RegencyTotals(as_of=rows[0].as_of if rows else None, malls=len(rows))
    by_agency: dict[str, AgencyCount] = {}
    for row in rows:
        totals.by_status[row.status] = totals.by_status.get(row.status, 0) + 1
        totals.done += row.done
        totals.total += row.total
        totals.overdue += row.overdue
        totals.blocked += row.blocked
        totals.staff_total += row.staff_total
        totals.staff_local += row.staff_local
        totals.trained_total += row.trained_total
        totals.trained_passed += row.trained_passed
        for a in row.overdue_by_agency:
            seen = by_agency.get(a.code)
            by_agency[a.code] = AgencyCount(a.code, a.name, a.count + (seen.count if seen else 0))
    totals.overdue_by_agency = sorted(by_agency.values(), key=lambda a: (-a.count, a.name))
    if rows:
        totals.target_date = rows[0].target_date
        totals.days_to_target = rows[0].days_to_target
    return totals


def open_items_of(agency: Agency, *, district_id: int | None = None) -> list[ReadinessItem]:
    """The items `agency` still owns across the Mini MPPs of its region (not done), by
    kecamatan then due date; a camat liaison's: only its own kecamatan. One query."""
    items = (
        ReadinessItem.objects.filter(owner=agency, mall__kind=Mall.Kind.MINI_MPP)
        .exclude(status=DONE)
        .select_related("mall__district", "template")
        .order_by("mall__district__code", "due_date", "template__order", "pk")
    )
    if district_id is not None:
        items = items.filter(mall__district_id=district_id)
    return list(items)


def overdue_items(region: Region, *, today: dt.date) -> list[ReadinessItem]:
    """Every late item of the region's Mini MPPs, by owner agency, kecamatan and due date (the
    weekly PDF's list). One query."""
    return list(
        ReadinessItem.objects.filter(
            mall__region=region, mall__kind=Mall.Kind.MINI_MPP, due_date__lt=today
        )
        .exclude(status=DONE)
        .select_related("mall__district", "template", "owner")
        .order_by("owner__short_name", "mall__district__code", "due_date", "pk")
    )
