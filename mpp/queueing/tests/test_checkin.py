"""Checking in a booking at the kiosk (queueing.checkin): the window, the refusals, the number
and its waiting time, one number per booking (docs/adr/0036)."""

from __future__ import annotations

import datetime as dt

import pytest

from mpp.appointments.models import Appointment, BookingSettings
from mpp.catalog.models import MallService
from mpp.core.models import AuditEntry
from mpp.queueing.checkin import CheckInRefused, check_in, normalise_code, slip_note
from mpp.queueing.models import Ticket, TicketEvent
from mpp.queueing.tests.bookings import book
from mpp.queueing.tests.conftest import WITA

AKTA = "akta-kelahiran"


def at(hhmm: str) -> dt.datetime:
    """Monday 30 November 2026 at `hhmm` WITA, the fixture's day."""
    return dt.datetime.combine(dt.date(2026, 11, 30), dt.time.fromisoformat(hhmm), tzinfo=WITA)


@pytest.fixture
def akta(service_by_slug):  # type: ignore[no-untyped-def]
    return service_by_slug(AKTA)


def test_a_code_is_read_as_typed_grouped_or_scanned():
    assert normalise_code("7k3q-9xm2-pd") == "7K3Q9XM2PD"
    assert normalise_code(" 7K3Q 9XM2 PD \n") == "7K3Q9XM2PD"  # a scanner's Enter
    assert normalise_code("7K3Q–9XM2—PD") == "7K3Q9XM2PD"  # dashes a phone's keyboard types


def test_on_time_the_number_waits_from_the_slots_start(monday, mall_mpp, akta):
    """Checked in at 09:10 for 09:00 (inside the 15 minutes after): waits from 09:00."""
    appointment = book(mall_mpp, akta, "09:00")
    monday.move_to(at("09:10"))
    done = check_in(code=appointment.grouped_code.lower(), mall=mall_mpp)

    ticket = done.ticket
    assert done.created and not done.late and not done.early
    assert ticket.channel == Ticket.Channel.KIOSK and ticket.service == akta
    assert ticket.waiting_since == at("09:00")
    assert ticket.issued_at == at("09:10")
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CHECKED_IN
    assert appointment.checked_in_at == at("09:10") and not appointment.checked_in_late
    assert appointment.ticket_code == ticket.code
    event = TicketEvent.objects.get(ticket=ticket)
    assert event.type == "checked_in"
    assert event.data == {"appointment": appointment.code, "late": False}
    assert AuditEntry.objects.filter(action="ticket.checked_in").count() == 1
    assert "sesuai jadwal 09.00" in done.message


def test_early_the_number_waits_from_the_slots_start_not_from_arrival(monday, mall_mpp, akta):
    appointment = book(mall_mpp, akta, "09:30")  # the window opens at 09:00
    done = check_in(code=appointment.code, mall=mall_mpp)
    assert done.early and not done.late
    assert done.ticket.waiting_since == at("09:30") and done.ticket.issued_at == at("09:00")
    assert "sebelum jadwal 09.30" in done.message


def test_too_early_says_from_when_in_mall_time(monday, mall_mpp, akta):
    appointment = book(mall_mpp, akta, "10:00")
    with pytest.raises(CheckInRefused) as refused:
        check_in(code=appointment.code, mall=mall_mpp)
    assert refused.value.code == "too_early" and refused.value.status == 400
    assert "mulai pukul 09.30" in str(refused.value) and "pukul 10.00" in str(refused.value)
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.BOOKED and not Ticket.objects.exists()


def test_the_window_is_the_malls_setting(monday, mall_mpp, akta):
    BookingSettings.objects.create(mall=mall_mpp, checkin_before_minutes=60)
    appointment = book(mall_mpp, akta, "10:00")
    assert check_in(code=appointment.code, mall=mall_mpp).ticket.waiting_since == at("10:00")


def test_late_joins_as_a_walk_in_and_is_told_so(monday, mall_mpp, akta):
    """08:30 with 15 minutes after: from 08:46 on, late."""
    appointment = book(mall_mpp, akta, "08:30")
    done = check_in(code=appointment.code, mall=mall_mpp)
    assert done.late and not done.early
    assert done.ticket.waiting_since == at("09:00")
    assert done.message == (
        "Anda terlambat dari jadwal 08.30; nomor Anda diantrekan seperti pengunjung langsung."
    )
    appointment.refresh_from_db()
    assert appointment.checked_in_late
    assert TicketEvent.objects.get(ticket=done.ticket).data["late"] is True
    note = slip_note(done.ticket)
    assert note is not None and note.late and note.message == done.message


def test_the_last_minute_of_the_window_is_on_time(monday, mall_mpp, akta):
    appointment = book(mall_mpp, akta, "08:45")
    assert not check_in(code=appointment.code, mall=mall_mpp).late  # 09:00 = 08:45 + 15


def test_checking_in_again_gives_the_same_number(monday, mall_mpp, akta):
    appointment = book(mall_mpp, akta, "09:00")
    first = check_in(code=appointment.code, mall=mall_mpp)
    monday.shift(dt.timedelta(minutes=3))
    again = check_in(code=appointment.grouped_code, mall=mall_mpp)
    assert not again.created and again.ticket.pk == first.ticket.pk
    assert again.message == first.message
    assert Ticket.objects.count() == 1 and TicketEvent.objects.count() == 1


def test_a_booking_checked_in_on_an_earlier_day_is_not_used_again(monday, mall_mpp, akta):
    appointment = book(mall_mpp, akta, "09:00")
    check_in(code=appointment.code, mall=mall_mpp)
    monday.move_to(at("09:00") + dt.timedelta(days=1))
    with pytest.raises(CheckInRefused) as refused:
        check_in(code=appointment.code, mall=mall_mpp)
    assert refused.value.code == "appointment_used" and refused.value.status == 409


def test_unknown_codes_are_404(monday, mall_mpp):
    for code in ("ZZZZZZZZZZ", "", " - ", "X" * 200):
        with pytest.raises(CheckInRefused) as refused:
            check_in(code=code, mall=mall_mpp)
        assert refused.value.code == "appointment_not_found" and refused.value.status == 404


def test_another_malls_booking_is_refused_naming_that_mall(monday, mall_mpp, mall_loakulu, akta):
    appointment = book(mall_loakulu, akta, "09:00")
    with pytest.raises(CheckInRefused) as refused:
        check_in(code=appointment.code, mall=mall_mpp)
    assert refused.value.code == "appointment_other_mall" and refused.value.status == 403
    assert mall_loakulu.short_name in str(refused.value)
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.BOOKED


@pytest.mark.parametrize(
    ("status", "code"),
    [
        (Appointment.Status.CANCELLED, "appointment_cancelled"),
        (Appointment.Status.CLOSED, "appointment_closed"),
        (Appointment.Status.NO_SHOW, "appointment_no_show"),
    ],
)
def test_a_booking_no_longer_active_is_409(monday, mall_mpp, akta, status, code):
    appointment = book(mall_mpp, akta, "09:00", status=status)
    with pytest.raises(CheckInRefused) as refused:
        check_in(code=appointment.code, mall=mall_mpp)
    assert refused.value.code == code and refused.value.status == 409
    assert not Ticket.objects.exists()


@pytest.mark.parametrize("days", [1, -1])
def test_another_days_booking_is_409_with_its_day(monday, mall_mpp, akta, days):
    appointment = book(mall_mpp, akta, "09:00", day=dt.date(2026, 11, 30) + dt.timedelta(days))
    with pytest.raises(CheckInRefused) as refused:
        check_in(code=appointment.code, mall=mall_mpp)
    assert refused.value.code == "appointment_not_today" and refused.value.status == 409
    assert "Desember" in str(refused.value) or "November" in str(refused.value)


def test_the_daily_quota_does_not_refuse_a_booked_person(monday, mall_mpp, akta, issue):
    """Their place was given when they booked; walk-ins count them against the quota."""
    MallService.objects.filter(mall=mall_mpp, service=akta).update(daily_quota=1)
    issue(AKTA)
    appointment = book(mall_mpp, akta, "09:00")
    assert check_in(code=appointment.code, mall=mall_mpp).created


def test_issuing_refusals_leave_the_booking_booked(monday, mall_mpp, akta):
    """The tenant withdrew the service since: no number, and the booking can be used later."""
    appointment = book(mall_mpp, akta, "09:00")
    MallService.objects.filter(mall=mall_mpp, service=akta).delete()
    with pytest.raises(Exception) as refused:
        check_in(code=appointment.code, mall=mall_mpp)
    assert getattr(refused.value, "code", "") == "service_not_offered"
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.BOOKED and appointment.ticket_code == ""


def test_a_walk_in_slip_has_no_booking_note(monday, mall_mpp, issue):
    assert slip_note(issue(AKTA).ticket) is None
