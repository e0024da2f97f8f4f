"""Reads of malls for the public pages, at a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch

from mpp.malls.models import LOOKAHEAD_DAYS, Holiday, Mall, OpeningHours, OpenState


@dataclass(frozen=True)
class MallCard:
    mall: Mall
    state: OpenState
    today: OpeningHours | None
    service_count: int


def _holidays(region_ids: set[int], days: set[dt.date]) -> dict[int, set[dt.date]]:
    by_region: dict[int, set[dt.date]] = {rid: set() for rid in region_ids}
    for region_id, day in Holiday.objects.filter(
        region_id__in=region_ids, date__in=days
    ).values_list("region_id", "date"):
        by_region[region_id].add(day)
    return by_region


def mall_cards(instant: dt.datetime, malls: list[Mall] | None = None) -> list[MallCard]:
    """Every mall (or the given ones) with its open state at `instant` and today's hours."""
    if malls is None:
        malls = list(
            Mall.objects.public()
            .annotate(service_count=Count("offerings", distinct=True))
            .prefetch_related(Prefetch("opening_hours", queryset=OpeningHours.objects.all()))
        )
    if not malls:
        return []
    first = min(instant.astimezone(m.zone).date() for m in malls)
    days = {first + dt.timedelta(days=n) for n in range(LOOKAHEAD_DAYS + 2)}
    holidays = _holidays({m.region_id for m in malls}, days)
    cards = []
    for mall in malls:
        hours = list(mall.opening_hours.all())
        local_day = instant.astimezone(mall.zone).date()
        off = holidays[mall.region_id]
        cards.append(
            MallCard(
                mall=mall,
                state=mall.state_at(instant, hours=hours, holidays=off),
                today=mall.hours_on(local_day, hours=hours, holidays=off),
                service_count=getattr(mall, "service_count", 0),
            )
        )
    return cards


def upcoming_holidays(mall: Mall, today: dt.date, limit: int = 5) -> list[Holiday]:
    return list(Holiday.objects.filter(region_id=mall.region_id, date__gte=today)[:limit])
