"""People booking at the same instant: real threads, each with its own connection, against the
configured database (SQLite in `make test`, PostgreSQL in CI's second pass). A slot never
holds more than its places; one person never holds two active bookings of one service."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from mpp.appointments import booking
from mpp.appointments.exceptions import AppointmentRefused
from mpp.appointments.models import Appointment, Slot
from mpp.appointments.tests import world
from mpp.core.tests.clients import run_parallel

pytestmark = pytest.mark.django_db(transaction=True)


def _attempt(bookable, *, nik: str, start: dt.time) -> str:  # type: ignore[no-untyped-def]
    try:
        booking.book(
            bookable=bookable, day=world.TUESDAY, start=start, nik=nik, phone="081234567890"
        )
    except AppointmentRefused as refused:
        return str(refused.code)
    return "booked"


@time_machine.travel(world.NOW, tick=False)
def test_forty_people_for_five_places_make_five(uji):
    bookable = world.make_bookable()
    niks = [world.nik() for _ in range(40)]
    results, errors = run_parallel(40, lambda i: _attempt(bookable, nik=niks[i], start=dt.time(8)))
    assert errors == []
    assert sorted(results) == ["booked"] * 5 + ["slot_full"] * 35
    slot = Slot.objects.get(date=world.TUESDAY, start=dt.time(8))
    assert slot.booked == 5 == Appointment.objects.filter(slot=slot).count()


@time_machine.travel(world.NOW, tick=False)
def test_one_person_sent_ten_times_at_once_across_slots_is_booked_once(uji):
    bookable = world.make_bookable()
    number = world.nik()
    starts = [dt.time(8 + i // 2, 30 * (i % 2)) for i in range(10)]
    results, errors = run_parallel(10, lambda i: _attempt(bookable, nik=number, start=starts[i]))
    assert errors == []
    assert sorted(results) == ["already_booked"] * 9 + ["booked"]
    assert Appointment.objects.filter(status="booked").count() == 1
    # Every place taken by a refused attempt was given back with its transaction.
    assert sum(Slot.objects.filter(date=world.TUESDAY).values_list("booked", flat=True)) == 1


@time_machine.travel(world.NOW, tick=False)
def test_cancels_and_bookings_at_once_never_overfill(uji):
    bookable = world.make_bookable()
    held = [
        booking.book(
            bookable=bookable, day=world.TUESDAY, start=dt.time(8), nik=world.nik(),
            phone="081234567890",
        )
        for _ in range(5)
    ]  # fmt: skip
    newcomers = [world.nik() for _ in range(10)]

    def work(i: int) -> str:
        if i < 3:
            booking.cancel(
                Appointment.objects.select_related("slot", "mall__region").get(pk=held[i].pk)
            )
            return "cancelled"
        return _attempt(bookable, nik=newcomers[i - 3], start=dt.time(8))

    results, errors = run_parallel(13, work)
    assert errors == []
    slot = Slot.objects.get(date=world.TUESDAY, start=dt.time(8))
    active = Appointment.objects.filter(slot=slot, status="booked").count()
    assert slot.booked == active <= 5
    assert results.count("booked") == active - 2
