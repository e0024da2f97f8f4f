"""A small world for booking's tests: Kabupaten Uji's MPP with its KTP service bookable (five
places a slot), and the clock on a Monday morning in August 2026 (Tuesday the 11th is the first
bookable day; Monday the 17th is a holiday; Imigrasi serves on Wednesdays only)."""

from __future__ import annotations

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

from mpp.appointments.models import BookableService, BookingSettings
from mpp.appointments.slots import Bookable, access_bookable
from mpp.catalog.models import Service
from mpp.malls.models import Mall

WITA = ZoneInfo("Asia/Makassar")
NOW = dt.datetime(2026, 8, 10, 9, 0, tzinfo=WITA)  # Monday
TUESDAY = dt.date(2026, 8, 11)
WEDNESDAY = dt.date(2026, 8, 12)
FRIDAY = dt.date(2026, 8, 14)
SATURDAY = dt.date(2026, 8, 15)
HOLIDAY = dt.date(2026, 8, 17)

_serials = itertools.count(1)


def nik() -> str:
    """A new well-formed NIK (640206, born 15 January 1990, serial 0001…)."""
    return f"640206150190{next(_serials):04d}"


def mall() -> Mall:
    return Mall.objects.select_related("region").get(slug="mpp-uji")


def ktp() -> Service:
    return Service.objects.get(slug="ktp-uji")


def make_bookable(
    service_slug: str = "ktp-uji", *, counters: int = 5, minutes: int = 12, **rules: object
) -> Bookable:
    """A bookable service at MPP Uji: 5 counters, 12 minutes a person, 40 % share, 30-minute
    slots: 5 places a slot."""
    found = mall()
    service = Service.objects.get(slug=service_slug)
    BookableService.objects.update_or_create(
        mall=found,
        service=service,
        defaults={"counters": counters, "minutes_per_citizen": minutes},
    )
    BookingSettings.objects.update_or_create(mall=found, defaults=rules)
    return access_bookable(mall_id=found.pk, service_id=service.pk)
