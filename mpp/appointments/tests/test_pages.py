"""The booking pages without JavaScript: choose, book (errors next to the field, nothing half
written), the booking's page (code, QR, what to bring, masked data), calendar file, cancel and
move, the staff's list; and the demo's bookable services."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client

from mpp.appointments import booking
from mpp.appointments.ics import calendar_file, escape
from mpp.appointments.models import Appointment, Slot
from mpp.appointments.tests import world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _monday_morning():  # type: ignore[no-untyped-def]
    with time_machine.travel(world.NOW, tick=False):
        yield


@pytest.fixture
def bookable(uji):  # type: ignore[no-untyped-def]
    return world.make_bookable()


def _choice(b, **extra: str) -> str:  # type: ignore[no-untyped-def]
    params = {"mall": b.mall.pk, "service": b.service.pk, "date": "2026-08-11", "start": "08:00"}
    params.update(extra)
    return "&".join(f"{k}={v}" for k, v in params.items())


def test_choosing_step_by_step(client: Client, bookable):  # type: ignore[no-untyped-def]
    page = client.get("/janji/")
    assert page.status_code == 200 and bookable.mall.name in page.content.decode()
    page = client.get(f"/janji/?mall={bookable.mall.pk}")
    assert bookable.service.name in page.content.decode()
    page = client.get(f"/janji/?mall={bookable.mall.pk}&service={bookable.service.pk}")
    assert "Selasa, 11 Agustus 2026" in page.content.decode()
    page = client.get(
        f"/janji/?mall={bookable.mall.pk}&service={bookable.service.pk}&date=2026-08-11"
    )
    text = page.content.decode()
    assert "08.00–08.30" in text and "sisa 5 tempat" in text
    closed = client.get(
        f"/janji/?mall={bookable.mall.pk}&service={bookable.service.pk}&date=2026-08-15"
    )
    assert closed.status_code == 400 and "tutup" in closed.content.decode()
    assert client.get("/janji/?mall=999999").status_code == 404


def test_booking_through_the_form_leads_to_its_page(client: Client, bookable):  # type: ignore[no-untyped-def]
    number = world.nik()
    response = client.post(
        "/janji/pesan/",
        {"mall": bookable.mall.pk, "service": bookable.service.pk, "date": "2026-08-11",
         "start": "08:00", "nik": number, "phone": "0812-3456-7890", "messages": "on"},
    )  # fmt: skip
    made = Appointment.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/janji/{made.access_key}/"
    page = client.get(response["Location"])
    text = page.content.decode()
    assert page["Cache-Control"] == "no-store"
    assert made.grouped_code in text and "data:image/svg+xml" in text  # the QR
    assert "Kartu Keluarga" in text  # what to bring
    assert made.nik_masked in text and number not in text
    assert "0812****890" in text and "6281234567890" not in text
    assert "07.30" in text and "08.15" in text  # the check-in window
    assert made.wants_messages


def test_form_errors_stand_next_to_the_field_and_nothing_is_written(client: Client, bookable):  # type: ignore[no-untyped-def]
    response = client.post(
        "/janji/pesan/?" + _choice(bookable),
        {"mall": bookable.mall.pk, "service": bookable.service.pk, "date": "2026-08-11",
         "start": "08:00", "nik": "1234", "phone": "0812 3456 7890"},
    )  # fmt: skip
    assert response.status_code == 400
    assert 'data-error-for="nik"' in response.content.decode()
    assert "NIK harus 16 angka." in response.content.decode()
    assert Appointment.objects.count() == 0 and Slot.objects.filter(booked__gt=0).count() == 0


def test_the_form_without_a_choice_is_a_404(client: Client, bookable):  # type: ignore[no-untyped-def]
    assert client.get("/janji/pesan/").status_code == 404
    assert client.get("/janji/pesan/?" + _choice(bookable)).status_code == 200


def _made(bookable):  # type: ignore[no-untyped-def]
    return booking.book(
        bookable=bookable, day=world.TUESDAY, start=dt.time(8), nik=world.nik(),
        phone="081234567890",
    )  # fmt: skip


def test_cancel_and_move_from_the_booking_page(client: Client, bookable):  # type: ignore[no-untyped-def]
    made = _made(bookable)
    moved = client.post(
        f"/janji/{made.access_key}/pindah/", {"date": "2026-08-12", "start": "09:00"}
    )
    assert moved.status_code == 302
    made.refresh_from_db()
    assert (made.slot.date, made.slot.start) == (world.WEDNESDAY, dt.time(9))
    listing = client.get(f"/janji/{made.access_key}/pindah/?date=2026-08-13")
    assert listing.status_code == 200 and "08.00–08.30" in listing.content.decode()
    assert client.post(f"/janji/{made.access_key}/batal/").status_code == 302
    assert Appointment.objects.get(pk=made.pk).status == "cancelled"
    again = client.post(f"/janji/{made.access_key}/batal/")
    assert again.status_code == 409
    assert client.get(f"/janji/{made.access_key}/batal/").status_code == 405


def test_an_unknown_key_is_a_404(client: Client, bookable):  # type: ignore[no-untyped-def]
    assert client.get("/janji/tidak-ada-kunci-ini/").status_code == 404
    assert client.get("/janji/tidak-ada-kunci-ini/kalender.ics").status_code == 404
    assert client.post("/janji/tidak-ada-kunci-ini/batal/").status_code == 404


def test_the_calendar_file(client: Client, bookable):  # type: ignore[no-untyped-def]
    made = _made(bookable)
    response = client.get(f"/janji/{made.access_key}/kalender.ics")
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert "DTSTART:20260811T000000Z" in body and "DTEND:20260811T003000Z" in body  # WITA−8
    assert f"UID:{made.code}@" in body and "BEGIN:VEVENT" in body and body.endswith("\r\n")
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    assert escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    assert "Jl. Uji No. 1\\, Kota Uji" in calendar_file(made, host="x").replace("\r\n ", "")


def test_the_staff_list_shows_counts_and_masked_niks(client: Client, bookable, cast):  # type: ignore[no-untyped-def]
    from mpp.accounts.models import Role
    from mpp.accounts.tests.factories import make_staff

    made = _made(bookable)
    boss = make_staff(Role.REGENCY_ADMIN, username="dpmptsp.uji", region="uji")
    client.force_login(boss)
    page = client.get(f"/janji/mal/{bookable.mall.pk}/?date=2026-08-11")
    text = page.content.decode()
    assert page.status_code == 200 and made.nik_masked in text and made.grouped_code in text
    client.force_login(cast.supervisor_mpp())  # Kukar's: another region's mall
    assert client.get(f"/janji/mal/{bookable.mall.pk}/").status_code == 403
    assert client.get("/janji/mal/999999/").status_code == 404


def test_the_demo_opens_services_to_booking_once(kukar):  # type: ignore[no-untyped-def]
    from mpp.appointments.demo import load_demo_booking
    from mpp.appointments.models import BookableService
    from mpp.malls.models import Region

    region = Region.objects.get(slug="kukar")
    assert load_demo_booking(region) > 0
    assert load_demo_booking(region) == 0
    assert BookableService.objects.filter(mall__slug="mpp-kukar").count() >= 3
