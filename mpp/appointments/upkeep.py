"""The periodic work behind booking (run by appointments.jobs every few minutes; each step is
idempotent, so a run twice or a run missed changes nothing but the timing):

- bookings hit by a holiday, a mall closure (planned or sudden) or a tenant no longer serving
  that weekday become `closed`, with the reason, their place freed, and the person told;
- bookings whose check-in window has ended without a check-in become `no_show`;
- the day before, people who asked for messages are reminded (once).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import F
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mpp.appointments import messages
from mpp.appointments.models import Appointment, Slot
from mpp.appointments.slots import settings_for
from mpp.catalog.models import MallTenant
from mpp.core import clock
from mpp.core.db import write_transaction
from mpp.malls.models import Holiday, Mall, MallClosure


def _booked() -> object:
    return Appointment.objects.filter(status=Appointment.Status.BOOKED).select_related(
        "slot", "mall", "mall__region", "service", "service__tenant"
    )


@dataclass(frozen=True)
class DayState:
    """What closes a mall's day: its closure, the region's holiday, no opening hours."""

    closure: MallClosure | None
    holiday: Holiday | None
    has_hours: bool


def day_state(mall: Mall, day: dt.date) -> DayState:
    return DayState(
        closure=MallClosure.objects.filter(mall=mall, starts_on__lte=day, ends_on__gte=day).first(),
        holiday=Holiday.objects.filter(region_id=mall.region_id, date=day).first(),
        has_hours=mall.hours_on(day) is not None,
    )


def closed_reason(
    mall: Mall,
    appointment: Appointment,
    *,
    tenant_days: dict[int, str],
    state: DayState | None = None,
) -> str:
    """Why the appointment's day is closed now, or "" when it is still open. `state` may be
    given when many appointments of one mall and day are checked (the job reads it once)."""
    slot = appointment.slot
    day = slot.date
    state = state or day_state(mall, day)
    closure = state.closure
    if closure is not None:
        if closure.from_time is not None and slot.end <= closure.from_time:
            return ""  # a sudden closure from later that day: this slot was before it
        return _("%(mall)s tutup (%(reason)s)") % {
            "mall": mall.short_name,
            "reason": closure.reason,
        }
    if state.holiday is not None:
        return _("hari libur (%(name)s)") % {"name": state.holiday.name}
    if not state.has_hours:
        return _("%(mall)s tutup pada hari itu") % {"mall": mall.short_name}
    days = tenant_days.get(appointment.service.tenant_id, "")
    if str(day.isoweekday()) not in days:
        return _("%(tenant)s tidak melayani di %(mall)s pada hari %(weekday)s") % {
            "tenant": appointment.service.tenant.short_name,
            "mall": mall.short_name,
            "weekday": date_format(day, "l"),
        }
    return ""


def close_hit_appointments() -> int:
    """Cancel (status `closed`) the bookings whose day closed after they were made."""
    now = clock.now()
    done = 0
    by_mall: dict[int, list[Appointment]] = defaultdict(list)
    for appointment in _booked().filter(slot__date__gte=(now - dt.timedelta(days=1)).date()):  # type: ignore[attr-defined]
        by_mall[appointment.mall_id].append(appointment)
    for rows in by_mall.values():
        mall = rows[0].mall
        today = now.astimezone(mall.zone).date()
        tenant_days = {
            mt.tenant_id: mt.days
            for mt in MallTenant.objects.filter(mall=mall).select_related("tenant")
        }
        states: dict[dt.date, DayState] = {}  # a few queries per day, not per booking
        for appointment in rows:
            day = appointment.slot.date
            if day < today:
                continue
            if day not in states:
                states[day] = day_state(mall, day)
            reason = closed_reason(mall, appointment, tenant_days=tenant_days, state=states[day])
            if reason and _close(appointment, reason=reason, now=now):
                done += 1
    return done


def _close(appointment: Appointment, *, reason: str, now: dt.datetime) -> bool:
    with write_transaction():
        changed = Appointment.objects.filter(
            pk=appointment.pk, status=Appointment.Status.BOOKED
        ).update(status=Appointment.Status.CLOSED, cancelled_at=now, cancel_reason=reason[:255])
        if changed == 0:
            return False
        Slot.objects.filter(pk=appointment.slot_id, booked__gt=0).update(booked=F("booked") - 1)
        appointment.status = Appointment.Status.CLOSED
        appointment.cancel_reason = reason[:255]
        messages.closed(appointment)
    return True


def check_in_ends(appointment: Appointment, *, after_minutes: int) -> dt.datetime:
    """The end of the check-in window: the slot's start plus `checkin_after_minutes`."""
    slot = appointment.slot
    start = dt.datetime.combine(slot.date, slot.start, tzinfo=appointment.mall.zone)
    return start + dt.timedelta(minutes=after_minutes)


def mark_no_shows() -> int:
    """`booked` appointments whose check-in window has ended become `no_show`."""
    now = clock.now()
    done = 0
    after: dict[int, int] = {}
    for appointment in _booked().filter(slot__date__lte=(now + dt.timedelta(days=1)).date()):  # type: ignore[attr-defined]
        mall = appointment.mall
        if mall.pk not in after:
            after[mall.pk] = settings_for(mall).checkin_after_minutes
        if now < check_in_ends(appointment, after_minutes=after[mall.pk]):
            continue
        with write_transaction():
            done += Appointment.objects.filter(
                pk=appointment.pk, status=Appointment.Status.BOOKED
            ).update(status=Appointment.Status.NO_SHOW)
    return done


# Reminders go out the day before, from this local hour (not at night).
REMIND_FROM_HOUR = 7


def send_reminders() -> int:
    """Remind people who asked for messages, the day before their appointment, once."""
    now = clock.now()
    sent = 0
    candidates = _booked().filter(  # type: ignore[attr-defined]
        wants_messages=True,
        reminded_at__isnull=True,
        slot__date__gte=now.date(),
        slot__date__lte=(now + dt.timedelta(days=2)).date(),
    )
    for appointment in candidates:
        local = now.astimezone(appointment.mall.zone)
        if appointment.slot.date != local.date() + dt.timedelta(days=1):
            continue
        if local.hour < REMIND_FROM_HOUR:
            continue
        with write_transaction():
            marked = Appointment.objects.filter(
                pk=appointment.pk, status=Appointment.Status.BOOKED, reminded_at__isnull=True
            ).update(reminded_at=now)
            if marked:
                messages.reminder(appointment)
                sent += 1
    return sent
