"""A day's slots of a bookable service at a mall, made when the day is first asked for
(docs/adr/0035).

The slots follow the mall's opening hours that day: from opening, `slot_minutes` long, none
across the Friday prayer break, the last one ending by the number cut-off (`last_ticket_at`)
or closing. A day is closed to booking when the mall is (weekend, the region's holiday, the
mall's closure: `Mall.hours_on` says) or when the service's tenant does not serve at that mall
that weekday. A day is bookable from tomorrow to `horizon_days` ahead: today is for walk-ins.

A slot's places: floor(counters × slot_minutes ÷ minutes_per_citizen × share_percent ÷ 100),
at least 1. The rest of the counters' time stays with the people who walk in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.http import Http404
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mpp.appointments.exceptions import AppointmentCode, AppointmentRefused
from mpp.appointments.models import BookableService, BookingSettings, Slot
from mpp.catalog.models import MallService, MallTenant, Service
from mpp.malls.models import Mall, OpeningHours


def settings_for(mall: Mall) -> BookingSettings:
    """The mall's booking rules (the defaults, unsaved, when it has none)."""
    found = BookingSettings.objects.filter(mall=mall).first()
    return found if found is not None else BookingSettings(mall=mall)


def capacity_of(bookable: BookableService, rules: BookingSettings) -> int:
    """Places of one slot: the citizens the counters serve in it, times the booking share."""
    served = bookable.counters * rules.slot_minutes * rules.share_percent
    return max(1, served // (bookable.minutes_per_citizen * 100))


@dataclass(frozen=True)
class Bookable:
    """A service people may book at a mall, with what decides its days."""

    mall: Mall
    service: Service
    setup: BookableService
    rules: BookingSettings
    tenant_days: str  # ISO weekday digits, "12345"


def access_bookable(*, mall_id: int, service_id: int) -> Bookable:
    """The service as bookable at the mall: 404 for an unknown mall or service, or one not
    offered and bookable there (not open to booking, not operating, its tenant not there)."""
    mall = Mall.objects.select_related("region").filter(pk=mall_id).first()
    if mall is None:
        raise Http404(_("Mal tidak ditemukan."))
    setup = (
        BookableService.objects.select_related("service", "service__tenant")
        .filter(mall=mall, service_id=service_id, is_enabled=True, service__is_active=True)
        .first()
    )
    if setup is None or not mall.is_operating:
        raise Http404(_("Layanan ini tidak dapat dipesan di mal ini."))
    if not MallService.objects.filter(mall=mall, service_id=service_id).exists():
        raise Http404(_("Layanan ini tidak dapat dipesan di mal ini."))
    at_mall = (
        MallTenant.objects.select_related("tenant")
        .filter(mall=mall, tenant_id=setup.service.tenant_id)
        .first()
    )
    if at_mall is None:
        raise Http404(_("Layanan ini tidak dapat dipesan di mal ini."))
    return Bookable(
        mall=mall,
        service=setup.service,
        setup=setup,
        rules=settings_for(mall),
        tenant_days=at_mall.days,
    )


def bookable_range(rules: BookingSettings, today: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day that may be booked (tomorrow to the horizon)."""
    return today + dt.timedelta(days=1), today + dt.timedelta(days=rules.horizon_days)


def _long(day: dt.date) -> str:
    return date_format(day, "l, j F Y")


def hours_for_booking(bookable: Bookable, day: dt.date, *, today: dt.date) -> OpeningHours:
    """The mall's hours on `day` when it may be booked, or the refusal saying why not."""
    rules = bookable.rules
    if not rules.is_open:
        raise AppointmentRefused(
            _("Mal ini sedang tidak menerima janji temu."),
            code=AppointmentCode.BOOKING_CLOSED,
            field="mall_id",
        )
    first, last = bookable_range(rules, today)
    if day < first:
        raise AppointmentRefused(
            _(
                "Janji temu dipesan paling cepat untuk besok (%(first)s). Untuk hari ini, "
                "silakan datang langsung dan ambil nomor antrean."
            )
            % {"first": _long(first)},
            code=AppointmentCode.DAY_PAST,
            field="date",
        )
    if day > last:
        raise AppointmentRefused(
            _("Janji temu hanya dapat dipesan sampai %(last)s (%(n)s hari ke depan).")
            % {"last": _long(last), "n": rules.horizon_days},
            code=AppointmentCode.BEYOND_HORIZON,
            field="date",
        )
    hours = bookable.mall.hours_on(day)
    if hours is None:
        raise AppointmentRefused(
            _("Mal tutup pada %(day)s (akhir pekan, hari libur, atau penutupan mal).")
            % {"day": _long(day)},
            code=AppointmentCode.DAY_CLOSED,
            field="date",
        )
    if str(day.isoweekday()) not in bookable.tenant_days:
        raise AppointmentRefused(
            _("%(tenant)s tidak melayani di mal ini pada hari %(weekday)s.")
            % {"tenant": bookable.service.tenant.short_name, "weekday": date_format(day, "l")},
            code=AppointmentCode.DAY_CLOSED,
            field="date",
        )
    return hours


def slot_times(hours: OpeningHours, slot_minutes: int) -> list[tuple[dt.time, dt.time]]:
    """Start and end of each slot: from opening, none across the break, the last one ending
    by the number cut-off or closing."""
    day = dt.date(2000, 1, 3)  # any day: only the times matter
    step = dt.timedelta(minutes=slot_minutes)
    at = dt.datetime.combine(day, hours.opens)
    end_of_day = dt.datetime.combine(day, hours.last_ticket_at or hours.closes)
    out: list[tuple[dt.time, dt.time]] = []
    while at + step <= end_of_day:
        end = at + step
        if hours.break_starts and hours.break_ends:
            break_from = dt.datetime.combine(day, hours.break_starts)
            break_to = dt.datetime.combine(day, hours.break_ends)
            if at < break_to and end > break_from:  # overlaps the break: start after it
                at = break_to
                continue
        out.append((at.time(), end.time()))
        at = end
    return out


def day_slots(bookable: Bookable, day: dt.date, *, today: dt.date) -> list[Slot]:
    """The day's slots, made the first time they are asked for (race-safe: two first askers
    insert the same rows, the unique index keeps one of each)."""
    hours = hours_for_booking(bookable, day, today=today)
    existing = list(Slot.objects.filter(mall=bookable.mall, service=bookable.service, date=day))
    if existing:
        return existing
    capacity = capacity_of(bookable.setup, bookable.rules)
    Slot.objects.bulk_create(
        [
            Slot(
                mall=bookable.mall,
                service=bookable.service,
                date=day,
                start=start,
                end=end,
                capacity=capacity,
            )
            for start, end in slot_times(hours, bookable.rules.slot_minutes)
        ],
        ignore_conflicts=True,
    )
    return list(Slot.objects.filter(mall=bookable.mall, service=bookable.service, date=day))
