"""The programme's public page, the list, and registration online and at the counter."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from mpp.accounts.models import Role
from mpp.accounts.tests.factories import make_staff
from mpp.malls.models import Village
from mpp.programs.models import Document, Person, Programme, Registration
from mpp.programs.tests import world

pytestmark = pytest.mark.django_db


def page_url(found: Programme) -> str:
    return reverse("programs:programme", kwargs={"slug": found.slug})


def register_url(found: Programme, *, counter: bool = False) -> str:
    name = "programs:register-counter" if counter else "programs:register"
    return reverse(name, kwargs={"slug": found.slug})


def form_data(**overrides: str) -> dict[str, str]:
    """A valid couple as the form posts it (fresh NIKs each call)."""
    village = Village.objects.filter(district__code="64.02.06").first()
    assert village is not None
    groom_birth, bride_birth = dt.date(1998, 5, 17), dt.date(2000, 8, 7)
    data = {
        "groom_name": "Ahmad Fauzi",
        "groom_nik": world.nik(female=False, birth=groom_birth),
        "groom_birth_date": groom_birth.isoformat(),
        "groom_address": "Jl. Mulawarman No. 5",
        "groom_village": str(village.pk),
        "groom_marital_status": "never",
        "bride_name": "Siti Rahmawati",
        "bride_nik": world.nik(female=True, birth=bride_birth),
        "bride_birth_date": bride_birth.isoformat(),
        "bride_address": "Jl. Pesut No. 12",
        "bride_village": str(village.pk),
        "bride_marital_status": "never",
        "wali_name": "H. Abdul Rahman",
        "wali_nik": world.nik(female=False, birth=dt.date(1968, 2, 3)),
        "wali_relation": "Ayah kandung",
        "witness_1_name": "Budi Santoso",
        "witness_1_nik": "",
        "witness_2_name": "Rudi Hartono",
        "witness_2_nik": "",
        "phone": "0812 3456 7890",
    }
    data.update(overrides)
    return data


# --- the programme page ---------------------------------------------------------------------


@time_machine.travel(world.REGISTRATION_TIME, tick=False)
def test_the_page_says_the_deadline_in_words_places_left_and_who_bears_the_fee(client, kukar):
    found = world.programme(quota=50)
    world.register(found)
    response = client.get(page_url(found))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Pendaftaran paling lambat Rabu, 25 Maret 2026" in text
    assert "Jumat, 10 April 2026, pukul 08.30 WITA" in text
    assert "data-places-left>49<" in text
    assert "KUA Kecamatan Tenggarong" in text
    assert "Biaya PNBP Rp600.000 per pasangan" in text
    assert "ditanggung Pemerintah Kabupaten Kutai Kartanegara" in text
    assert "Dispensasi kawin dari pengadilan" in text and "bila belum 19 tahun" in text
    assert reverse("programs:register", kwargs={"slug": found.slug}) in text


@time_machine.travel(world.REGISTRATION_TIME, tick=False)
def test_no_page_calls_the_fee_gratis_or_dibebaskan(client, kukar):
    found = world.programme()
    registration = world.register(found)
    couple_url = reverse("programs:registration", kwargs={"access_key": registration.access_key})
    for url in (page_url(found), register_url(found), couple_url, reverse("programs:index")):
        text = client.get(url).content.decode().lower()
        assert "gratis" not in text and "dibebaskan" not in text and "bebas biaya" not in text


@time_machine.travel(world.REGISTRATION_TIME, tick=False)
def test_a_draft_programme_is_404_and_not_listed(client, kukar):
    draft = world.programme(status=Programme.Status.DRAFT)
    assert client.get(page_url(draft)).status_code == 404
    assert client.get(register_url(draft)).status_code == 404
    assert draft.title not in client.get(reverse("programs:index")).content.decode()
    assert client.get("/program/tidak-ada/").status_code == 404


@time_machine.travel(world.REGISTRATION_TIME, tick=False)
def test_the_list_shows_the_regions_open_programme(client, kukar, django_assert_max_num_queries):
    found = world.programme()
    world.programme(slug="nikah-massal-kedua")
    with django_assert_max_num_queries(6):
        response = client.get(reverse("programs:index"))
    assert response.status_code == 200 and page_url(found) in response.content.decode()


@time_machine.travel(dt.datetime(2026, 4, 20, 9, 0, tzinfo=world.WITA), tick=False)
def test_after_the_event_the_page_shows_counts_only_and_links_the_draw(client, kukar):
    found = world.programme()
    with time_machine.travel(world.REGISTRATION_TIME, tick=False):
        first, _second = world.register(found), world.register(found)
    Registration.objects.filter(pk=first.pk).update(
        status=Registration.Status.MARRIED, married_at=world.AKAD_TIME
    )
    Programme.objects.filter(pk=found.pk).update(status=Programme.Status.FINISHED)
    text = client.get(page_url(found)).content.decode()
    assert "data-registered>2<" in text and "data-married>1<" in text
    assert "Ahmad Fauzi" not in text and first.code not in text
    assert "Daftar sekarang" not in text


# --- online registration --------------------------------------------------------------------


@time_machine.travel(world.REGISTRATION_TIME, tick=False)
def test_the_form_page_offers_villages_grouped_by_kecamatan(client, kukar):
    found = world.programme()
    response = client.get(register_url(found))
    text = response.content.decode()
    assert response.status_code == 200 and '<optgroup label="Kec. Tenggarong">' in text
    assert response["Cache-Control"] == "no-store"
    assert "programs/eligibility.js" in text


@time_machine.travel(world.REGISTRATION_TIME, tick=False)
def test_a_couple_registers_online_and_lands_on_their_page(client, kukar):
    found = world.programme()
    data = form_data()
    response = client.post(register_url(found), data)
    registration = Registration.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "programs:registration", kwargs={"access_key": registration.access_key}
    )
    assert (
        registration.channel == Registration.Channel.ONLINE and registration.phone == "081234567890"
    )
    groom = registration.people.get(role=Person.Role.GROOM)
    assert groom.nik == data["groom_nik"] and groom.village_id == int(data["groom_village"])
    assert registration.people.get(role=Person.Role.WALI).relation == "Ayah kandung"
    page = client.get(response["Location"])
    assert registration.code in page.content.decode()


@time_machine.travel(world.REGISTRATION_TIME, tick=False)
def test_an_invalid_nik_is_a_field_error_and_nothing_is_written(client, kukar):
    found = world.programme()
    response = client.post(register_url(found), form_data(groom_nik="6402061305980000"))
    assert response.status_code == 200
    assert "Empat angka terakhir NIK tidak boleh 0000." in response.content.decode()
    response = client.post(register_url(found), form_data(bride_nik="12345"))
    assert "NIK harus 16 angka." in response.content.decode()
    assert not Registration.objects.exists() and not Person.objects.exists()
    found.refresh_from_db()
    assert found.registered_count == 0


@time_machine.travel(world.REGISTRATION_TIME, tick=False)
def test_an_under_19_groom_is_refused_in_words_and_nothing_is_written(client, kukar):
    found = world.programme()
    birth = dt.date(2007, 6, 1)
    data = form_data(
        groom_birth_date=birth.isoformat(), groom_nik=world.nik(female=False, birth=birth)
    )
    response = client.post(register_url(found), data)
    assert response.status_code == 200
    text = response.content.decode()
    assert "belum berusia 19 tahun" in text and "data-refused" in text
    assert not Registration.objects.exists() and not Document.objects.exists()


@time_machine.travel(world.REGISTRATION_TIME, tick=False)
def test_a_nik_already_registered_is_refused_on_the_form(client, kukar):
    found = world.programme()
    data = form_data()
    assert client.post(register_url(found), data).status_code == 302
    data["bride_nik"] = world.nik(female=True, birth=dt.date(2000, 8, 7))
    response = client.post(register_url(found), data)
    assert response.status_code == 200 and "sudah terdaftar" in response.content.decode()
    assert Registration.objects.count() == 1


@time_machine.travel(dt.datetime(2026, 3, 26, 9, 0, tzinfo=world.WITA), tick=False)
def test_after_the_deadline_the_page_sends_couples_to_the_counter(client, kukar):
    found = world.programme()
    text = client.get(page_url(found)).content.decode()
    assert "Pendaftaran daring sudah ditutup" in text and "Daftar sekarang" not in text
    response = client.post(register_url(found), form_data())
    assert "Pendaftaran daring ditutup" in response.content.decode()
    assert not Registration.objects.exists()


# --- counter registration -------------------------------------------------------------------


@time_machine.travel(world.REGISTRATION_TIME, tick=False)
def test_counter_registration_asks_anonymous_visitors_to_sign_in(client, kukar):
    found = world.programme()
    response = client.get(register_url(found, counter=True))
    assert response.status_code == 302 and "login" in response["Location"]


@time_machine.travel(world.REGISTRATION_TIME, tick=False)
def test_counter_registration_is_403_for_an_outsider_and_a_dukcapil_officer(client, kukar, cast):
    found = world.programme()
    for user in (cast.outsider(), cast.officer_dukcapil(), world.kua_officer("64.02.01")):
        client.force_login(user)
        assert client.get(register_url(found, counter=True)).status_code == 403
        assert client.post(register_url(found, counter=True), form_data()).status_code == 403
    assert not Registration.objects.exists()


@time_machine.travel(world.REGISTRATION_TIME, tick=False)
def test_counter_registration_is_open_to_kua_kemenag_supervisor_and_admin(client, kukar, cast):
    found = world.programme()
    kemenag = make_staff(
        Role.TENANT_OFFICER,
        tenant="kemenag-kukar",
        malls=("mpp-kukar",),
        username="petugas.kemenag",
    )
    for user in (world.kua_officer(), kemenag, cast.supervisor_mpp(), cast.regency_admin()):
        client.force_login(user)
        assert client.get(register_url(found, counter=True)).status_code == 200
    assert (
        client.get(
            register_url(world.programme(slug="x", status="draft"), counter=True)
        ).status_code
        == 404
    )


@time_machine.travel(world.REGISTRATION_TIME, tick=False)
def test_a_kua_officer_registers_at_the_counter(client, kukar):
    found = world.programme()
    officer = world.kua_officer()
    client.force_login(officer)
    response = client.post(register_url(found, counter=True), form_data())
    registration = Registration.objects.get()
    assert response.status_code == 302 and registration.access_key in response["Location"]
    assert registration.channel == Registration.Channel.COUNTER
    assert registration.registered_by == officer


@time_machine.travel(dt.datetime(2026, 3, 30, 9, 0, tzinfo=world.WITA), tick=False)
def test_the_counter_still_registers_after_the_online_deadline(client, kukar):
    found = world.programme()
    client.force_login(world.kua_officer())
    assert client.post(register_url(found, counter=True), form_data()).status_code == 302
    assert Registration.objects.get().needs == ["late_registration_dispensation"]


@time_machine.travel(world.REGISTRATION_TIME, tick=False)
def test_one_address_registers_five_couples_an_hour_online_but_the_counter_has_no_limit(
    client, kukar, cast
):
    found = world.programme()
    for _ in range(5):
        assert client.post(register_url(found), form_data()).status_code == 302
    refused = client.post(register_url(found), form_data())
    assert refused.status_code == 429
    assert "Terlalu banyak pendaftaran" in refused.content.decode()
    assert Registration.objects.count() == 5
    client.force_login(cast.supervisor_mpp())
    assert client.post(register_url(found, counter=True), form_data()).status_code == 302
    assert Registration.objects.count() == 6


@time_machine.travel(world.REGISTRATION_TIME, tick=False)
def test_a_finished_programme_shows_the_reports_counts_and_no_names(client, kukar):
    from mpp.programs.report import programme_figures

    found = world.programme()
    kept, dropped = world.register(found), world.register(found)
    Registration.objects.filter(pk=dropped.pk).update(status=Registration.Status.CANCELLED)
    Programme.objects.filter(pk=found.pk).update(status=Programme.Status.FINISHED)
    found.refresh_from_db()
    html = client.get(page_url(found)).content.decode()
    figures = programme_figures(found)
    assert (figures.registered, figures.cancelled) == (2, 1)
    assert f"<dd data-registered>{figures.registered}</dd>" in html
    assert f"<dd data-cancelled>{figures.cancelled}</dd>" in html
    assert "data-deadline" not in html and "data-requirements" not in html
    groom = kept.people.get(role=Person.Role.GROOM)
    assert groom.name not in html and kept.code not in html
