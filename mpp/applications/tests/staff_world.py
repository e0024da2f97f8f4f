"""A small world for the staff pages' and the alerts' tests, on Kukar's data: akta kelahiran
(Disdukcapil) takes 5 working days at MPP Kukar, a passport (Imigrasi) 4; the clock on Monday
2 November 2026 at 09:00 WITA (no holiday that month)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from mpp.applications import actions
from mpp.applications.models import Application
from mpp.catalog.models import Service
from mpp.malls.models import Mall

WITA = ZoneInfo("Asia/Makassar")
MONDAY = dt.datetime(2026, 11, 2, 9, 0, tzinfo=WITA)


def with_duration(slug: str, value: int, unit: str = "hari_kerja") -> Service:
    Service.objects.filter(slug=slug).update(duration_value=value, duration_unit=unit)
    return Service.objects.select_related("tenant").get(slug=slug)


def akta() -> Service:
    return with_duration("akta-kelahiran", 5)


def paspor() -> Service:
    return with_duration("paspor-biasa-baru", 4)


def mpp() -> Mall:
    return Mall.objects.select_related("region").get(slug="mpp-kukar")


def opened(
    service: Service | None = None, *, by: Any, mall: Mall | None = None, phone: str = ""
) -> Application:
    """An application received now through the action, as the counter would."""
    return actions.open_application(
        mall=mall or mpp(), service=service or akta(), acting_user=by, phone=phone
    )


def moved(application: Application, *statuses: str, by: Any, note: str = "") -> Application:
    for status in statuses:
        application = actions.move(
            application=application,
            status=status,
            acting_user=by,
            note=note if status == "dikembalikan" else "",
        )
    return application
