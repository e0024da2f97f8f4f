"""The ceremony day: a couple found by code or by their receipt's QR, check-in of couple, wali
and witnesses, the marriage book number recorded in order (which opens the civil follow-up),
and the organisers' live count."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from mpp.core.models import AuditEntry
from mpp.programs import ceremony, kua
from mpp.programs.exceptions import ProgramRefused
from mpp.programs.models import CivilTask, FeeBearer, Registration, TariffBasis
from mpp.programs.tests import world
from mpp.programs.tests.test_kua import scheduled, submitted

pytestmark = pytest.mark.django_db

ON_THE_DAY = time_machine.travel(world.AKAD_TIME, tick=False)


def arrived(registration: Registration, officer: object) -> Registration:
    for who in ("couple", "wali", "witnesses"):
        registration = ceremony.check_in(registration=registration, who=who, acting_user=officer)
    return registration


# --- finding the couple ---------------------------------------------------------------------


def test_a_couple_is_found_by_code_or_by_the_qr_of_their_page(kukar):
    found = world.programme()
    registration = submitted(found)
    assert ceremony.find_for_check_in(found, registration.code) == registration
    assert ceremony.find_for_check_in(found, f"  {registration.code.lower()} ") == registration
    qr = f"https://mpp.kukarkab.go.id/program/pendaftaran/{registration.access_key}/"
    assert ceremony.find_for_check_in(found, qr) == registration
    assert ceremony.find_for_check_in(found, "NM-ZZZZZZ") is None
    assert (
        ceremony.find_for_check_in(found, "https://x/program/pendaftaran/bukan-kunci-yang-ada/")
        is None
    )
    assert ceremony.find_for_check_in(found, "'; DROP TABLE --") is None


def test_a_couple_of_another_programme_is_not_found(kukar):
    registration = submitted(world.programme())
    other = world.programme(slug="lain")
    assert ceremony.find_for_check_in(other, registration.code) is None
    qr = f"https://mpp.kukarkab.go.id/program/pendaftaran/{registration.access_key}/"
    assert ceremony.find_for_check_in(other, qr) is None


# --- check-in and the marriage ----------------------------------------------------------------


@ON_THE_DAY
def test_check_in_marks_each_once_and_is_audited(kukar):
    officer = world.kua_officer()
    registration = scheduled(world.programme(), officer)
    first = ceremony.check_in(registration=registration, who="couple", acting_user=officer)
    again = ceremony.check_in(registration=registration, who="couple", acting_user=officer)
    assert first.couple_checked_in_at == again.couple_checked_in_at == world.AKAD_TIME
    assert AuditEntry.objects.filter(action="programs.ceremony.checked_in").count() == 1


def test_only_a_scheduled_couple_is_checked_in(kukar):
    with pytest.raises(ProgramRefused) as refused:
        ceremony.check_in(registration=submitted(), who="wali", acting_user=world.kua_officer())
    assert refused.value.code == "bad_step" and refused.value.status == 409


@ON_THE_DAY
def test_the_marriage_is_recorded_and_opens_the_civil_follow_up(kukar):
    officer = world.kua_officer()
    registration = arrived(scheduled(world.programme(), officer), officer)
    married = ceremony.record_marriage(
        registration=registration, marriage_book_number=" 0123/045/IV/2026 ", acting_user=officer
    )
    assert married.status == Registration.Status.MARRIED
    assert married.marriage_book_number == "0123/045/IV/2026"
    assert married.married_at == world.AKAD_TIME
    kinds = set(CivilTask.objects.filter(registration=married).values_list("kind", flat=True))
    assert kinds == {"kk", "ktp_groom", "ktp_bride"}
    assert AuditEntry.objects.filter(action="programs.registration.married").count() == 1
    assert AuditEntry.objects.filter(action="programs.civil.opened").count() == 1


@ON_THE_DAY
def test_the_marriage_needs_couple_and_wali_checked_in(kukar):
    officer = world.kua_officer()
    registration = scheduled(world.programme(), officer)
    ceremony.check_in(registration=registration, who="couple", acting_user=officer)
    with pytest.raises(ProgramRefused) as refused:
        ceremony.record_marriage(
            registration=registration, marriage_book_number="1", acting_user=officer
        )
    assert refused.value.code == "bad_step" and refused.value.status == 409
    assert not CivilTask.objects.exists()


@ON_THE_DAY
def test_an_unpaid_pnbp_refuses_the_marriage_until_its_receipt(kukar):
    officer = world.kua_officer()
    registration = arrived(scheduled(world.programme(), officer, paid=False), officer)
    with pytest.raises(ProgramRefused) as refused:
        ceremony.record_marriage(
            registration=registration, marriage_book_number="7", acting_user=officer
        )
    assert refused.value.code == "fee_unpaid" and refused.value.status == 409
    kua.record_fee(
        registration=registration,
        tariff_basis=TariffBasis.OUTSIDE,
        fee_bearer=FeeBearer.COUPLE,
        sponsor_name="",
        receipt_number="SETOR-9",
        paid_on=dt.date(2026, 4, 10),
        acting_user=officer,
    )
    married = ceremony.record_marriage(
        registration=registration, marriage_book_number="7", acting_user=officer
    )
    assert married.status == Registration.Status.MARRIED


@ON_THE_DAY
def test_a_book_number_is_used_once_per_programme_and_required(kukar):
    officer = world.kua_officer()
    found = world.programme()
    one = arrived(scheduled(found, officer), officer)
    two = arrived(scheduled(found, officer), officer)
    with pytest.raises(ProgramRefused) as refused:
        ceremony.record_marriage(registration=one, marriage_book_number="  ", acting_user=officer)
    assert refused.value.code == "book_number_required" and refused.value.status == 400
    ceremony.record_marriage(registration=one, marriage_book_number="B-1", acting_user=officer)
    with pytest.raises(ProgramRefused) as refused:
        ceremony.record_marriage(registration=two, marriage_book_number="B-1", acting_user=officer)
    assert refused.value.code == "book_number_taken" and refused.value.status == 409
    with pytest.raises(ProgramRefused) as refused:
        ceremony.record_marriage(registration=one, marriage_book_number="B-9", acting_user=officer)
    assert refused.value.code == "bad_step"  # married once


@ON_THE_DAY
def test_the_day_count_counts_without_personal_data(kukar):
    officer = world.kua_officer()
    found = world.programme()
    one = arrived(scheduled(found, officer), officer)
    scheduled(found, officer)
    submitted(found)
    ceremony.record_marriage(registration=one, marriage_book_number="B-1", acting_user=officer)
    assert ceremony.day_count(found) == ceremony.DayCount(
        scheduled=2, checked_in=1, married=1, kk_done=0
    )


# --- the pages ------------------------------------------------------------------------------


def day_url(found, *parts: str) -> str:  # type: ignore[no-untyped-def]
    return "/kua/" + "/".join([found.slug, "hari-akad", *parts]) + "/"


@ON_THE_DAY
def test_the_check_in_desk_finds_by_code_and_qr_then_records_the_akad(kukar, client):
    officer = world.kua_officer()
    found = world.programme()
    registration = scheduled(found, officer)
    client.force_login(officer)
    page = client.get(day_url(found))
    assert page.status_code == 200 and b'hx-trigger="every 10s"' in page.content

    by_code = client.post(day_url(found), {"kode": registration.code})
    assert by_code.status_code == 302 and by_code["Location"].endswith(f"?kode={registration.code}")
    qr = f"http://testserver/program/pendaftaran/{registration.access_key}/"
    by_qr = client.post(day_url(found), {"kode": qr})
    assert by_qr["Location"] == by_code["Location"]
    assert registration.access_key not in by_qr["Location"]
    shown = client.get(by_code["Location"]).content.decode()
    assert "Ahmad Fauzi" in shown and "ditanggung Pemerintah Kabupaten" in shown
    assert "gratis" not in shown.lower() and "dibebaskan" not in shown.lower()

    for who in ("couple", "wali", "witnesses"):
        assert (
            client.post(day_url(found, registration.code, "hadir"), {"who": who}).status_code == 302
        )
    assert (
        client.post(
            day_url(found, registration.code, "akad"), {"marriage_book_number": ""}
        ).status_code
        == 400
    )
    done = client.post(day_url(found, registration.code, "akad"), {"marriage_book_number": "B-77"})
    assert done.status_code == 302
    registration.refresh_from_db()
    assert registration.status == Registration.Status.MARRIED
    assert registration.marriage_book_number == "B-77"


@ON_THE_DAY
def test_the_check_in_desk_answers_400_404_and_409(kukar, client):
    officer = world.kua_officer()
    found = world.programme()
    registration = submitted(found)
    client.force_login(officer)
    assert client.post(day_url(found), {"kode": ""}).status_code == 400
    assert client.post(day_url(found), {"kode": "NM-ZZZZZZ"}).status_code == 404
    assert client.get(day_url(found) + "?kode=NM-ZZZZZZ").status_code == 404
    assert (
        client.post(day_url(found, registration.code, "hadir"), {"who": "tamu"}).status_code == 400
    )
    assert (
        client.post(day_url(found, registration.code, "hadir"), {"who": "wali"}).status_code == 409
    )
    assert client.post(day_url(found, "NM-ZZZZZZ", "hadir"), {"who": "wali"}).status_code == 404
    refused = client.post(day_url(found, registration.code, "akad"), {"marriage_book_number": "1"})
    assert refused.status_code == 409


@ON_THE_DAY
def test_the_check_in_desk_is_the_kua_officers(kukar, client, cast):
    officer = world.kua_officer()
    found = world.programme()
    registration = scheduled(found, officer)
    client.force_login(world.kua_officer("64.02.16"))
    assert client.get(day_url(found)).status_code == 403
    assert client.post(day_url(found), {"kode": registration.code}).status_code == 403
    assert (
        client.post(day_url(found, registration.code, "hadir"), {"who": "wali"}).status_code == 403
    )
    client.force_login(cast.officer_dukcapil())
    assert client.get(day_url(found, "angka")).status_code == 403
    client.force_login(cast.regency_admin())
    assert client.get(day_url(found)).status_code == 200
    assert client.post(day_url(found), {"kode": registration.code}).status_code == 403
    assert client.get("/kua/tidak-ada/hari-akad/").status_code == 404


@ON_THE_DAY
def test_the_live_count_partial_has_numbers_only(kukar, client):
    officer = world.kua_officer()
    found = world.programme()
    registration = arrived(scheduled(found, officer), officer)
    ceremony.record_marriage(
        registration=registration, marriage_book_number="B-1", acting_user=officer
    )
    client.force_login(officer)
    response = client.get(day_url(found, "angka"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and 'hx-trigger="every 10s"' in html
    assert registration.code not in html and "Ahmad" not in html and "B-1" not in html
    assert response.context["count"].married == 1
