"""Booking, cancelling and moving an appointment, each in one write transaction
(docs/adr/0035).

A place is taken by a conditional UPDATE of the slot's count (`booked < capacity`; no row
updated: the slot is full), so concurrent bookings never overfill a slot, on SQLite or
PostgreSQL. One person holds one active booking per service: a partial unique index on the
NIK's keyed digest, so two concurrent bookings of one person cannot both be written. The NIK
itself is never stored: its HMAC under a key derived from SECRET_KEY, and its masked form.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import IntegrityError
from django.db.models import Count, F, Max
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mpp.appointments import messages
from mpp.appointments.exceptions import AppointmentCode, AppointmentRefused
from mpp.appointments.models import Appointment, BookingSettings, Slot, new_code
from mpp.appointments.slots import Bookable, day_slots
from mpp.core import clock
from mpp.core.db import write_transaction
from mpp.core.nik import FAULT_MESSAGES, NikFault, mask_nik, parse_nik
from mpp.notifications.phone import InvalidPhone, parse_phone


def _nik_key() -> bytes:
    return hashlib.sha256(b"mpp.appointments.nik-digest:" + settings.SECRET_KEY.encode()).digest()


def nik_digest(nik: str) -> str:
    """HMAC-SHA256 of the NIK under a key derived from SECRET_KEY: the same person gives the
    same digest, and the digest gives no NIK back without the key."""
    return hmac.new(_nik_key(), nik.encode(), hashlib.sha256).hexdigest()


def new_access_key() -> str:
    """The secret in the booking page's address: 160 bits, URL-safe."""
    return secrets.token_urlsafe(20)


def checked_nik(nik: str) -> str:
    parsed = parse_nik((nik or "").strip())
    if isinstance(parsed, NikFault):
        raise AppointmentRefused(
            _(FAULT_MESSAGES[parsed]), code=AppointmentCode.INVALID_NIK, field="nik"
        )
    return parsed.number


def checked_phone(phone: str) -> str:
    try:
        return parse_phone(phone)
    except InvalidPhone as exc:
        raise AppointmentRefused(
            str(exc), code=AppointmentCode.INVALID_PHONE, field="phone"
        ) from None


def slot_at(bookable: Bookable, day: dt.date, start: dt.time, *, today: dt.date) -> Slot:
    """The day's slot starting at `start` (400 naming the field when there is none)."""
    for slot in day_slots(bookable, day, today=today):
        if slot.start == start:
            return slot
    raise AppointmentRefused(
        _("Tidak ada sesi yang mulai pukul %(t)s pada hari itu; pilih salah satu sesi yang ada.")
        % {"t": start.strftime("%H.%M")},
        code=AppointmentCode.BAD_START,
        field="start",
    )


def block_lifts_on(digest: str, rules: BookingSettings, *, today: dt.date) -> dt.date | None:
    """The day booking is allowed again for a person with too many recent no-shows, or None.

    `no_show_limit` no-shows within the last `no_show_window_days` days block booking for
    `block_days` days from the latest of them (at every mall: it is the person's record)."""
    since = today - dt.timedelta(days=rules.no_show_window_days)
    recent = Appointment.objects.filter(
        nik_digest=digest, status=Appointment.Status.NO_SHOW, slot__date__gte=since
    ).aggregate(n=Count("id"), last=Max("slot__date"))
    if recent["n"] < rules.no_show_limit or recent["last"] is None:
        return None
    lifts = recent["last"] + dt.timedelta(days=rules.block_days + 1)
    return lifts if lifts > today else None


def _take_place(slot: Slot) -> None:
    taken = Slot.objects.filter(pk=slot.pk, booked__lt=F("capacity")).update(booked=F("booked") + 1)
    if taken == 0:
        raise AppointmentRefused(
            _("Sesi pukul %(t)s sudah penuh; pilih sesi lain.")
            % {"t": slot.start.strftime("%H.%M")},
            code=AppointmentCode.SLOT_FULL,
            status=409,
            field="start",
        )


def _free_place(slot_id: int) -> None:
    Slot.objects.filter(pk=slot_id, booked__gt=0).update(booked=F("booked") - 1)


def _already_booked() -> AppointmentRefused:
    return AppointmentRefused(
        _(
            "NIK ini sudah memiliki janji temu aktif untuk layanan ini. Batalkan atau pindahkan "
            "janji temu yang ada dari halaman janji temu Anda."
        ),
        code=AppointmentCode.ALREADY_BOOKED,
        status=409,
        field="nik",
    )


def book(
    *,
    bookable: Bookable,
    day: dt.date,
    start: dt.time,
    nik: str,
    phone: str,
    wants_messages: bool = False,
    channel: str = Appointment.Channel.WEB,
) -> Appointment:
    """Book the slot of `bookable` at `start` on `day` for the person; nothing half written."""
    number = checked_nik(nik)
    stored_phone = checked_phone(phone)
    today = bookable.mall.local_now().date()
    slot = slot_at(bookable, day, start, today=today)
    digest = nik_digest(number)
    lifts = block_lifts_on(digest, bookable.rules, today=today)
    if lifts is not None:
        raise AppointmentRefused(
            _(
                "NIK ini tidak datang pada %(n)s janji temu terakhir. Pemesanan dapat dilakukan "
                "lagi mulai %(day)s; sementara itu silakan datang langsung."
            )
            % {"n": bookable.rules.no_show_limit, "day": date_format(lifts, "l, j F Y")},
            code=AppointmentCode.NO_SHOW_BLOCKED,
            status=403,
            field="nik",
        )
    if Appointment.objects.filter(
        service=bookable.service, nik_digest=digest, status=Appointment.Status.BOOKED
    ).exists():
        raise _already_booked()
    try:
        with write_transaction():
            _take_place(slot)
            appointment = Appointment.objects.create(
                code=new_code(),
                access_key=new_access_key(),
                mall=bookable.mall,
                service=bookable.service,
                slot=slot,
                channel=channel,
                nik_digest=digest,
                nik_masked=mask_nik(number),
                phone=stored_phone,
                wants_messages=wants_messages,
                created_at=clock.now(),
            )
            if wants_messages:
                messages.confirmed(appointment)
    except IntegrityError:
        if Appointment.objects.filter(
            service=bookable.service, nik_digest=digest, status=Appointment.Status.BOOKED
        ).exists():
            raise _already_booked() from None
        raise
    slot.booked += 1
    return appointment


def _slot_start(appointment: Appointment) -> dt.datetime:
    slot = appointment.slot
    return dt.datetime.combine(slot.date, slot.start, tzinfo=appointment.mall.zone)


def _still_changeable(appointment: Appointment) -> None:
    if appointment.status != Appointment.Status.BOOKED:
        raise AppointmentRefused(
            _("Janji temu ini sudah tidak aktif (%(status)s).")
            % {"status": appointment.get_status_display()},
            code=AppointmentCode.NOT_BOOKED,
            status=409,
        )
    if clock.now() >= _slot_start(appointment):
        raise AppointmentRefused(
            _("Sesi janji temu ini sudah dimulai; janji temu tidak dapat diubah lagi."),
            code=AppointmentCode.TOO_LATE,
            status=409,
        )


def cancel(appointment: Appointment) -> None:
    """The person cancels: the place is free again at once."""
    _still_changeable(appointment)
    now = clock.now()
    with write_transaction():
        done = Appointment.objects.filter(
            pk=appointment.pk, status=Appointment.Status.BOOKED
        ).update(status=Appointment.Status.CANCELLED, cancelled_at=now)
        if done == 0:
            raise AppointmentRefused(
                _("Janji temu ini sudah tidak aktif."), code=AppointmentCode.NOT_BOOKED, status=409
            )
        _free_place(appointment.slot_id)
    appointment.status = Appointment.Status.CANCELLED
    appointment.cancelled_at = now


def reschedule(
    appointment: Appointment, *, bookable: Bookable, day: dt.date, start: dt.time
) -> None:
    """Move the booking to another slot of the same service and mall: the new place is taken,
    then the old one freed, in one transaction (the person never holds none or two)."""
    _still_changeable(appointment)
    today = bookable.mall.local_now().date()
    slot = slot_at(bookable, day, start, today=today)
    if slot.pk == appointment.slot_id:
        raise AppointmentRefused(
            _("Itu sesi janji temu Anda sekarang; pilih sesi lain."),
            code=AppointmentCode.SAME_SLOT,
            field="start",
        )
    old_slot_id = appointment.slot_id
    with write_transaction():
        _take_place(slot)
        moved = Appointment.objects.filter(
            pk=appointment.pk, status=Appointment.Status.BOOKED, slot_id=old_slot_id
        ).update(slot=slot, reminded_at=None)
        if moved == 0:
            raise AppointmentRefused(
                _("Janji temu ini sudah tidak aktif."), code=AppointmentCode.NOT_BOOKED, status=409
            )
        _free_place(old_slot_id)
        appointment.slot = slot
        appointment.reminded_at = None
        if appointment.wants_messages:
            messages.moved(appointment)
