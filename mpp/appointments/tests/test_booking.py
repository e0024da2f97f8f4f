"""Slots, booking, cancelling and moving (docs/adr/0035), with the clock held on a Monday."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from mpp.appointments import booking
from mpp.appointments.booking import nik_digest
from mpp.appointments.exceptions import AppointmentRefused
from mpp.appointments.models import Appointment, BookableService, Slot
from mpp.appointments.queries import booked_due
from mpp.appointments.slots import capacity_of, day_slots, slot_times
from mpp.appointments.tests import world
from mpp.malls.models import MallClosure
from mpp.notifications.models import Message

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _monday_morning():  # type: ignore[no-untyped-def]
    with time_machine.travel(world.NOW, tick=False):
        yield


T = dt.time
EIGHT = T(8, 0)


def _book(bookable, day=world.TUESDAY, start=EIGHT, nik=None, **kw):  # type: ignore[no-untyped-def]
    return booking.book(
        bookable=bookable,
        day=day,
        start=start,
        nik=nik or world.nik(),
        phone=kw.pop("phone", "0812 3456 7890"),
        **kw,
    )


def _refusal(fn, *args, **kwargs) -> AppointmentRefused:  # type: ignore[no-untyped-def]
    with pytest.raises(AppointmentRefused) as caught:
        fn(*args, **kwargs)
    return caught.value


def test_a_tuesday_has_fifteen_half_hour_slots_ending_by_the_number_cut_off(uji):
    bookable = world.make_bookable()
    slots = day_slots(bookable, world.TUESDAY, today=world.NOW.date())
    assert [(s.start, s.end) for s in slots][:2] == [(T(8, 0), T(8, 30)), (T(8, 30), T(9, 0))]
    assert slots[-1].end == T(15, 30)  # last_ticket_at, not closing (16.00)
    assert len(slots) == 15
    assert {s.capacity for s in slots} == {5}


def test_friday_slots_skip_the_prayer_break(uji):
    bookable = world.make_bookable()
    slots = day_slots(bookable, world.FRIDAY, today=world.NOW.date())
    starts = [s.start for s in slots]
    assert T(11, 0) in starts and T(11, 30) not in starts and T(13, 0) not in starts
    assert T(13, 30) in starts
    assert all(not (s.start < T(13, 30) and s.end > T(11, 30)) for s in slots)


def test_slots_are_made_once_however_often_asked(uji):
    bookable = world.make_bookable()
    first = day_slots(bookable, world.TUESDAY, today=world.NOW.date())
    again = day_slots(bookable, world.TUESDAY, today=world.NOW.date())
    assert [s.pk for s in first] == [s.pk for s in again]
    assert Slot.objects.count() == 15


def test_capacity_is_the_booking_share_of_the_counters_time_at_least_one(uji):
    bookable = world.make_bookable()
    setup, rules = bookable.setup, bookable.rules
    assert capacity_of(setup, rules) == 5  # 5 × 30 ÷ 12 × 40 % = 5
    rules.share_percent = 20
    assert capacity_of(setup, rules) == 2  # 2.5, floored: walk-ins keep the rest
    setup.counters, setup.minutes_per_citizen = 1, 60
    assert capacity_of(setup, rules) == 1  # never 0 for a bookable service


def test_slot_times_fit_inside_the_hours_without_a_cut_off():
    from mpp.malls.models import OpeningHours

    hours = OpeningHours(weekday=1, opens=T(8, 0), closes=T(9, 40))
    assert slot_times(hours, 30) == [(T(8, 0), T(8, 30)), (T(8, 30), T(9, 0)), (T(9, 0), T(9, 30))]


@pytest.mark.parametrize(
    ("day", "code"),
    [
        (world.NOW.date(), "day_past"),  # today walks in
        (dt.date(2026, 8, 9), "day_past"),
        (world.SATURDAY, "day_closed"),
        (world.HOLIDAY, "day_closed"),
        (dt.date(2026, 8, 25), "beyond_horizon"),  # 15 days ahead; the horizon is 14
    ],
)
def test_days_that_cannot_be_booked_say_why(uji, day, code):
    bookable = world.make_bookable()
    refused = _refusal(day_slots, bookable, day, today=world.NOW.date())
    assert refused.code == code and refused.field == "date"
    assert str(refused)  # an Indonesian reason


def test_the_last_day_of_the_horizon_is_bookable(uji):
    bookable = world.make_bookable()
    assert day_slots(bookable, dt.date(2026, 8, 24), today=world.NOW.date())


def test_a_tenant_serves_only_on_its_days(uji):
    bookable = world.make_bookable("paspor-uji")
    refused = _refusal(day_slots, bookable, world.TUESDAY, today=world.NOW.date())
    assert refused.code == "day_closed"
    assert "Imigrasi" in str(refused)
    assert day_slots(bookable, world.WEDNESDAY, today=world.NOW.date())


def test_a_mall_closure_closes_its_days_to_booking_and_to_the_kiosk(uji):
    bookable = world.make_bookable()
    MallClosure.objects.create(
        mall=bookable.mall, starts_on=world.TUESDAY, ends_on=world.WEDNESDAY, reason="Renovasi"
    )
    assert _refusal(day_slots, bookable, world.TUESDAY, today=world.NOW.date()).code == "day_closed"
    assert bookable.mall.hours_on(world.WEDNESDAY) is None
    assert bookable.mall.hours_on(world.FRIDAY) is not None
    assert world.WEDNESDAY in bookable.mall.holidays_between(world.NOW.date(), 14)


def test_booking_closed_at_the_mall(uji):
    bookable = world.make_bookable(is_open=False)
    assert _refusal(day_slots, bookable, world.TUESDAY, today=world.NOW.date()).code == (
        "booking_closed"
    )


def test_a_booking_keeps_only_the_nik_digest_and_its_masked_form(uji):
    bookable = world.make_bookable()
    number = world.nik()
    made = _book(bookable, nik=number)
    made.refresh_from_db()
    assert made.status == "booked"
    assert made.nik_digest == nik_digest(number) and number not in made.nik_digest
    assert made.nik_masked == number[:4] + "••••••••" + number[-4:]
    assert made.phone == "6281234567890"
    assert len(made.code) == 10 and len(made.access_key) >= 27
    assert Slot.objects.get(pk=made.slot_id).booked == 1
    fields = [f.attname for f in Appointment._meta.fields]
    assert all(getattr(made, f) != number for f in fields)


def test_the_digest_is_keyed_by_the_secret(uji, settings):
    first = nik_digest("6402061501900001")
    settings.SECRET_KEY = "x" * 50
    assert nik_digest("6402061501900001") != first


def test_a_full_slot_refuses_and_the_next_one_takes(uji):
    bookable = world.make_bookable()
    for _ in range(5):
        _book(bookable)
    refused = _refusal(_book, bookable)
    assert (refused.code, refused.status) == ("slot_full", 409)
    assert Appointment.objects.count() == 5  # nothing half written
    assert _book(bookable, start=T(8, 30)).slot.start == T(8, 30)


def test_one_active_booking_per_person_and_service(uji):
    bookable = world.make_bookable()
    number = world.nik()
    _book(bookable, nik=number)
    refused = _refusal(_book, bookable, start=T(9, 0), nik=number)
    assert (refused.code, refused.status, refused.field) == ("already_booked", 409, "nik")
    assert Slot.objects.get(start=T(9, 0), date=world.TUESDAY).booked == 0
    # Another service is another booking.
    other = world.make_bookable("akta-lahir-uji")
    assert _book(other, nik=number).status == "booked"


def test_the_database_itself_refuses_a_second_active_booking(uji):
    """The check before writing is for the message; the partial unique index is the rule
    (its mapping to `already_booked` under a race: test_concurrency)."""
    from django.db import IntegrityError, transaction

    bookable = world.make_bookable()
    made = _book(bookable)
    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.create(
            code="SECONDXYZ2", access_key="second", mall=made.mall, service=made.service,
            slot=made.slot, channel="web", nik_digest=made.nik_digest, nik_masked="x",
            created_at=world.NOW,
        )  # fmt: skip
    booking.cancel(made)
    Appointment.objects.create(
        code="SECONDXYZ2", access_key="second", mall=made.mall, service=made.service,
        slot=made.slot, channel="web", nik_digest=made.nik_digest, nik_masked="x",
        created_at=world.NOW,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("nik", "phone", "field", "code"),
    [
        ("123", "081234567890", "nik", "invalid_nik"),
        ("6402063201900001", "081234567890", "nik", "invalid_nik"),  # day 32
        ("6402061501900001", "021 555 1234", "phone", "invalid_phone"),  # a landline
        ("6402061501900001", "", "phone", "invalid_phone"),
    ],
)
def test_a_bad_nik_or_phone_names_the_field(uji, nik, phone, field, code):
    bookable = world.make_bookable()
    refused = _refusal(_book, bookable, nik=nik, phone=phone)
    assert (refused.field, refused.code, refused.status) == (field, code, 400)
    assert Appointment.objects.count() == 0


def test_a_time_that_is_no_slot_names_the_start(uji):
    bookable = world.make_bookable()
    refused = _refusal(_book, bookable, start=T(8, 10))
    assert (refused.field, refused.code) == ("start", "bad_start")


def test_repeated_no_shows_block_booking_until_a_date(uji):
    bookable = world.make_bookable(no_show_limit=2, no_show_window_days=60, block_days=30)
    number = world.nik()
    digest = nik_digest(number)
    slot = day_slots(bookable, world.TUESDAY, today=world.NOW.date())[0]
    for i, day in enumerate([dt.date(2026, 7, 20), dt.date(2026, 8, 3)]):
        past = Slot.objects.create(
            mall=bookable.mall, service=bookable.service, date=day, start=T(8, 0),
            end=T(8, 30), capacity=5, booked=0,
        )  # fmt: skip
        Appointment.objects.create(
            code=f"NOSHOW{i}ABC", access_key=f"k{i}", mall=bookable.mall,
            service=bookable.service, slot=past, channel="web", nik_digest=digest,
            nik_masked="x", status="no_show", created_at=world.NOW,
        )  # fmt: skip
    refused = _refusal(_book, bookable, nik=number)
    assert (refused.code, refused.status) == ("no_show_blocked", 403)
    assert "3 September 2026" in str(refused)  # 3 August + 30 days, booking again from the 3rd
    assert Slot.objects.get(pk=slot.pk).booked == 0
    with time_machine.travel(dt.datetime(2026, 9, 3, 9, 0, tzinfo=world.WITA), tick=False):
        assert _book(bookable, day=dt.date(2026, 9, 4), nik=number).status == "booked"


def test_one_no_show_does_not_block(uji):
    bookable = world.make_bookable(no_show_limit=2)
    number = world.nik()
    past = Slot.objects.create(
        mall=bookable.mall, service=bookable.service, date=dt.date(2026, 8, 3),
        start=T(8, 0), end=T(8, 30), capacity=5,
    )  # fmt: skip
    Appointment.objects.create(
        code="NOSHOWXABC", access_key="k", mall=bookable.mall, service=bookable.service,
        slot=past, channel="web", nik_digest=nik_digest(number), nik_masked="x",
        status="no_show", created_at=world.NOW,
    )  # fmt: skip
    assert _book(bookable, nik=number).status == "booked"


def test_cancelling_frees_the_place_at_once(uji):
    bookable = world.make_bookable()
    made = [_book(bookable) for _ in range(5)]
    booking.cancel(made[0])
    assert Appointment.objects.get(pk=made[0].pk).status == "cancelled"
    assert Slot.objects.get(pk=made[0].slot_id).booked == 4
    assert _book(bookable).status == "booked"  # the freed place
    refused = _refusal(booking.cancel, Appointment.objects.get(pk=made[0].pk))
    assert (refused.code, refused.status) == ("not_booked", 409)


def test_a_cancelled_person_may_book_the_service_again(uji):
    bookable = world.make_bookable()
    number = world.nik()
    booking.cancel(_book(bookable, nik=number))
    assert _book(bookable, nik=number).status == "booked"


def test_no_cancel_once_the_slot_has_started(uji):
    bookable = world.make_bookable()
    made = _book(bookable)
    with time_machine.travel(dt.datetime(2026, 8, 11, 8, 0, tzinfo=world.WITA), tick=False):
        refused = _refusal(booking.cancel, Appointment.objects.get(pk=made.pk))
    assert (refused.code, refused.status) == ("too_late", 409)
    assert Slot.objects.get(pk=made.slot_id).booked == 1


def test_rescheduling_takes_the_new_place_and_frees_the_old(uji):
    bookable = world.make_bookable()
    made = _book(bookable)
    old_slot = made.slot_id
    booking.reschedule(made, bookable=bookable, day=world.FRIDAY, start=T(13, 30))
    made.refresh_from_db()
    assert (made.slot.date, made.slot.start, made.status) == (world.FRIDAY, T(13, 30), "booked")
    assert Slot.objects.get(pk=old_slot).booked == 0
    assert made.slot.booked == 1


def test_rescheduling_to_a_full_slot_keeps_the_old_booking(uji):
    bookable = world.make_bookable()
    made = _book(bookable)
    for _ in range(5):
        _book(bookable, start=T(9, 0))
    refused = _refusal(
        booking.reschedule, made, bookable=bookable, day=world.TUESDAY, start=T(9, 0)
    )
    assert refused.code == "slot_full"
    made.refresh_from_db()
    assert made.slot.start == T(8, 0) and made.slot.booked == 1
    assert Slot.objects.get(date=world.TUESDAY, start=T(9, 0)).booked == 5


def test_rescheduling_to_the_same_slot_or_a_closed_day_is_refused(uji):
    bookable = world.make_bookable()
    made = _book(bookable)
    same = _refusal(booking.reschedule, made, bookable=bookable, day=world.TUESDAY, start=T(8, 0))
    assert same.code == "same_slot"
    closed = _refusal(
        booking.reschedule, made, bookable=bookable, day=world.SATURDAY, start=T(8, 0)
    )
    assert closed.code == "day_closed"


def test_a_confirmation_is_sent_only_to_who_asked_and_holds_no_nik(uji):
    bookable = world.make_bookable()
    number = world.nik()
    _book(bookable, nik=number)
    assert Message.objects.count() == 0
    made = _book(bookable, wants_messages=True)
    sent = list(Message.objects.all())
    assert sent, "a confirmation for who asked"
    body = sent[0].body
    assert made.grouped_code in body and "Kartu Keluarga" in body  # what to bring
    assert number not in body and made.nik_masked not in body


def test_booked_due_lists_booked_people_of_a_day_by_start(uji):
    bookable = world.make_bookable()
    later = _book(bookable, start=T(10, 0))
    first = _book(bookable, start=T(8, 30))
    cancelled = _book(bookable, start=T(8, 0))
    booking.cancel(cancelled)
    due = booked_due(mall_id=bookable.mall.pk, service_ids=[bookable.service.pk], day=world.TUESDAY)
    assert [d.start for d in due] == [
        dt.datetime(2026, 8, 11, 8, 30, tzinfo=world.WITA),
        dt.datetime(2026, 8, 11, 10, 0, tzinfo=world.WITA),
    ]
    assert {d.service_id for d in due} == {bookable.service.pk}
    assert first.pk != later.pk
    assert booked_due(mall_id=bookable.mall.pk, service_ids=[], day=world.TUESDAY) == []


def test_booked_due_is_one_query(uji, django_assert_num_queries):
    bookable = world.make_bookable()
    for start in (T(8, 0), T(9, 0), T(10, 0)):
        _book(bookable, start=start)
    with django_assert_num_queries(1):
        assert (
            len(
                booked_due(
                    mall_id=bookable.mall.pk, service_ids={bookable.service.pk}, day=world.TUESDAY
                )
            )
            == 3
        )


def test_a_disabled_bookable_service_is_not_found(uji):
    from django.http import Http404

    from mpp.appointments.slots import access_bookable

    bookable = world.make_bookable()
    BookableService.objects.filter(pk=bookable.setup.pk).update(is_enabled=False)
    with pytest.raises(Http404):
        access_bookable(mall_id=bookable.mall.pk, service_id=bookable.service.pk)
