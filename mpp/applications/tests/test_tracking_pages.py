"""The citizen's tracking pages (/permohonan/) and the staff's receipt slip."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import NoReverseMatch, reverse

from mpp.applications import actions
from mpp.applications.tests import world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(world.MONDAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def officer(cast):
    return cast.officer_dukcapil()


@pytest.fixture
def application(officer):
    return actions.open_application(
        mall=world.mpp(), service=world.akta(), acting_user=officer, phone="081234567890"
    )


def test_the_lookup_form_sends_a_typed_code_to_its_page(client, application):
    page = client.get("/permohonan/")
    assert page.status_code == 200
    assert b'name="kode"' in page.content and b"noindex" in page.content
    typed = application.grouped_code.lower().replace("-", " - ")
    response = client.get("/permohonan/", {"kode": typed})
    assert response.status_code == 302
    assert response["Location"] == f"/permohonan/{application.code}/"


def test_a_malformed_typed_code_is_said_so(client):
    response = client.get("/permohonan/", {"kode": "12"})
    assert response.status_code == 400
    assert "12 huruf dan angka" in response.content.decode()


def test_the_page_shows_service_agency_steps_and_due_date_and_nothing_personal(client, application):
    response = client.get(f"/permohonan/{application.code}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert application.service.name in html
    assert application.service.tenant.name in html
    assert application.grouped_code in html
    assert "Senin, 13 Juli 2026" in html
    assert 'data-step="diterima"' in html
    assert "lewat batas" not in html
    assert "0812" not in html and "628123" not in html
    assert 'name="robots" content="noindex"' in html
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "no-referrer"


def test_the_page_says_honestly_when_it_is_overdue(client, application, clock):
    clock.move_to(world.at(14, 9))
    html = client.get(f"/permohonan/{application.code}/").content.decode()
    assert "data-overdue" in html and "lewat batas" in html


def test_the_page_shows_the_clock_stop_and_what_is_missing(client, application, officer):
    actions.move(
        application=application,
        status="dikembalikan",
        acting_user=officer,
        note="Surat <b>keterangan</b> lahir",
    )
    html = client.get(f"/permohonan/{application.code}/").content.decode()
    assert "data-paused" in html
    assert "Surat &lt;b&gt;keterangan&lt;/b&gt; lahir" in html  # text, never markup
    assert "waktu berhenti" in html


def test_the_page_shows_where_and_when_to_collect(client, application, officer):
    for status in ("diverifikasi", "diproses"):
        actions.move(application=application, status=status, acting_user=officer)
    actions.move(
        application=application,
        status="siap_diambil",
        acting_user=officer,
        pickup_place="Loket 4 Disdukcapil",
        pickup_time="mulai Rabu 8 Juli, 08.00–15.00",
    )
    html = client.get(f"/permohonan/{application.code}/").content.decode()
    assert "data-ready" in html
    assert "Loket 4 Disdukcapil" in html and "mulai Rabu 8 Juli" in html


def test_the_page_links_to_the_complaint_form_when_there_is_one(client, application):
    html = client.get(f"/permohonan/{application.code}/").content.decode()
    try:
        path = reverse("complaints:new")
    except NoReverseMatch:
        assert "data-complaint" not in html
        return
    assert f'href="{path}?sumber=permohonan&amp;kode={application.code}' in html
    assert f"layanan={application.service_id}" in html and f"mal={application.mall_id}" in html


@pytest.mark.parametrize("code", ["AAAAAAAAAAAA", "abc", "0000-0000-0000"])
def test_a_wrong_code_is_a_plain_404(client, application, code):
    response = client.get(f"/permohonan/{code}/")
    assert response.status_code == 404
    assert application.service.name not in response.content.decode()


def test_the_page_is_rate_limited_per_address(client, application, monkeypatch):
    from mpp.applications import views_public

    monkeypatch.setattr(views_public, "LOOKUPS_PER_HOUR", 2)
    for _ in range(2):
        client.get("/permohonan/AAAAAAAAAAAA/")
    response = client.get(f"/permohonan/{application.code}/")
    assert response.status_code == 429
    assert application.service.name not in response.content.decode()


def test_head_answers_like_get(client, application):
    assert client.head(f"/permohonan/{application.code}/").status_code == 200
    assert client.head("/permohonan/").status_code == 200


# --- the receipt slip ------------------------------------------------------------------------


def test_the_slip_has_the_code_qr_service_and_dates(client, application, officer):
    client.force_login(officer)
    response = client.get(f"/petugas/permohonan/{application.code}/tanda-terima/")
    assert response.status_code == 200
    html = response.content.decode()
    assert application.grouped_code in html
    assert "<svg" in html
    assert f"/permohonan/{application.code}/" in html
    assert application.service.name in html
    assert "6 Juli 2026 10.00" in html and "13 Juli 2026" in html
    assert "0812" not in html


def test_the_slip_is_for_staff_of_that_application_only(client, cast, application):
    path = f"/petugas/permohonan/{application.code}/tanda-terima/"
    response = client.get(path)
    assert response.status_code == 302  # to the sign-in page
    client.force_login(cast.officer_imigrasi())
    assert client.get(path).status_code == 403
    assert client.get("/petugas/permohonan/AAAAAAAAAAAA/tanda-terima/").status_code == 404
    client.force_login(cast.supervisor_mpp())
    assert client.get(path).status_code == 200


def test_a_day_unit_service_due_next_week_is_not_overdue_today(client, application, clock):
    clock.shift(dt.timedelta(days=2))
    assert "data-overdue" not in client.get(f"/permohonan/{application.code}/").content.decode()
