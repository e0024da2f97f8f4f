"""Read-only questions other apps ask about bookings (the queue's estimator reads these)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from mpp.appointments.models import Appointment


@dataclass(frozen=True)
class BookedDue:
    """One booked person expected at the mall: the slot's start (aware) and the service."""

    start: dt.datetime
    service_id: int


def booked_due(*, mall_id: int, service_ids: Collection[int], day: dt.date) -> list[BookedDue]:
    """Appointments still `booked` on `day` at the mall for those services, by slot start.

    One query (the mall's zone comes along with the rows). `start` is aware, in the mall's
    local zone.
    """
    if not service_ids:
        return []
    rows = (
        Appointment.objects.filter(
            mall_id=mall_id,
            service_id__in=list(service_ids),
            slot__date=day,
            status=Appointment.Status.BOOKED,
        )
        .order_by("slot__start", "id")
        .values_list("slot__start", "service_id", "mall__region__timezone")
    )
    out: list[BookedDue] = []
    zones: dict[str, ZoneInfo] = {}
    for start, service_id, tz in rows:
        zone = zones.get(tz) or zones.setdefault(tz, ZoneInfo(tz))
        out.append(
            BookedDue(start=dt.datetime.combine(day, start, tzinfo=zone), service_id=service_id)
        )
    return out


__all__ = ["BookedDue", "booked_due"]
