"""The periodic work: closures, holidays and tenant days close bookings (and tell people),
no-shows are counted, reminders go once; the clock moved with time-machine."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from mpp.appointments import booking, upkeep
from mpp.appointments.models import Appointment, Slot
from mpp.appointments.tests import world
from mpp.catalog.models import MallTenant
from mpp.malls.models import Holiday, MallClosure
from mpp.notifications.models import Message

pytestmark = pytest.mark.django_db


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=world.WITA)


@pytest.fixture
def booked(uji):  # type: ignore[no-untyped-def]
    """Two bookings on Tuesday 08.00 and one on Wednesday, made on Monday; messages wanted."""
    with time_machine.travel(world.NOW, tick=False):
        bookable = world.make_bookable()
        made = [
            booking.book(
                bookable=bookable, day=day, start=dt.time(8), nik=world.nik(),
                phone="081234567890", wants_messages=True,
            )
            for day in (world.TUESDAY, world.TUESDAY, world.WEDNESDAY)
        ]  # fmt: skip
    return bookable, made


def _status(appointment: Appointment) -> str:
    return Appointment.objects.get(pk=appointment.pk).status


def test_a_planned_closure_closes_its_bookings_tells_them_and_runs_once(booked):
    bookable, made = booked
    MallClosure.objects.create(
        mall=bookable.mall, starts_on=world.TUESDAY, ends_on=world.TUESDAY, reason="Renovasi"
    )
    with time_machine.travel(world.NOW, tick=False):
        assert upkeep.close_hit_appointments() == 2
        assert upkeep.close_hit_appointments() == 0  # idempotent
    row = Appointment.objects.get(pk=made[0].pk)
    assert row.status == "closed" and "Renovasi" in row.cancel_reason
    assert _status(made[2]) == "booked"
    assert Slot.objects.get(pk=made[0].slot_id).booked == 0
    told = Message.objects.filter(kind="appointment.closed")
    assert told.count() == 2 and "Renovasi" in told.first().body  # type: ignore[union-attr]


def test_a_sudden_closure_today_closes_the_slots_after_it(booked):
    bookable, made = booked
    late = Appointment.objects.get(pk=made[1].pk)
    with time_machine.travel(world.NOW, tick=False):
        booking.reschedule(late, bookable=bookable, day=world.TUESDAY, start=dt.time(13))
    MallClosure.objects.create(
        mall=bookable.mall, starts_on=world.TUESDAY, ends_on=world.TUESDAY,
        from_time=dt.time(11), reason="Listrik padam",
    )  # fmt: skip
    with time_machine.travel(_at(world.TUESDAY, 11), tick=False):
        upkeep.close_hit_appointments()
    assert _status(made[1]) == "closed"  # 13.00, after the closure
    assert _status(made[0]) == "booked"  # 08.00, before it (its own check-in or no-show)


def test_a_holiday_declared_later_closes_the_day(booked):
    bookable, made = booked
    Holiday.objects.create(region=bookable.mall.region, date=world.WEDNESDAY, name="Pilkada")
    with time_machine.travel(world.NOW, tick=False):
        assert upkeep.close_hit_appointments() == 1
    assert "Pilkada" in Appointment.objects.get(pk=made[2].pk).cancel_reason


def test_a_tenant_no_longer_serving_that_weekday_closes_the_day(booked):
    bookable, made = booked
    MallTenant.objects.filter(mall=bookable.mall, tenant=bookable.service.tenant).update(
        service_days="245"
    )
    with time_machine.travel(world.NOW, tick=False):
        assert upkeep.close_hit_appointments() == 1
    assert _status(made[2]) == "closed"
    assert "Disdukcapil" in Appointment.objects.get(pk=made[2].pk).cancel_reason


def test_open_days_close_nothing(booked):
    with time_machine.travel(world.NOW, tick=False):
        assert upkeep.close_hit_appointments() == 0


def test_no_shows_after_the_check_in_window(booked):
    _, made = booked  # check-in until 15 minutes after the start (the default)
    with time_machine.travel(_at(world.TUESDAY, 8, 14), tick=False):
        assert upkeep.mark_no_shows() == 0
    Appointment.objects.filter(pk=made[1].pk).update(status="checked_in")
    with time_machine.travel(_at(world.TUESDAY, 8, 16), tick=False):
        assert upkeep.mark_no_shows() == 1
        assert upkeep.mark_no_shows() == 0
    assert [_status(m) for m in made] == ["no_show", "checked_in", "booked"]


def test_reminders_go_the_day_before_once(booked):
    with time_machine.travel(_at(world.NOW.date(), 6), tick=False):
        assert upkeep.send_reminders() == 0  # not at night
    with time_machine.travel(_at(world.NOW.date(), 16), tick=False):
        assert upkeep.send_reminders() == 2  # Tuesday's, not Wednesday's
        assert upkeep.send_reminders() == 0
    reminders = Message.objects.filter(kind="appointment.reminder")
    assert reminders.count() == 2
    assert "Kartu Keluarga" in reminders.first().body  # type: ignore[union-attr]
    with time_machine.travel(_at(world.TUESDAY, 16), tick=False):
        assert upkeep.send_reminders() == 1  # Wednesday's


def test_no_reminder_without_consent(uji):
    with time_machine.travel(world.NOW, tick=False):
        bookable = world.make_bookable()
        booking.book(
            bookable=bookable, day=world.TUESDAY, start=dt.time(8), nik=world.nik(),
            phone="081234567890",
        )  # fmt: skip
    with time_machine.travel(_at(world.NOW.date(), 16), tick=False):
        assert upkeep.send_reminders() == 0
    assert Message.objects.count() == 0


def test_the_closing_job_reads_each_day_once_not_each_booking(uji, django_assert_max_num_queries):
    """Every booking of the horizon is checked every five minutes: its queries grow with the
    days booked, not with the bookings (a day's closure, holiday and hours are read once)."""
    with time_machine.travel(world.NOW, tick=False):
        bookable = world.make_bookable(counters=5)
        for start in (dt.time(8), dt.time(8, 30), dt.time(9)):
            for _n in range(2):
                booking.book(
                    bookable=bookable, day=world.TUESDAY, start=start, nik=world.nik(),
                    phone="081234567890",
                )  # fmt: skip
        booking.book(
            bookable=bookable, day=world.WEDNESDAY, start=dt.time(8), nik=world.nik(),
            phone="081234567890",
        )  # fmt: skip
        assert Appointment.objects.filter(status="booked").count() == 7
        with django_assert_max_num_queries(12):
            assert upkeep.close_hit_appointments() == 0


def test_a_booking_moved_after_its_reminder_is_reminded_again_for_its_new_day(booked):
    bookable, made = booked
    with time_machine.travel(_at(world.NOW.date(), 16), tick=False):
        assert upkeep.send_reminders() == 2  # Tuesday's two
        booking.reschedule(made[0], bookable=bookable, day=world.WEDNESDAY, start=dt.time(9))
    with time_machine.travel(_at(world.TUESDAY, 16), tick=False):
        assert upkeep.send_reminders() == 2  # Wednesday's: the one booked there and the moved one
        assert upkeep.send_reminders() == 0
    moved = Message.objects.filter(kind="appointment.reminder", body__contains=made[0].grouped_code)
    assert moved.count() == 2  # once for Tuesday, once for Wednesday
