"""Reads of the applications staff work on: the live list of open ones by deadline, and the
counts of overdue and at-risk ones for the start page (docs/adr/0037).

What "open", "overdue" and "at risk" mean is decided here once, so the list's tabs, the start
page's count and the supervisor's alerts (applications.jobs) count the same applications:

- open: not yet collected (`collected_at` is null): "selesai" and "siap diambil" still wait
  for the citizen, and the officer still has a step to record;
- overdue ("lewat batas"): open, not completed (`completed_at` is null), the clock running (not
  returned to the citizen) and its due moment passed;
- at risk ("segera jatuh tempo"): open, not completed, the clock running, not overdue, and
  either past the 75 % point (`warn_at`) or due within two working days;
- returned ("dikembalikan"): the clock stopped since `paused_since`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from mpp.applications.access import workable_malls, workable_tenants
from mpp.applications.models import Application, Status
from mpp.core import clock
from mpp.malls.calendar import add_working_days
from mpp.malls.models import Mall

# "Segera jatuh tempo": due within this many working days (or past the 75 % point).
SOON_WORKING_DAYS = 2


class Tab:
    """The list's tabs, as they appear in its address (`?tab=`)."""

    OVERDUE = "lewat"
    SOON = "segera"
    RETURNED = "dikembalikan"
    ALL = "semua"
    CHOICES = (OVERDUE, SOON, RETURNED, ALL)


def open_applications() -> QuerySet[Application]:
    return Application.objects.filter(collected_at__isnull=True).exclude(status=Status.COLLECTED)


def _running(qs: QuerySet[Application]) -> QuerySet[Application]:
    """Not completed and with the clock running: the ones a deadline still applies to."""
    return qs.filter(completed_at__isnull=True, paused_since__isnull=True, due_at__isnull=False)


def overdue(qs: QuerySet[Application], *, now: dt.datetime) -> QuerySet[Application]:
    return _running(qs).filter(due_at__lt=now)


def is_overdue(application: Application, *, now: dt.datetime) -> bool:
    """`overdue` for one application in memory."""
    return (
        application.completed_at is None
        and application.paused_since is None
        and application.due_at is not None
        and application.due_at < now
    )


def soon_until(mall: Mall, *, now: dt.datetime) -> dt.date:
    """The last due day that counts as "segera jatuh tempo" at `mall` on `now`'s local day."""
    today = now.astimezone(mall.zone).date()
    return add_working_days(mall.region, today, SOON_WORKING_DAYS)


def at_risk(
    qs: QuerySet[Application], *, now: dt.datetime, until: dt.date
) -> QuerySet[Application]:
    """Not overdue yet, but past the 75 % point or due by `until` (soon_until)."""
    return _running(qs).filter(due_at__gte=now).filter(Q(warn_at__lte=now) | Q(due_date__lte=until))


def returned(qs: QuerySet[Application]) -> QuerySet[Application]:
    return qs.filter(paused_since__isnull=False)


def in_tab(
    qs: QuerySet[Application], tab: str, *, now: dt.datetime, until: dt.date
) -> QuerySet[Application]:
    if tab == Tab.OVERDUE:
        return overdue(qs, now=now)
    if tab == Tab.SOON:
        return at_risk(qs, now=now, until=until)
    if tab == Tab.RETURNED:
        return returned(qs)
    return qs


def tab_counts(qs: QuerySet[Application], *, now: dt.datetime, until: dt.date) -> dict[str, int]:
    """How many of `qs` each tab of the list holds."""
    return {
        Tab.OVERDUE: overdue(qs, now=now).count(),
        Tab.SOON: at_risk(qs, now=now, until=until).count(),
        Tab.RETURNED: returned(qs).count(),
        Tab.ALL: qs.count(),
    }


def workable_scope(user: object, malls: Iterable[Mall]) -> Q:
    """The applications of `malls` that `user` may work on: per mall, the services of the
    tenants they work for there (applications.access). An empty `malls`: none."""
    scope = Q(pk__in=[])
    for mall in malls:
        tenants = workable_tenants(user, mall).values("pk")
        scope |= Q(mall=mall, service__tenant__in=tenants)
    return scope


@dataclass(frozen=True)
class DeadlineCounts:
    overdue: int
    at_risk: int


def deadline_counts(user: object) -> DeadlineCounts:
    """How many of the applications `user` may work on are overdue and at risk, now: the count
    on the start page and above the list."""
    now = clock.now()
    # Only the malls with an open application: the start page of the regency administrator
    # asks workable_tenants (a query) for a handful of malls, not for each of the region's.
    busy = open_applications().values("mall_id")
    malls = list(workable_malls(user).filter(pk__in=busy).select_related("region"))
    if not malls:
        return DeadlineCounts(0, 0)
    qs = open_applications().filter(workable_scope(user, malls))
    risky = Q(pk__in=[])
    limits: dict[int, dt.date] = {}  # one calendar read per region (a region has one zone)
    for mall in malls:  # "due within two working days" follows the mall's region's calendar
        if mall.region_id not in limits:
            limits[mall.region_id] = soon_until(mall, now=now)
        risky |= Q(mall=mall, due_date__lte=limits[mall.region_id])
    soon = _running(qs).filter(due_at__gte=now).filter(Q(warn_at__lte=now) | risky)
    return DeadlineCounts(overdue=overdue(qs, now=now).count(), at_risk=soon.count())
