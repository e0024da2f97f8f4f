"""`POST /api/v1/appointments/{code}/check-in` and the kiosk's check-in screen (docs/adr/0036)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from mpp.accounts.models import Role
from mpp.accounts.tests.factories import bearer, make_staff, token_for
from mpp.appointments.models import Appointment
from mpp.queueing.models import Ticket
from mpp.queueing.tests.bookings import book
from mpp.queueing.tests.conftest import WITA

AKTA = "akta-kelahiran"


@pytest.fixture
def kiosk(kukar):  # type: ignore[no-untyped-def]
    return make_staff(Role.KIOSK, mall="mpp-kukar", username="kios.mpp.1")


@pytest.fixture
def kiosk_api(kiosk):  # type: ignore[no-untyped-def]
    client = Client()
    headers = bearer(token_for(client, kiosk))

    def post(code: str, **extra):  # type: ignore[no-untyped-def]
        return client.post(
            f"/api/v1/appointments/{code}/check-in", content_type="application/json", **headers
        )

    return post


@pytest.fixture
def booking(monday, mall_mpp, service_by_slug) -> Appointment:  # type: ignore[no-untyped-def]
    return book(mall_mpp, service_by_slug(AKTA), "09:15")


def test_a_kiosk_checks_in_and_gets_the_ticket_contract(monday, booking, kiosk_api, kiosk):
    response = kiosk_api(booking.grouped_code)
    assert response.status_code == 201, response.content
    body = response.json()
    ticket = Ticket.objects.get()
    assert body["id"] == ticket.pk and body["code"] == ticket.code
    assert body["number"] == ticket.display_number and body["service_id"] == ticket.service_id
    assert body["status"] == "waiting" and body["ahead"] == 0
    assert body["estimate"] is None  # no counter open: as the ticket answer says it
    assert body["late"] is False and "sebelum jadwal 09.15" in body["message"]
    assert ticket.channel == Ticket.Channel.KIOSK and ticket.issued_by == kiosk
    again = kiosk_api(booking.code.lower())
    assert again.status_code == 200 and again.json()["id"] == ticket.pk


def test_late_is_said_in_the_answer(monday, booking, kiosk_api):
    monday.move_to(dt.datetime(2026, 11, 30, 9, 31, tzinfo=WITA))  # past 09:15 + 15 minutes
    body = kiosk_api(booking.code).json()
    assert body["late"] is True and body["message"].startswith("Anda terlambat dari jadwal 09.15")


def test_refusals_have_their_status_and_code(
    monday, mall_mpp, mall_loakulu, service_by_slug, kiosk_api
):
    akta = service_by_slug(AKTA)
    cases = {
        "TIDAKADA22": (404, "appointment_not_found"),
        book(mall_loakulu, akta, "09:00").code: (403, "appointment_other_mall"),
        book(mall_mpp, akta, "09:00", status=Appointment.Status.CANCELLED).code: (
            409,
            "appointment_cancelled",
        ),
        book(mall_mpp, akta, "11:00").code: (400, "too_early"),
    }
    for code, (status, machine) in cases.items():
        response = kiosk_api(code)
        assert (response.status_code, response.json()["code"]) == (status, machine), code
        assert response.json()["detail"]  # an Indonesian message
    assert not Ticket.objects.exists()


def test_only_a_kiosk_checks_in(monday, booking, cast):
    client = Client()
    url = f"/api/v1/appointments/{booking.code}/check-in"
    assert client.post(url).status_code == 401
    officer = bearer(token_for(client, cast.supervisor_mpp()))
    refused = client.post(url, content_type="application/json", **officer)
    assert refused.status_code == 403 and refused.json()["code"] == "not_a_kiosk"
    assert not Ticket.objects.exists()


def test_a_malformed_code_is_400(monday, kiosk_api):
    response = kiosk_api("A" * 65)
    assert response.status_code == 400 and response.json()["code"] == "invalid"


# --- the kiosk's screen ---------------------------------------------------------------------


@pytest.fixture
def kiosk_browser(kiosk):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(kiosk)
    return client


def test_the_first_screen_offers_the_check_in(monday, mall_mpp, kiosk_browser):
    page = kiosk_browser.get(f"/kios/{mall_mpp.slug}/").content.decode()
    assert "Saya sudah punya janji temu" in page
    assert f'href="/kios/{mall_mpp.slug}/janji-temu/"' in page


def test_the_screen_has_one_input_and_allows_head(monday, mall_mpp, kiosk_browser):
    url = f"/kios/{mall_mpp.slug}/janji-temu/"
    page = kiosk_browser.get(url)
    assert page.status_code == 200 and page["Cache-Control"].startswith("max-age=0")
    html = page.content.decode()
    assert html.count("<input ") == 2  # the CSRF token and the code
    assert 'name="code"' in html and "autofocus" in html
    assert kiosk_browser.head(url).status_code == 200


def test_typing_a_code_shows_the_slip_with_its_note(monday, mall_mpp, booking, kiosk_browser):
    url = f"/kios/{mall_mpp.slug}/janji-temu/"
    response = kiosk_browser.post(url, {"code": booking.grouped_code.lower()})
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/kios/{mall_mpp.slug}/tiket/{ticket.code}/"
    slip = kiosk_browser.get(response["Location"]).content.decode()
    assert ticket.display_number in slip and "JANJI TEMU" in slip
    assert "Anda datang sebelum jadwal 09.15" in slip


def test_a_refusal_shows_the_screen_again_with_the_reason(monday, mall_mpp, kiosk_browser):
    url = f"/kios/{mall_mpp.slug}/janji-temu/"
    unknown = kiosk_browser.post(url, {"code": "<b>SALAH</b>"})
    assert unknown.status_code == 404
    html = unknown.content.decode()
    assert "Kode janji temu tidak ditemukan" in html
    assert "&lt;b&gt;SALAH&lt;/b&gt;" in html and "<b>SALAH" not in html  # typed text escaped
    empty = kiosk_browser.post(url, {"code": ""})
    assert empty.status_code == 400 and "Ketik kode janji temu" in empty.content.decode()


def test_a_booking_late_on_the_screen_says_so(monday, mall_mpp, service_by_slug, kiosk_browser):
    late = book(mall_mpp, service_by_slug(AKTA), "08:30")
    response = kiosk_browser.post(f"/kios/{mall_mpp.slug}/janji-temu/", {"code": late.code})
    slip = kiosk_browser.get(response["Location"]).content.decode()
    assert "Anda terlambat dari jadwal 08.30" in slip and "TERLAMBAT" in slip


def test_another_malls_kiosk_may_not_open_the_screen(monday, mall_mpp, kukar):
    other = Client()
    other.force_login(make_staff(Role.KIOSK, mall="mini-mpp-loa-kulu", username="kios.lk"))
    assert other.get(f"/kios/{mall_mpp.slug}/janji-temu/").status_code == 403
    assert other.post(f"/kios/{mall_mpp.slug}/janji-temu/", {"code": "X"}).status_code == 403
