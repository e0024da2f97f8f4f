"""Bookings for the queue's tests, made with the models directly (the booking rules are the
appointments app's; here only a booked person at the kiosk matters)."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from mpp.appointments.models import Appointment, Slot, new_code
from mpp.core import clock


def book(
    mall: Any,
    service: Any,
    start: str,
    *,
    day: dt.date | None = None,
    status: str = Appointment.Status.BOOKED,
    minutes: int = 30,
) -> Appointment:
    """An appointment of `service` at `mall` in the slot starting at `start` ("09:30") on
    `day` (the mall's today), with a slot of its own."""
    day = day or clock.now().astimezone(mall.zone).date()
    begin = dt.time.fromisoformat(start)
    end = (dt.datetime.combine(day, begin) + dt.timedelta(minutes=minutes)).time()
    slot, _created = Slot.objects.get_or_create(
        mall=mall,
        service=service,
        date=day,
        start=begin,
        defaults={"end": end, "capacity": 10},
    )
    Slot.objects.filter(pk=slot.pk).update(booked=slot.booked + 1)
    return Appointment.objects.create(
        code=new_code(),
        access_key=secrets.token_urlsafe(24),
        mall=mall,
        service=service,
        slot=slot,
        status=status,
        channel=Appointment.Channel.WEB,
        nik_digest=secrets.token_hex(32),
        nik_masked="6402**********01",
        phone="081234567890",
        created_at=clock.now() - dt.timedelta(days=1),
    )
