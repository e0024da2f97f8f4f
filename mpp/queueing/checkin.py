"""Checking in a booking at the kiosk: the booked person's number, and the fairness rule for them
(docs/adr/0036).

A booked person who checks in **on time** — from `checkin_before_minutes` before their slot's
start to `checkin_after_minutes` after it (the mall's BookingSettings) — gets a kiosk number
whose `waiting_since` is the slot's start: the counters' one rule (policy.choose_next, first
come first served by `waiting_since`, the priority lane, the overdue rule) then calls them after
the walk-ins who came before their slot's start and before those who came later. Checking in
early does not move them further forward than that. A person **late** past the window joins as
a walk-in (`waiting_since` = now) and is told so. A check-in is idempotent: checking in again
the same day gives back the same number.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mpp.accounts.access import staff_profile
from mpp.accounts.models import Role
from mpp.appointments.models import Appointment, BookingSettings
from mpp.core import clock
from mpp.core.db import write_transaction
from mpp.core.errors import Refused
from mpp.malls.models import Mall
from mpp.queueing import actions
from mpp.queueing.models import Ticket

# What a code may be once normalised: longer input is no code of ours (a stray scan).
MAX_CODE_LENGTH = 40


class CheckInCode(StrEnum):
    """Machine codes of the check-in's refusals (the API's `code`)."""

    APPOINTMENT_NOT_FOUND = "appointment_not_found"  # 404
    APPOINTMENT_OTHER_MALL = "appointment_other_mall"  # 403: booked at another mall
    NOT_A_KIOSK = "not_a_kiosk"  # 403: only a kiosk device checks in (the API)
    APPOINTMENT_NOT_TODAY = "appointment_not_today"  # 409: another day's booking
    APPOINTMENT_CANCELLED = "appointment_cancelled"  # 409
    APPOINTMENT_CLOSED = "appointment_closed"  # 409: cancelled by a closure
    APPOINTMENT_NO_SHOW = "appointment_no_show"  # 409
    APPOINTMENT_USED = "appointment_used"  # 409: checked in on an earlier day
    TOO_EARLY = "too_early"  # 400: before the check-in window opens


class CheckInRefused(Refused):
    """A check-in refused (core.errors.Refused): `status` 404, 403, 409 or 400 as the code
    says. Issuing's own refusals (a closed mall, a tenant not serving today) stay QueueErrors."""

    codes = (CheckInCode,)


@dataclass(frozen=True)
class CheckedIn:
    """The answer of a check-in: the number (the slip's ticket) and what the citizen is told."""

    ticket: Ticket
    appointment: Appointment
    created: bool  # False when the booking was checked in before (the same number again)
    late: bool  # past the window: queued as a walk-in
    early: bool  # before the slot's start: waits from the slot's start
    message: str  # Indonesian, for the slip and the API


def normalise_code(text: str) -> str:
    """A typed, grouped or scanned code as stored: spaces and dashes removed, upper case
    ("7k3q-9xm2 pd" → "7K3Q9XM2PD"). A QR scanner acting as a keyboard types the same code."""
    return "".join(ch for ch in text if not ch.isspace() and ch not in "-‐‑–—").upper()


def kiosk_device_mall(user: object) -> Mall:
    """The mall of the kiosk device `user`: only a kiosk checks a booking in through the API
    (403 `not_a_kiosk` for anyone else; a kiosk page's staff use the page)."""
    profile = staff_profile(user)
    if profile is None or profile.role != Role.KIOSK or profile.mall is None:
        raise CheckInRefused(
            _("Lapor hadir janji temu hanya dari perangkat kios mal."),
            code=CheckInCode.NOT_A_KIOSK,
            status=403,
        )
    return profile.mall


def rules_of(mall: Mall) -> BookingSettings:
    """The mall's booking rules; the model's defaults without a row (nothing is written)."""
    return BookingSettings.objects.filter(mall=mall).first() or BookingSettings(mall=mall)


def slot_start(appointment: Appointment) -> dt.datetime:
    """The slot's start, aware, in the mall's zone."""
    slot = appointment.slot
    return dt.datetime.combine(slot.date, slot.start, tzinfo=appointment.mall.zone)


def _hm(instant: dt.datetime | dt.time) -> str:
    return instant.strftime("%H.%M")


def check_in(*, code: str, mall: Mall, acting_user: Any = None) -> CheckedIn:
    """Check in the booking `code` at `mall`'s kiosk and give its number (docs/adr/0036).

    Invariants: one number per booking, under any concurrency — the appointment's row is locked
    (SELECT … FOR UPDATE; SQLite's one writer) for the whole check-in, number included, so a
    second kiosk scanning the same code waits and then gets the same number (created=False).
    Refusals (CheckInRefused) leave the booking as it was. On time, the number waits from the
    slot's start; late, from now, like a walk-in."""
    wanted = normalise_code(code)
    if not wanted or len(wanted) > MAX_CODE_LENGTH:
        raise _not_found()
    with write_transaction():
        appointment = (
            Appointment.objects.select_for_update(of=("self",))
            .select_related("slot", "service__tenant", "mall__region")
            .filter(code=wanted)
            .first()
        )
        if appointment is None:
            raise _not_found()
        if appointment.mall_id != mall.pk:
            raise CheckInRefused(
                _("Janji temu ini untuk %(m)s. Silakan lapor hadir di sana.")
                % {"m": appointment.mall.short_name},
                code=CheckInCode.APPOINTMENT_OTHER_MALL,
                status=403,
            )
        now = clock.now()
        today = actions.service_day(mall, now)
        start = slot_start(appointment)
        if appointment.status == Appointment.Status.CHECKED_IN:
            return _again(appointment, today=today, start=start)
        _require_booked(appointment)
        if appointment.slot.date != today:
            raise CheckInRefused(
                _(
                    "Janji temu Anda pada %(d)s pukul %(t)s, bukan hari ini. Silakan datang "
                    "pada hari itu, atau ambil nomor antrean biasa."
                )
                % {"d": date_format(appointment.slot.date, "l, j F Y"), "t": _hm(start)},
                code=CheckInCode.APPOINTMENT_NOT_TODAY,
                status=409,
            )
        rules = rules_of(mall)
        opens = start - dt.timedelta(minutes=rules.checkin_before_minutes)
        closes = start + dt.timedelta(minutes=rules.checkin_after_minutes)
        if now < opens:
            raise CheckInRefused(
                _(
                    "Terlalu awal. Janji temu Anda pukul %(t)s; lapor hadir dapat dilakukan "
                    "mulai pukul %(o)s."
                )
                % {"t": _hm(start), "o": _hm(opens.astimezone(mall.zone))},
                code=CheckInCode.TOO_EARLY,
                status=400,
            )
        late = now > closes
        issued = actions.issue_ticket(
            mall=mall,
            service=appointment.service,
            channel=Ticket.Channel.KIOSK,
            acting_user=acting_user,
            waiting_since=None if late else start,
            quota_exempt=True,
        )
        ticket = issued.ticket
        appointment.status = Appointment.Status.CHECKED_IN
        appointment.checked_in_at = now
        appointment.checked_in_late = late
        appointment.ticket_code = ticket.code
        appointment.save(
            update_fields=["status", "checked_in_at", "checked_in_late", "ticket_code"]
        )
        actions._record(
            ticket,
            "checked_in",
            now,
            acting_user,
            data={"appointment": appointment.code, "late": late},
        )
    early = not late and now < start
    return CheckedIn(
        ticket=ticket,
        appointment=appointment,
        created=True,
        late=late,
        early=early,
        message=message_for(late=late, early=early, start=start),
    )


def message_for(*, late: bool, early: bool, start: dt.datetime) -> str:
    """What the slip and the API say of a check-in, in plain words for an elderly citizen."""
    if late:
        return _(
            "Anda terlambat dari jadwal %(t)s; nomor Anda diantrekan seperti pengunjung langsung."
        ) % {"t": _hm(start)}
    if early:
        return _(
            "Anda datang sebelum jadwal %(t)s. Nomor Anda dipanggil sesuai jadwal: sesudah "
            "pengunjung yang datang sebelum pukul %(t)s."
        ) % {"t": _hm(start)}
    return _(
        "Terima kasih sudah datang tepat waktu. Nomor Anda diantrekan sesuai jadwal %(t)s."
    ) % {"t": _hm(start)}


@dataclass(frozen=True)
class SlipNote:
    """What the slip of a checked-in booking says besides the number."""

    message: str
    late: bool


def slip_note(ticket: Ticket) -> SlipNote | None:
    """The check-in's message for the slip of `ticket`, or None for a number taken without a
    booking: one query, by the mall's checked-in bookings (index on mall and status), none for
    a number not taken at a kiosk."""
    if ticket.channel != Ticket.Channel.KIOSK:
        return None
    appointment = (
        Appointment.objects.select_related("slot", "mall__region")
        .filter(
            mall_id=ticket.mall_id,
            status=Appointment.Status.CHECKED_IN,
            ticket_code=ticket.code,
        )
        .first()
    )
    if appointment is None:
        return None
    start = slot_start(appointment)
    late = appointment.checked_in_late
    early = not late and appointment.checked_in_at is not None and appointment.checked_in_at < start
    return SlipNote(message_for(late=late, early=early, start=start), late)


def _again(appointment: Appointment, *, today: dt.date, start: dt.datetime) -> CheckedIn:
    """A booking checked in before: the same number on the same day (a second scan, a second
    kiosk, a retry), refused on a later day."""
    ticket = (
        Ticket.objects.select_related("queue", "service", "mall")
        .filter(code=appointment.ticket_code)
        .first()
    )
    if ticket is None or ticket.service_day != today:
        raise CheckInRefused(
            _("Janji temu ini sudah dipakai untuk lapor hadir pada %(d)s.")
            % {"d": date_format(appointment.slot.date, "l, j F Y")},
            code=CheckInCode.APPOINTMENT_USED,
            status=409,
        )
    late = appointment.checked_in_late
    early = not late and appointment.checked_in_at is not None and appointment.checked_in_at < start
    return CheckedIn(
        ticket=ticket,
        appointment=appointment,
        created=False,
        late=late,
        early=early,
        message=message_for(late=late, early=early, start=start),
    )


def _require_booked(appointment: Appointment) -> None:
    status = appointment.status
    if status == Appointment.Status.BOOKED:
        return
    refusals: dict[str, tuple[CheckInCode, str]] = {
        Appointment.Status.CANCELLED: (
            CheckInCode.APPOINTMENT_CANCELLED,
            _("Janji temu ini sudah dibatalkan. Silakan ambil nomor antrean biasa."),
        ),
        Appointment.Status.CLOSED: (
            CheckInCode.APPOINTMENT_CLOSED,
            _(
                "Janji temu ini dibatalkan karena layanan tutup pada hari itu. Silakan ambil "
                "nomor antrean biasa atau pesan waktu lain."
            ),
        ),
        Appointment.Status.NO_SHOW: (
            CheckInCode.APPOINTMENT_NO_SHOW,
            _("Janji temu ini sudah lewat dan tercatat tidak datang."),
        ),
    }
    code, message = refusals.get(
        status,
        (CheckInCode.APPOINTMENT_CANCELLED, _("Janji temu ini tidak dapat dipakai lagi.")),
    )
    raise CheckInRefused(message, code=code, status=409)


def _not_found() -> CheckInRefused:
    return CheckInRefused(
        _("Kode janji temu tidak ditemukan. Periksa lagi kodenya, atau tanyakan petugas."),
        code=CheckInCode.APPOINTMENT_NOT_FOUND,
        status=404,
    )
