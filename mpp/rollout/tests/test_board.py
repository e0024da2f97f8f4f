"""The rollout board's pages: /persiapan/ (the board), /persiapan/instansi/<code>/ (an owner
agency's open items) and the weekly PDF; who opens them and what they say."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest
import time_machine

from mpp.accounts.models import Role
from mpp.accounts.tests.factories import make_staff
from mpp.rollout.models import AgencyMember
from mpp.rollout.tests import board_world as w

BOARD = "/persiapan/"
PDF = "/persiapan/laporan-mingguan.pdf"
# 15 October 2025, 16:30 in Tenggarong (WITA).
NOW = dt.datetime(2025, 10, 15, 8, 30, tzinfo=dt.UTC)
CUT_OFF = "Data per 15 Oktober 2025 pukul 16.30 WITA"

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(kukar):  # type: ignore[no-untyped-def]
    """Dinas PU late at Loa Kulu and Anggana, a camat item late at Loa Kulu and open (not late)
    at Anggana, Tenggarong all done."""
    w.clear(kukar)
    w.plan(kukar, dt.date(2025, 12, 31))
    malls = {m.slug: m for m in w.mini_mpps(kukar)}
    loakulu, anggana = malls["mini-mpp-loa-kulu"], malls["mini-mpp-anggana"]
    tenggarong = malls["mini-mpp-tenggarong"]
    pu = w.agency(kukar, "dinas-pu", "Dinas Pekerjaan Umum")
    camat = w.agency(kukar, "camat", "Camat", kind="camat")
    w.agency(kukar, "diskominfo", "Diskominfo")
    desain = w.template(kukar, "desain", pu, due=dt.date(2025, 9, 30), title="Desain ruang")
    lokasi = w.template(kukar, "lokasi", camat, due=dt.date(2025, 9, 1), title="Lokasi disepakati")
    w.item(loakulu, desain, status="blocked")
    w.item(loakulu, lokasi)
    w.item(anggana, desain)
    w.item(anggana, lokasi, due=dt.date(2025, 11, 1))
    w.item(tenggarong, desain, status="done")
    w.item(tenggarong, lokasi, status="done")
    return {"loakulu": loakulu, "anggana": anggana, "pu": pu, "camat": camat}


def _liaison(agency, username, district=None):  # type: ignore[no-untyped-def]
    user = make_staff(Role.AGENCY_LIAISON, username=username)
    AgencyMember.objects.create(user=user, agency=agency, district=district)
    return user


# --- the board ---------------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_leadership_sees_twenty_rows_totals_and_the_cut_off(client, cast, world):
    client.force_login(cast.leadership())
    response = client.get(BOARD)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('<tr data-mall="') == 20
    assert html.count(CUT_OFF) >= 3  # the page, the totals, the rows, the schematic
    assert "skematik, bukan peta" in html
    assert "Unduh laporan mingguan (PDF)" in html
    # Loa Kulu: 0 of 2 done, two items late named by agency, in words as well as red.
    row = html[html.index('data-mall="mini-mpp-loa-kulu"') :]
    row = row[: row.index("</tr>")]
    assert "2 butir lewat tenggat" in row
    assert 'href="/persiapan/kesiapan/mini-mpp-loa-kulu/"' in row  # its checklist
    assert "1 butir terhambat" in row  # the room design, marked blocked
    assert "Dinas Pekerjaan Umum</a>: 1" in row and "Camat</a>: 1" in row
    assert "77 hari lagi" in row or "sudah beroperasi" in row
    # Regency: 2 of 6 done (33%), three late; Dinas PU late twice, listed first.
    assert "2 dari 6 butir selesai" in html
    assert "Dinas Pekerjaan Umum</a>: 2 butir lewat tenggat" in html


@time_machine.travel(NOW, tick=False)
def test_the_board_takes_a_fixed_number_of_queries(
    client, cast, world, kukar, django_assert_max_num_queries
):
    client.force_login(cast.regency_admin())
    client.get(BOARD)  # warm the session and profile
    for mall in w.mini_mpps(kukar):
        staff = w.member(kukar, w.village_in(mall.district))
        w.assign(staff, mall, start=dt.date(2025, 1, 6))
    with django_assert_max_num_queries(16):
        assert client.get(BOARD).status_code == 200


def test_the_board_is_for_dpmptsp_leadership_auditors_and_liaisons(client, cast, world):
    assert client.get(BOARD).status_code == 302  # to the sign-in page
    for person in (cast.regency_admin(), cast.leadership(), cast.auditor()):
        client.force_login(person)
        assert client.get(BOARD).status_code == 200
    client.force_login(_liaison(world["pu"], "pu.uji"))
    html = client.get(BOARD).content.decode()
    assert "Butir terbuka Dinas Pekerjaan Umum" in html  # its own list, first thing
    # Another agency's name is shown but not linked for a liaison.
    assert "/persiapan/instansi/camat/" not in html
    kiosk = make_staff(Role.KIOSK, mall="mpp-kukar", username="kios.uji")
    for person in (cast.officer_dukcapil(), cast.supervisor_loakulu(), kiosk, cast.outsider()):
        client.force_login(person)
        response = client.get(BOARD)
        assert response.status_code == 403, person


def test_a_region_without_rollout_data_shows_empty_percentages(client, cast, kukar):
    w.clear(kukar)
    client.force_login(cast.leadership())
    html = client.get(BOARD).content.decode()
    assert html.count('<tr data-mall="') == 20
    assert "belum ada butir" in html and "belum ada target" in html
    assert "0%" not in html  # nothing to divide: no percentage, not zero


# --- an owner agency's open items ----------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_an_agency_page_lists_its_open_items_across_kecamatan(client, cast, world):
    client.force_login(cast.auditor())
    response = client.get("/persiapan/instansi/dinas-pu/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Butir terbuka Dinas Pekerjaan Umum" in html
    assert html.count("Desain ruang") == 2  # Loa Kulu and Anggana; Tenggarong's is done
    assert "2 lewat tenggat" in html and "lewat 15 hari" in html
    assert 'href="/persiapan/kesiapan/mini-mpp-anggana/"' in html  # where the item is marked
    assert CUT_OFF in html


@time_machine.travel(NOW, tick=False)
def test_a_liaison_opens_its_own_agency_only_and_a_camat_its_kecamatan_only(client, world):
    client.force_login(_liaison(world["pu"], "pu.uji"))
    assert client.get("/persiapan/instansi/dinas-pu/").status_code == 200
    assert client.get("/persiapan/instansi/camat/").status_code == 403

    client.force_login(_liaison(world["camat"], "camat.uji", world["loakulu"].district))
    html = client.get("/persiapan/instansi/camat/").content.decode()
    assert "Mini MPP Kecamatan Loa Kulu" in html
    assert html.count("Lokasi disepakati") == 1  # Anggana's is not its business
    assert "Anggana" not in html


def test_an_agency_page_refuses_unknown_codes_and_other_roles(client, cast, world):
    client.force_login(cast.regency_admin())
    assert client.get("/persiapan/instansi/tidak-ada/").status_code == 404
    client.force_login(cast.supervisor_loakulu())
    assert client.get("/persiapan/instansi/dinas-pu/").status_code == 403
    client.logout()
    assert client.get("/persiapan/instansi/dinas-pu/").status_code == 302


def test_an_agency_with_nothing_open_says_so(client, cast, world):
    client.force_login(cast.regency_admin())
    html = client.get("/persiapan/instansi/diskominfo/").content.decode()
    assert "Tidak ada butir terbuka" in html


# --- the weekly PDF --------------------------------------------------------------------------


def pdf_from_job(client, capture):  # type: ignore[no-untyped-def]
    """Ask for the PDF, let its background job write it (when the request's transaction
    commits: core/jobs.py) and fetch the file its job page offers."""
    with capture(execute=True):
        asked = client.get(PDF)
    assert asked.status_code == 302 and asked["Location"].startswith("/tugas/")
    state = client.get(asked["Location"]).context["state"]
    assert state["status"] == "done", state
    return client.get(state["result_url"])


@time_machine.travel(NOW, tick=False)
def test_the_weekly_pdf_is_an_a4_pdf_with_the_cut_off_and_late_items(
    client, cast, world, tmp_path, django_capture_on_commit_callbacks
):
    client.force_login(cast.leadership())
    response = pdf_from_job(client, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="persiapan-mini-mpp-kukar-2025-10-15.pdf"' in response["Content-Disposition"]
    pdf = b"".join(response.streaming_content)
    assert pdf.startswith(b"%PDF-")
    if shutil.which("pdftotext") is None:  # poppler-utils: in CI and the dev image
        pytest.fail("pdftotext (poppler-utils) is needed to read the PDF")
    path = tmp_path / "weekly.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "Laporan Mingguan Persiapan Mini MPP" in text
    assert CUT_OFF in text
    assert "minggu ke-42 tahun 2025" in text
    assert "Loa Kulu" in text and "Muara Muntai" in text
    assert "Dinas Pekerjaan Umum (2 butir)" in text  # late items by owner agency
    assert "Kepala Dinas Penanaman Modal" in text and "NIP." in text
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True)
    assert "595.276 x 841.89 pts (A4)" in info.stdout


def test_the_weekly_pdf_is_for_readers_only(
    client, cast, world, django_capture_on_commit_callbacks
):
    assert client.get(PDF).status_code == 302
    assert "/admin/login/" in client.get(PDF)["Location"]
    client.force_login(cast.officer_dukcapil())
    assert client.get(PDF).status_code == 403
    client.force_login(_liaison(world["pu"], "pu.uji"))
    assert pdf_from_job(client, django_capture_on_commit_callbacks).status_code == 200


# --- the start page's link -------------------------------------------------------------------


def test_the_start_page_links_the_board_for_its_readers(client, cast, world):
    for person in (cast.regency_admin(), cast.leadership(), cast.auditor()):
        client.force_login(person)
        html = client.get("/petugas/mulai/").content.decode()
        assert 'href="/persiapan/"' in html, person
    client.force_login(_liaison(world["pu"], "pu.uji"))
    html = client.get("/petugas/mulai/").content.decode()
    assert 'href="/persiapan/"' in html
    assert 'href="/persiapan/instansi/dinas-pu/"' in html  # its own list of open items
    assert "instansi mitra persiapan Mini MPP" in html  # what the role is for
    for person in (cast.supervisor_loakulu(), cast.officer_dukcapil()):
        client.force_login(person)
        assert 'href="/persiapan/"' not in client.get("/petugas/mulai/").content.decode()
