"""The booking contract: GET slots, POST and DELETE appointments, every status."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.test import Client

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


def _slots(client: Client, mall_id: object, **params: object):  # type: ignore[no-untyped-def]
    return client.get(f"/api/v1/malls/{mall_id}/slots", params)


def _post(client: Client, body: dict[str, object], address: str = "192.0.2.1"):  # type: ignore[no-untyped-def]
    return client.post(
        "/api/v1/appointments",
        json.dumps(body),
        content_type="application/json",
        REMOTE_ADDR=address,
    )


def _body(bookable, **over: object) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return {
        "mall_id": bookable.mall.pk,
        "service_id": bookable.service.pk,
        "date": "2026-08-11",
        "start": "08:00",
        "nik": world.nik(),
        "phone": "081234567890",
        **over,
    }


def test_slots_of_a_day(client, bookable):
    response = _slots(client, bookable.mall.pk, service_id=bookable.service.pk, date="2026-08-11")
    assert response.status_code == 200
    rows = response.json()
    assert rows[0] == {"start": "08:00", "end": "08:30", "capacity": 5, "available": 5}
    assert len(rows) == 15
    _post(client, _body(bookable))
    again = _slots(client, bookable.mall.pk, service_id=bookable.service.pk, date="2026-08-11")
    assert again.json()[0]["available"] == 4


@pytest.mark.parametrize(
    ("day", "code"),
    [("2026-08-15", "day_closed"), ("2026-08-17", "day_closed"), ("2026-08-10", "day_past"),
     ("2026-09-30", "beyond_horizon")],
)  # fmt: skip
def test_slots_of_a_day_that_cannot_be_booked_are_a_400_with_the_reason(
    client, bookable, day, code
):
    response = _slots(client, bookable.mall.pk, service_id=bookable.service.pk, date=day)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == code and body["field"] == "date" and body["detail"]


def test_slots_404_for_unknown_mall_service_or_one_not_bookable(client, bookable):
    other = world.ktp().pk + 1000
    assert (
        _slots(client, 999999, service_id=bookable.service.pk, date="2026-08-11").status_code == 404
    )
    assert _slots(client, bookable.mall.pk, service_id=other, date="2026-08-11").status_code == 404
    from mpp.catalog.models import Service

    akta = Service.objects.get(slug="akta-lahir-uji")  # offered, not bookable
    response = _slots(client, bookable.mall.pk, service_id=akta.pk, date="2026-08-11")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


@pytest.mark.parametrize(
    "params",
    [{"service_id": "x", "date": "2026-08-11"}, {"date": "2026-08-11"},
     {"service_id": 1, "date": "11-08-2026"}, {"service_id": 1, "date": "1786406400"}],
)  # fmt: skip
def test_slots_malformed_parameters_are_a_400(client, bookable, params):
    response = _slots(client, bookable.mall.pk, **params)
    assert response.status_code == 400 and response.json()["code"] == "invalid"


def test_booking_answers_201_with_the_code(client, bookable):
    response = _post(client, _body(bookable))
    assert response.status_code == 201
    body = response.json()
    made = Appointment.objects.get()
    assert body == {"code": made.code, "date": "2026-08-11", "start": "08:00", "status": "booked"}
    assert "nik" not in json.dumps(body) and made.channel == "api"


def test_booking_409_slot_full_and_already_booked(client, bookable):
    for _ in range(5):
        assert _post(client, _body(bookable)).status_code == 201
    full = _post(client, _body(bookable))
    assert full.status_code == 409 and full.json()["code"] == "slot_full"
    body = _body(bookable, start="09:00")
    assert _post(client, body).status_code == 201
    again = _post(client, {**body, "start": "10:00"})
    assert again.status_code == 409 and again.json()["code"] == "already_booked"


@pytest.mark.parametrize(
    ("over", "field", "code"),
    [
        ({"nik": "12345"}, "nik", "invalid_nik"),
        ({"phone": "0541 123456"}, "phone", "invalid_phone"),
        ({"date": "2026-08-15"}, "date", "day_closed"),
        ({"date": "2026-08-10"}, "date", "day_past"),
        ({"start": "08:10"}, "start", "bad_start"),
    ],
)
def test_booking_400_names_the_field(client, bookable, over, field, code):
    response = _post(client, _body(bookable, **over))
    assert response.status_code == 400
    body = response.json()
    assert (body["field"], body["code"]) == (field, code) and body["detail"]
    assert Appointment.objects.count() == 0


@pytest.mark.parametrize(
    ("over", "field"),
    [({"start": "8:00"}, "start"), ({"start": "25:00"}, "start"), ({"date": "tomorrow"}, "date"),
     ({"mall_id": "1"}, "mall_id"), ({"nik": None}, "nik")],
)  # fmt: skip
def test_booking_malformed_body_is_a_400_naming_the_field(client, bookable, over, field):
    response = _post(client, _body(bookable, **over))
    assert response.status_code == 400
    assert response.json()["detail"][0]["field"] == f"payload.{field}"


def test_booking_404_for_unknown_mall_or_service(client, bookable):
    assert _post(client, _body(bookable, mall_id=999999)).status_code == 404
    assert _post(client, _body(bookable, service_id=999999)).status_code == 404


def test_booking_is_rate_limited_per_address(client, bookable):
    for i in range(10):  # settings.MPP_BOOKINGS_PER_HOUR
        start = f"{8 + i // 2:02d}:{'00' if i % 2 == 0 else '30'}"
        assert _post(client, _body(bookable, start=start)).status_code == 201
    refused = _post(client, _body(bookable, start="13:00"))
    assert refused.status_code == 429 and refused.json()["code"] == "rate_limited"
    assert _post(client, _body(bookable, start="13:00"), address="192.0.2.2").status_code == 201


def test_cancel_204_frees_the_place_404_unknown_409_again(client, bookable):
    code = _post(client, _body(bookable)).json()["code"]
    response = client.delete(f"/api/v1/appointments/{code}")
    assert response.status_code == 204
    assert Slot.objects.get(date=world.TUESDAY, start=dt.time(8, 0)).booked == 0
    again = client.delete(f"/api/v1/appointments/{code}")
    assert again.status_code == 409 and again.json()["code"] == "not_booked"
    assert client.delete("/api/v1/appointments/ZZZZZZZZZZ").status_code == 404


def test_cancel_accepts_the_grouped_code(client, bookable):
    made_code = _post(client, _body(bookable)).json()["code"]
    grouped = f"{made_code[:4]}-{made_code[4:8]}-{made_code[8:]}".lower()
    assert client.delete(f"/api/v1/appointments/{grouped}").status_code == 204


def test_cancel_409_after_the_slot_started(client, bookable):
    code = _post(client, _body(bookable)).json()["code"]
    with time_machine.travel(dt.datetime(2026, 8, 11, 8, 5, tzinfo=world.WITA), tick=False):
        response = client.delete(f"/api/v1/appointments/{code}")
    assert response.status_code == 409 and response.json()["code"] == "too_late"
