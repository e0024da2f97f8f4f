"""The programme's report: figures on a world counted by hand (SQL aggregates, a bounded number
of queries), the page, PDF and XLSX for its readers only, "ditanggung" and never "gratis"."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess

import pytest
import time_machine
from openpyxl import load_workbook

from mpp.programs.models import FeeBearer, Registration, TariffBasis
from mpp.programs.report import programme_figures
from mpp.programs.tests import world
from mpp.programs.tests.test_draw_world import NEXT_MORNING, SAME_DAY, married, with_status

pytestmark = pytest.mark.django_db

SLUG = "nikah-massal-syawal-1447"
PAGE = f"/program/{SLUG}/laporan/"
PDF = f"/program/{SLUG}/laporan.pdf"
XLSX = f"/program/{SLUG}/laporan.xlsx"
NOW = dt.datetime(2026, 4, 11, 10, 15, tzinfo=world.WITA)
SPONSOR = '=HYPERLINK("http://contoh.invalid","Klik")'


@pytest.fixture
def found(kukar):  # type: ignore[no-untyped-def]
    """Seven couples: three married (two books; KK the same day, the next morning, open;
    KTP 2+1+0), one scheduled, one approved (a sponsor bears it), one submitted (SKTM, Rp0),
    one cancelled. The married couple with a book and the same-day KK has paid (receipt)."""
    programme = world.programme(slug=SLUG)
    married(programme, book="KUA.17.06/PW.01/001/2026", kk_done_at=SAME_DAY, ktp_done=2,
            receipt="BRI-0001")  # fmt: skip
    married(programme, book="KUA.17.06/PW.01/002/2026", kk_done_at=NEXT_MORNING, ktp_done=1)
    married(programme)
    with_status(programme, Registration.Status.SCHEDULED)
    sponsored = with_status(programme, Registration.Status.APPROVED)
    Registration.objects.filter(pk=sponsored.pk).update(
        fee_bearer=FeeBearer.SPONSOR, sponsor_name=SPONSOR
    )
    sktm = with_status(programme, Registration.Status.SUBMITTED)
    Registration.objects.filter(pk=sktm.pk).update(
        tariff_basis=TariffBasis.SKTM, fee_idr=0, fee_bearer=FeeBearer.COUPLE
    )
    with_status(programme, Registration.Status.CANCELLED)
    return programme


def test_the_figures_are_those_counted_by_hand(found, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        figures = programme_figures(found)
    assert (figures.registered, figures.cancelled, figures.eligible) == (7, 1, 6)
    assert (figures.approved, figures.married, figures.books) == (5, 3, 2)
    assert (figures.kk_total, figures.kk_done, figures.kk_same_day) == (3, 2, 1)
    assert (figures.ktp_total, figures.ktp_done) == (6, 3)
    bearer = {
        (f.key, f.label): (f.couples, f.due_idr, f.paid, f.paid_idr) for f in figures.by_bearer
    }
    assert bearer == {
        ("couple", "Pasangan sendiri"): (1, 0, 1, 0),
        ("regency", "Ditanggung Pemerintah Kabupaten"): (4, 2_400_000, 1, 600_000),
        ("sponsor", f"Ditanggung sponsor: {SPONSOR}"): (1, 600_000, 0, 0),
    }
    assert [f.key for f in figures.by_bearer] == ["couple", "regency", "sponsor"]
    basis = {f.key: (f.couples, f.due_idr, f.paid) for f in figures.by_basis}
    assert basis == {"outside": (5, 3_000_000, 1), "sktm": (1, 0, 1)}
    assert (figures.fee_couples, figures.fee_due_idr, figures.fee_paid_idr) == (
        6,
        3_000_000,
        600_000,
    )


def test_the_query_count_does_not_grow_with_couples(found, django_assert_max_num_queries):
    for _ in range(5):
        married(found, kk_done_at=SAME_DAY, ktp_done=2)
    with django_assert_max_num_queries(6):
        figures = programme_figures(found)
    assert figures.married == 8 and figures.kk_same_day == 6


@time_machine.travel(NOW, tick=False)
def test_the_page_shows_the_figures_in_ditanggung_words(client, found, cast):
    client.force_login(cast.leadership())
    response = client.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "11 April 2026 pukul 10.15 WITA" in html
    assert "Ditanggung Pemerintah Kabupaten" in html and "Rp2.400.000" in html
    assert "gratis" not in html.lower() and "dibebaskan" not in html.lower()
    assert "=HYPERLINK(&quot;" in html  # the sponsor's name, escaped
    assert 'href="/program/nikah-massal-syawal-1447/laporan.pdf"' in html
    figures = dict(response.context["figures"].as_rows())
    assert figures["KK baru selesai pada hari akad"] == 1


def test_the_report_is_for_its_readers_only(client, found, cast):
    assert client.get(PAGE).status_code == 302
    readers = [cast.regency_admin(), cast.leadership(), cast.auditor(), cast.supervisor_mpp(),
               world.kua_officer()]  # fmt: skip
    for person in readers:
        client.force_login(person)
        assert client.get(PAGE).status_code == 200, person
        assert client.get(XLSX).status_code == 200, person
    others = [cast.supervisor_loakulu(), cast.officer_dukcapil(), cast.outsider(),
              world.kua_officer("64.02.01", username="petugas.kua.lain")]  # fmt: skip
    for person in others:
        client.force_login(person)
        for address in (PAGE, PDF, XLSX):
            assert client.get(address).status_code == 403, (person, address)
    client.force_login(cast.regency_admin())
    assert client.get("/program/tidak-ada/laporan/").status_code == 404
    assert client.get("/program/tidak-ada/laporan.xlsx").status_code == 404


@time_machine.travel(NOW, tick=False)
def test_the_xlsx_holds_the_figures_and_keeps_text_as_text(client, found, cast):
    found.title = SPONSOR  # text a person typed, starting like a formula
    found.save(update_fields=["title"])
    client.force_login(cast.regency_admin())
    response = client.get(XLSX)
    assert response.status_code == 200
    assert (
        'filename="laporan-nikah-massal-syawal-1447-2026-04-11.xlsx"'
        in (response["Content-Disposition"])
    )
    book = load_workbook(io.BytesIO(response.content))
    title = book["Ringkasan"]["A1"]
    assert title.value == SPONSOR and title.data_type == "s" and title.quotePrefix
    summary = {row[0]: row[1] for row in book["Ringkasan"].iter_rows(values_only=True) if row}
    assert summary["Pasangan terdaftar"] == 7 and summary["Menikah"] == 3
    assert summary["KK baru selesai pada hari akad"] == 1
    sheet = book["Biaya per penanggung"]
    cells = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    sponsor = cells[f"Ditanggung sponsor: {SPONSOR}"]
    assert sponsor[0].data_type == "s"
    assert cells["Ditanggung Pemerintah Kabupaten"][2].value == 2_400_000
    assert cells["Jumlah"][1].value == 6


def pdf_from_job(client, capture):  # type: ignore[no-untyped-def]
    """Ask for the PDF, let its job write it (on commit) and fetch what its page offers."""
    with capture(execute=True):
        asked = client.get(PDF)
    assert asked.status_code == 302 and asked["Location"].startswith("/tugas/")
    state = client.get(asked["Location"]).context["state"]
    assert state["status"] == "done", state
    return client.get(state["result_url"])


@time_machine.travel(NOW, tick=False)
def test_the_pdf_has_the_title_cut_off_figures_and_signature(
    client, found, cast, tmp_path, django_capture_on_commit_callbacks
):
    client.force_login(world.kua_officer())  # a KUA officer follows their own job
    response = pdf_from_job(client, django_capture_on_commit_callbacks)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert (
        'filename="laporan-nikah-massal-syawal-1447-2026-04-11.pdf"'
        in (response["Content-Disposition"])
    )
    pdf = b"".join(response.streaming_content)
    if shutil.which("pdftotext") is None:  # poppler-utils: in CI and the dev image
        pytest.fail("pdftotext (poppler-utils) is needed to read the PDF")
    path = tmp_path / "laporan.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "Laporan Nikah Massal Syawal 1447 H" in text
    assert "Data per 11 April 2026 pukul 10.15 WITA" in text
    assert "KUA Kecamatan Tenggarong" in text
    assert "Ditanggung Pemerintah Kabupaten" in text and "Rp2.400.000" in text
    assert "KK baru selesai pada hari akad" in text
    assert "Kepala Kantor Urusan Agama Kecamatan" in text and "NIP." in text
    assert "gratis" not in text.lower() and "dibebaskan" not in text.lower()
