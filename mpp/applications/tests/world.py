"""A small world for the applications' core tests, on Kukar's data: akta kelahiran
(Disdukcapil) takes 5 working days, offered at MPP Kukar; the clock on Monday 6 July 2026 at
10:00 WITA (no holiday in July 2026; 17 August is one)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from mpp.catalog.models import Service
from mpp.malls.models import Mall

WITA = ZoneInfo("Asia/Makassar")
MONDAY = dt.datetime(2026, 7, 6, 10, 0, tzinfo=WITA)


def at(day: int, hour: int = 10, minute: int = 0, month: int = 7) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=WITA)


def with_duration(slug: str, value: int | None, unit: str = "hari_kerja") -> Service:
    Service.objects.filter(slug=slug).update(
        duration_value=value, duration_unit=unit if value else ""
    )
    return Service.objects.select_related("tenant").get(slug=slug)


def akta() -> Service:
    return with_duration("akta-kelahiran", 5)


def mpp() -> Mall:
    return Mall.objects.select_related("region").get(slug="mpp-kukar")


def not_offered_at(mall: Mall) -> Service:
    """A Disdukcapil service that `mall` does not offer."""
    return (
        Service.objects.select_related("tenant")
        .filter(tenant__slug="disdukcapil")
        .exclude(offerings__mall=mall)
        .first()
    )  # type: ignore[return-value]
