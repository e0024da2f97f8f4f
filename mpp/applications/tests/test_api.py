"""The applications' JSON API: issue 22's contract, each endpoint's refusals."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from mpp.accounts.tests.factories import bearer, token_for
from mpp.applications import actions
from mpp.applications.models import Application
from mpp.applications.tests import world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(world.MONDAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def officer(cast):
    return cast.officer_dukcapil()


def post(client, path, body, user=None):
    headers = bearer(token_for(client, user)) if user is not None else {}
    return client.post(path, body, content_type="application/json", **headers)


def opened(officer):
    return actions.open_application(mall=world.mpp(), service=world.akta(), acting_user=officer)


# --- POST /api/v1/applications ---------------------------------------------------------------


def test_an_officer_opens_an_application(client, officer):
    body = {"service_id": world.akta().pk, "mall_id": world.mpp().pk}
    response = post(client, "/api/v1/applications", body, officer)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data == {
        "code": Application.objects.get().code,
        "status": "diterima",
        "due_date": "2026-07-13",
    }


@pytest.mark.parametrize("who", ["supervisor_mpp", "regency_admin"])
def test_the_supervisor_and_the_regency_admin_open_too(client, cast, who):
    body = {"service_id": world.akta().pk, "mall_id": world.mpp().pk, "received_on": "2026-07-03"}
    response = post(client, "/api/v1/applications", body, getattr(cast, who)())
    assert response.status_code == 201
    assert response.json()["due_date"] == "2026-07-10"  # Friday 3 July + 5 working days


def test_opening_needs_a_signed_in_officer(client, kukar):
    body = {"service_id": world.akta().pk, "mall_id": world.mpp().pk}
    response = post(client, "/api/v1/applications", body)
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


@pytest.mark.parametrize("who", ["officer_imigrasi", "supervisor_loakulu", "auditor"])
def test_opening_outside_ones_tenant_or_mall_is_403(client, cast, who):
    body = {"service_id": world.akta().pk, "mall_id": world.mpp().pk}
    response = post(client, "/api/v1/applications", body, getattr(cast, who)())
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert not Application.objects.exists()


def test_a_service_not_offered_at_the_mall_is_400(client, cast, mall_loakulu):
    service = world.not_offered_at(mall_loakulu)
    body = {"service_id": service.pk, "mall_id": mall_loakulu.pk}
    response = post(client, "/api/v1/applications", body, cast.regency_admin())
    assert response.status_code == 400
    assert response.json()["code"] == "not_offered"


@pytest.mark.parametrize(
    ("received_on", "code"),
    [
        ("2026-07-07", "received_in_future"),
        ("2026-05-01", "received_too_long_ago"),
        ("7 Juli 2026", "invalid"),
        ("2026-02-30", "invalid"),
        (20260706, "invalid"),
    ],
)
def test_bad_received_days_are_400(client, officer, received_on, code):
    body = {"service_id": world.akta().pk, "mall_id": world.mpp().pk, "received_on": received_on}
    response = post(client, "/api/v1/applications", body, officer)
    assert response.status_code == 400
    assert response.json()["code"] == code


def test_a_phone_gets_the_receipt_and_a_malformed_one_is_400(client, officer):
    from mpp.notifications.models import Message

    body = {"service_id": world.akta().pk, "mall_id": world.mpp().pk, "phone": "12"}
    response = post(client, "/api/v1/applications", body, officer)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_phone"
    body["phone"] = "0812-3456-7890"
    assert post(client, "/api/v1/applications", body, officer).status_code == 201
    assert Message.objects.get().kind == "application.received"


@pytest.mark.parametrize("field", ["service_id", "mall_id"])
def test_unknown_mall_or_service_is_404(client, officer, field):
    body = {"service_id": world.akta().pk, "mall_id": world.mpp().pk, field: 999999}
    response = post(client, "/api/v1/applications", body, officer)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_a_missing_field_is_400(client, officer):
    response = post(client, "/api/v1/applications", {"mall_id": world.mpp().pk}, officer)
    assert response.status_code == 400
    assert response.json()["detail"][0]["field"] == "payload.service_id"


# --- GET /api/v1/applications/{code} ---------------------------------------------------------


def test_anyone_follows_an_application_by_its_code(client, officer, clock):
    application = opened(officer)
    clock.shift(dt.timedelta(hours=1))
    actions.move(application=application, status="diverifikasi", acting_user=officer)
    response = client.get(f"/api/v1/applications/{application.grouped_code.lower()}")
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "diverifikasi"
    assert data["due_date"] == "2026-07-13"
    assert data["overdue"] is False
    assert data["steps"] == [
        {"status": "diterima", "at": "2026-07-06T02:00:00+00:00"},
        {"status": "diverifikasi", "at": "2026-07-06T03:00:00+00:00"},
    ]
    assert data["paused"] is False and data["pickup"] is None
    text = response.content.decode()
    assert "petugas" not in text and str(officer.pk) not in data.values()


def test_past_its_due_moment_it_is_overdue_until_completed(client, officer, clock):
    application = opened(officer)
    clock.move_to(world.at(14, 0, 1))
    assert client.get(f"/api/v1/applications/{application.code}").json()["overdue"] is True
    for status in ("diverifikasi", "diproses", "selesai"):
        actions.move(application=application, status=status, acting_user=officer)
    assert client.get(f"/api/v1/applications/{application.code}").json()["overdue"] is False


def test_a_returned_application_shows_what_is_missing(client, officer):
    application = opened(officer)
    actions.move(
        application=application, status="dikembalikan", acting_user=officer, note="KK asli"
    )
    data = client.get(f"/api/v1/applications/{application.code}").json()
    assert (data["paused"], data["missing"], data["due_date"]) == (True, "KK asli", None)


def test_an_unknown_or_malformed_code_is_404(client, officer):
    opened(officer)
    for code in ("AAAAAAAAAAAA", "abc", "0000-0000-0000"):
        response = client.get(f"/api/v1/applications/{code}")
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"


def test_following_is_rate_limited_per_address(client, officer, monkeypatch):
    from mpp.applications import api

    monkeypatch.setattr(api, "LOOKUPS_PER_HOUR", 2)
    application = opened(officer)
    for _ in range(2):
        assert client.get(f"/api/v1/applications/{application.code}").status_code == 200
    response = client.get(f"/api/v1/applications/{application.code}")
    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited"


# --- POST /api/v1/applications/{code}/status -------------------------------------------------


def test_an_officer_moves_an_application(client, officer):
    application = opened(officer)
    response = post(
        client,
        f"/api/v1/applications/{application.code}/status",
        {"status": "diverifikasi"},
        officer,
    )
    assert response.status_code == 200
    assert response.json()["status"] == "diverifikasi"
    assert response.json()["code"] == application.code


def test_a_step_out_of_order_is_409(client, officer):
    application = opened(officer)
    response = post(
        client, f"/api/v1/applications/{application.code}/status", {"status": "diambil"}, officer
    )
    assert response.status_code == 409
    assert response.json()["code"] == "out_of_order"


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"status": "hilang"}, "bad_status"),
        ({"status": "dikembalikan"}, "note_required"),
        ({"status": "dikembalikan", "note": "  "}, "note_required"),
        ({}, "invalid"),
        ({"status": 3}, "invalid"),
    ],
)
def test_a_bad_status_or_a_return_without_note_is_400(client, officer, body, code):
    application = opened(officer)
    response = post(client, f"/api/v1/applications/{application.code}/status", body, officer)
    assert response.status_code == 400
    assert response.json()["code"] == code


def test_a_return_with_its_note_is_200(client, officer):
    application = opened(officer)
    body = {"status": "dikembalikan", "note": "Surat keterangan lahir dari bidan"}
    response = post(client, f"/api/v1/applications/{application.code}/status", body, officer)
    assert response.status_code == 200
    assert response.json()["missing"] == "Surat keterangan lahir dari bidan"


def test_moving_needs_sign_in_and_scope(client, cast, officer):
    application = opened(officer)
    path = f"/api/v1/applications/{application.code}/status"
    assert post(client, path, {"status": "diverifikasi"}).status_code == 401
    response = post(client, path, {"status": "diverifikasi"}, cast.officer_imigrasi())
    assert response.status_code == 403
    assert (
        post(client, path, {"status": "diverifikasi"}, cast.supervisor_loakulu()).status_code == 403
    )
    assert post(client, path, {"status": "diverifikasi"}, cast.supervisor_mpp()).status_code == 200


def test_moving_an_unknown_code_is_404(client, officer):
    response = post(
        client, "/api/v1/applications/AAAAAAAAAAAA/status", {"status": "diverifikasi"}, officer
    )
    assert response.status_code == 404
