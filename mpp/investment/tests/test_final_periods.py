"""Provisional and final periods: a quarter whose reports are still coming in is labelled
provisional and never what the public page opens on; DPMPTSP marks how far a year is final."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from mpp.accounts.tests.factories import Cast
from mpp.core.models import AuditEntry
from mpp.investment.actions import import_realizations, set_final_period
from mpp.investment.models import FinalPeriod
from mpp.investment.tests.conftest import HEADER

pytestmark = pytest.mark.django_db

# The first three reports of 2025-Q3, on a day when most of the quarter's are still to come.
EARLY_Q3 = [
    "2025,Q3,PT Awal Satu,9120300000011,PMDN,10431,5,64.02.06,IDR,100000000,,1,0,0,Disetujui",
    "2025,Q3,PT Awal Dua,9120300000012,PMDN,10431,5,64.02.06,IDR,100000000,,1,0,0,Disetujui",
    "2025,Q3,PT Awal Tiga,9120300000013,PMDN,10431,5,64.02.06,IDR,100000000,,1,0,0,Disetujui",
]


@pytest.fixture
def early_q3(kukar, small_dataset):  # type: ignore[no-untyped-def]
    set_final_period(region=kukar, year=2025, through=2, acting_user=None)
    return import_realizations(
        region=kukar,
        data="\n".join([HEADER, *EARLY_Q3]).encode(),
        file_name="awal-q3.csv",
        source="LKPM OSS, berkas uji",
        cut_off=dt.date(2025, 10, 3),
        acting_user=None,
    )


def test_the_first_rows_of_a_new_quarter_do_not_move_the_public_page(client, early_q3):
    response = client.get("/investasi/")
    assert (response.context["year"], response.context["through"]) == (2025, 2)
    html = response.content.decode()
    assert "data-provisional" not in html
    assert "Triwulan 3 (sementara)" in html  # offered, and labelled, in the period choice


def test_a_provisional_quarter_asked_for_is_labelled_everywhere(client, early_q3):
    response = client.get("/investasi/", {"tahun": "2025", "sd": "3"})
    assert response.context["through"] == 3
    html = response.content.decode()
    assert "data-provisional" in html and "Angka sementara." in html
    assert "final s.d. triwulan 2" in html
    assert "Realisasi 2025 s.d. triwulan 3 (sementara)" in html
    import io

    from openpyxl import load_workbook

    book = load_workbook(
        io.BytesIO(client.get("/investasi/unduh.xlsx", {"tahun": "2025", "sd": "3"}).content)
    )
    assert "sementara" in book["Ringkasan"]["A1"].value


def test_without_any_final_period_the_latest_data_shows_as_provisional(client, small_dataset):
    response = client.get("/investasi/")
    assert (response.context["year"], response.context["through"]) == (2025, 2)
    assert "data-provisional" in response.content.decode()


def test_a_sources_many_imports_are_named_once_with_the_latest_cut_off(client, early_q3):
    html = client.get("/investasi/", {"tahun": "2025", "sd": "3"}).content.decode()
    assert html.count("LKPM OSS, berkas uji") == 1
    assert "data per 3 Oktober 2025" in html


def test_dpmptsp_marks_a_year_final_and_may_take_it_back(kukar, small_dataset):
    client = Client()
    admin = Cast().regency_admin()
    client.force_login(admin)
    page = client.get("/investasi/impor/").content.decode()
    assert "data-final-periods" in page
    response = client.post("/investasi/final/", {"tahun": "2025", "sd": "2"})
    assert response.status_code == 302
    assert FinalPeriod.objects.get(region=kukar, year=2025).through == 2
    assert AuditEntry.objects.filter(action="investment.final_period_set").count() == 1
    client.post("/investasi/final/", {"tahun": "2025", "sd": "0"})
    assert not FinalPeriod.objects.filter(region=kukar, year=2025).exists()
    assert client.post("/investasi/final/", {"tahun": "2025", "sd": "7"}).status_code == 400


def test_only_dpmptsp_marks_periods_final(kukar, small_dataset):
    for user in (Cast().leadership(), Cast().auditor(), Cast().supervisor_mpp()):
        client = Client()
        client.force_login(user)
        assert client.post("/investasi/final/", {"tahun": "2025", "sd": "2"}).status_code == 403
    assert not FinalPeriod.objects.exists()
