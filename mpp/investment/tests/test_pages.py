"""The investment pages: public dashboard and exports, staff pages, import, classification."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from mpp.investment.models import Dataset, DownstreamKbli, Realization, SectorClassification
from mpp.investment.tests.conftest import HEADER

pytestmark = pytest.mark.django_db


def test_the_public_dashboard_shows_the_latest_period_with_its_source(
    client, small_dataset, django_assert_max_num_queries
):
    # 15: the period marked final is read twice (the default period, the provisional label).
    with django_assert_max_num_queries(15):
        response = client.get("/investasi/")
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["year"] == 2025 and response.context["through"] == 2
    assert "Rp3,1 miliar" in html  # 1 000 000 000 + 1 600 000 000 + 500 000 000
    assert "LKPM OSS, berkas uji (data per 15 Juli 2025)" in html
    assert html.count("Sumber:") == 1  # once, not under every chart
    assert "Data sintetis" not in html
    assert "PT Uji" not in html  # company names are for staff only
    assert html.count("<svg") >= 6


def test_the_dashboard_compares_with_the_same_months_of_last_year(client, small_dataset):
    response = client.get("/investasi/?tahun=2025&sd=Q2")
    board = response.context["board"]
    # 2024 through Q2: 800 000 000; the whole of 2024: + 80 000 × 15 000 = 2 000 000 000.
    assert board.previous_same_period == 800_000_000
    assert board.previous_year == 2_000_000_000
    assert board.growth == pytest.approx(3_100_000_000 / 800_000_000 - 1)
    assert "data-unreported" not in response.content.decode()


@pytest.mark.parametrize("path", ["/investasi/", "/investasi/unduh.xlsx"])
def test_a_quarter_not_reported_yet_is_not_counted_as_zero(client, small_dataset, path):
    # 2025's reports reach Q2: "through Q4" shows through Q2, against 2024 through Q2, and says
    # so; before, Q3 and Q4 counted as Rp0 and the year "fell" against 2024.
    response = client.get(path, {"tahun": "2025", "sd": "4"})
    assert response.status_code == 200
    if path.endswith(".xlsx"):
        assert "2025-tw2" in response["Content-Disposition"]
        return
    assert (response.context["through"], response.context["unreported"]) == (2, 4)
    assert response.context["board"].previous_same_period == 800_000_000
    html = response.content.decode()
    assert "Triwulan 4 2025 belum dilaporkan; angka di bawah ini s.d. triwulan 2." in html


@pytest.mark.parametrize("query", ["tahun=1999", "tahun=abc", "sd=5", "sd=Q9"])
def test_the_dashboard_refuses_bad_parameters_in_indonesian(client, small_dataset, query):
    response = client.get(f"/investasi/?{query}")
    assert response.status_code == 400
    assert "Permintaan" in response.content.decode()


def test_a_year_without_data_is_404_and_says_so(client, small_dataset):
    response = client.get("/investasi/?tahun=2019")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Belum ada data realisasi investasi untuk tahun 2019." in html
    assert "Mal, instansi, atau layanan yang Anda cari tidak ada" not in html


def test_without_any_data_the_dashboard_says_so(client, kukar):
    response = client.get("/investasi/")
    assert response.status_code == 200
    assert "Belum ada data realisasi investasi" in response.content.decode()


def test_the_xlsx_export_holds_the_figures_as_numbers(client, small_dataset):
    response = client.get("/investasi/unduh.xlsx?tahun=2025&sd=2")
    assert response.status_code == 200
    assert "realisasi-investasi-kukar-2025-tw2.xlsx" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    summary = {row[0]: row[1] for row in book["Ringkasan"].iter_rows(values_only=True)}
    assert summary["Realisasi (Rp)"] == 3_100_000_000
    sectors = list(book["Per sektor"].iter_rows(min_row=2, values_only=True))
    assert sectors[0][:2] == (4, "Pertambangan") and sectors[0][3] == 1_600_000_000
    assert sectors[0][2] == "Ekstraktif"  # the label, not the code "ekstraktif"
    assert not any("_" in str(row[2]) for row in sectors)
    sources = list(book["Sumber"].iter_rows(min_row=2, values_only=True))
    assert sources[0][:2] == ("LKPM OSS, berkas uji", "15 Juli 2025")


def test_the_pdf_export_is_written_once_by_the_worker_then_downloaded(
    client, small_dataset, django_capture_on_commit_callbacks
):
    url = "/investasi/unduh.pdf?tahun=2025&sd=2"
    with django_capture_on_commit_callbacks(execute=True):
        waiting = client.get(url)  # the background job writes it (here, once this commits)
    assert waiting.status_code == 202
    assert '<meta http-equiv="refresh"' in waiting.content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="realisasi-investasi-kukar-2025-tw2.pdf"' in response["Content-Disposition"]
    content = b"".join(response.streaming_content)
    assert content.startswith(b"%PDF-")
    assert len(content) > 10_000  # charts and tables, not an empty page
    # The job names the stored file: it ages out with the job (core.jobs.delete_old_job_files).
    from mpp.core.models import Job

    assert Job.objects.get(kind="investment.dashboard_pdf").result_file.endswith(".pdf")


def test_the_pdf_is_written_again_when_the_data_changes(
    client, cast, small_dataset, django_capture_on_commit_callbacks
):
    from mpp.investment.actions import set_sector_classification

    url = "/investasi/unduh.pdf?tahun=2025&sd=2"
    with django_capture_on_commit_callbacks(execute=True):
        client.get(url)
    assert client.get(url).status_code == 200
    set_sector_classification(
        region=small_dataset.dataset.region, natures={1: "ekstraktif"}, acting_user=None
    )
    assert client.get(url).status_code == 202  # the stored PDF is of the data before


def test_an_unknown_export_format_is_404(client, small_dataset):
    assert client.get("/investasi/unduh.docx").status_code == 404
    assert client.get("/investasi/templat.pdf").status_code == 404


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_downloadable_template_imports_cleanly(client, kukar, fmt):
    from mpp.investment.actions import import_realizations

    response = client.get(f"/investasi/templat.{fmt}")
    assert response.status_code == 200
    import datetime as dt

    result = import_realizations(
        region=kukar,
        data=response.content,
        file_name=f"templat.{fmt}",
        source="templat",
        cut_off=dt.date(2025, 8, 1),
        acting_user=None,
    )
    assert result.rows == 3


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_template_as_downloaded_is_refused_on_the_import_page(
    client, cast, small_dataset, fmt, import_page
):
    client.force_login(cast.regency_admin())
    template = client.get(f"/investasi/templat.{fmt}").content
    upload = SimpleUploadedFile(f"templat.{fmt}", template)
    response = import_page(
        {"berkas": upload, "sumber": "uji", "data_per": "2025-08-01", "ganti": "on"},
    )
    assert response.context["state"]["status"] == "done" and response.context["errors"]
    assert "hanya berisi baris contoh dari templat" in response.content.decode()
    assert Realization.objects.filter(year=2025, period="Q1").count() == 2  # untouched


def test_staff_pages_need_a_login(client, small_dataset):
    for url in ("/investasi/internal/", "/investasi/impor/", "/investasi/klasifikasi/"):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_company_list_is_for_dpmptsp_leadership_and_auditors(client, cast, small_dataset):
    for person in (cast.supervisor_mpp(), cast.officer_dukcapil(), cast.outsider()):
        client.force_login(person)
        assert client.get("/investasi/internal/").status_code == 403
    client.force_login(cast.leadership())
    response = client.get("/investasi/internal/?tahun=2025&sd=2&q=batu")
    assert response.status_code == 200
    assert [c["company"] for c in response.context["companies"]] == ["PT Uji Batu"]
    assert "Impor berkas LKPM" not in response.content.decode()  # leadership reads only


def test_imports_and_classification_are_for_the_regency_admin(client, cast, small_dataset):
    for person in (cast.leadership(), cast.auditor(), cast.supervisor_mpp()):
        client.force_login(person)
        assert client.get("/investasi/impor/").status_code == 403
        assert client.post("/investasi/klasifikasi/", {}).status_code == 403
    assert Dataset.objects.count() == 1


def _upload(rows: list[str], name: str = "lkpm.csv") -> io.BytesIO:
    upload = io.BytesIO("\n".join([HEADER, *rows]).encode())
    upload.name = name
    return upload


def test_an_import_with_bad_rows_lists_them_and_changes_nothing(
    client, cast, small_dataset, import_page
):
    client.force_login(cast.regency_admin())
    before = Realization.objects.count()
    response = import_page(
        {
            "berkas": _upload(
                [
                    "2025,Q2,PT Baik,9120300000011,PMDN,10431,5,64.02.06,IDR,5,,1,0,0,Disetujui",
                    "2025,Q2,PT Asing,9120300000012,PMA,05100,4,64.02.02,USD,5,,1,0,0,Disetujui",
                    "2025,Q7,PT Buruk,9120300000013,PMDN,10431,99,64.99.99,IDR,-5,,1,0,0,Ok",
                ]
            ),
            "sumber": "LKPM OSS",
            "data_per": "2025-08-01",
        },
    )
    assert response.status_code == 200 and response.context["state"]["status"] == "done"
    errors = {(e["row"], e["column"]) for e in response.context["errors"]}
    assert (3, "rate") in errors
    assert {(4, "period"), (4, "sector"), (4, "district_code"), (4, "amount")} <= errors
    assert (4, "report_status") in errors
    assert "tidak ada yang diimpor" in response.content.decode()
    assert Realization.objects.count() == before and Dataset.objects.count() == 1


def test_an_import_replaces_the_periods_it_holds_once_the_box_is_ticked(
    client, cast, small_dataset, import_page
):
    admin = cast.regency_admin()
    client.force_login(admin)
    revision = ["2025,Q2,PT Baru,9120300000011,PMDN,10431,5,64.02.06,IDR,7000,,1,0,0,Disetujui"]
    fields = {"sumber": "LKPM OSS, revisi TW II", "data_per": "2025-08-01"}
    unticked = import_page({"berkas": _upload(revision), **fields})
    assert unticked.context["errors"]
    assert "Berkas ini mengganti data yang sudah diimpor: 2025-Q2 (2 baris)." in (
        unticked.content.decode()
    )
    assert not Dataset.objects.filter(source="LKPM OSS, revisi TW II").exists()
    assert Realization.objects.filter(year=2025, period="Q2").count() == 2
    response = import_page({"berkas": _upload(revision), **fields, "ganti": "on"})
    assert response.context["state"]["status"] == "done" and not response.context["errors"]
    assert "1 baris diimpor (periode 2025-Q2); 2 baris lama diganti." in response.content.decode()
    dataset = Dataset.objects.get(source="LKPM OSS, revisi TW II")
    assert dataset.imported_by == admin and dataset.replaced_count == 2
    assert list(
        Realization.objects.filter(year=2025, period="Q2").values_list("company", flat=True)
    ) == ["PT Baru"]
    assert Realization.objects.filter(year=2025, period="Q1").count() == 2  # untouched
    page = client.get("/investasi/internal/").content.decode()
    assert "LKPM OSS, revisi TW II" in page


@pytest.mark.parametrize(
    ("fields", "name"),
    [
        ({"sumber": "x", "data_per": "2999-01-01"}, "lkpm.csv"),
        ({"sumber": "x", "data_per": "bukan tanggal"}, "lkpm.csv"),
        ({"sumber": "", "data_per": "2025-01-01"}, "lkpm.csv"),
        ({"sumber": "x", "data_per": "2025-01-01"}, "lkpm.pdf"),
    ],
)
def test_an_import_form_with_bad_fields_is_400(client, cast, small_dataset, fields, name):
    client.force_login(cast.regency_admin())
    row = "2025,Q2,PT Baru,9120300000011,PMDN,10431,5,64.02.06,IDR,7000,,1,0,0,Disetujui"
    response = client.post("/investasi/impor/", {"berkas": _upload([row], name), **fields})
    assert response.status_code == 400
    assert Dataset.objects.count() == 1


def test_the_classification_page_changes_the_extractive_share(client, cast, small_dataset):
    client.force_login(cast.regency_admin())
    form = client.get("/investasi/klasifikasi/").context["form"]
    data = {name: form.initial.get(name) for name in form.fields}
    data["sektor_1"] = "ekstraktif"
    data["hilirisasi"] = "10431 Minyak sawit (CPO)\n24 Logam dasar"
    response = client.post("/investasi/klasifikasi/", data)
    assert response.status_code == 302
    assert SectorClassification.objects.get(sector_id=1).nature == "ekstraktif"
    assert list(DownstreamKbli.objects.values_list("prefix", flat=True)) == ["10431", "24"]
    summary = client.get("/api/v1/investment/summary?year=2025&through=2").json()
    assert summary["extractive_idr"] == 1_600_000_000 + 500_000_000
    assert Realization.objects.filter(is_downstream=True, kbli="10431").count() == 2


@pytest.mark.parametrize("bad", ["10431", "1 Satu digit", "10431 Sawit\n10431 Lagi", "abcde Huruf"])
def test_a_bad_downstream_list_is_refused(client, cast, small_dataset, bad):
    client.force_login(cast.regency_admin())
    form = client.get("/investasi/klasifikasi/").context["form"]
    data = {name: form.initial.get(name) for name in form.fields}
    data["hilirisasi"] = bad
    response = client.post("/investasi/klasifikasi/", data)
    assert response.status_code == 400
    assert "Baris" in response.content.decode()
    assert not DownstreamKbli.objects.exists()


def test_an_unknown_sector_nature_is_refused(client, cast, small_dataset):
    client.force_login(cast.regency_admin())
    form = client.get("/investasi/klasifikasi/").context["form"]
    data = {name: form.initial.get(name) for name in form.fields}
    data["sektor_4"] = "ajaib"
    assert client.post("/investasi/klasifikasi/", data).status_code == 400
    assert not SectorClassification.objects.exists()


def test_the_staff_workbook_lists_every_company(client, cast, small_dataset):
    url = "/investasi/internal/unduh.xlsx?tahun=2025&sd=2"
    client.force_login(cast.supervisor_mpp())
    assert client.get(url).status_code == 403
    client.force_login(cast.auditor())
    assert client.get("/investasi/internal/unduh.xlsx?sd=7").status_code == 400
    response = client.get(url)
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book["Perusahaan"].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == ["PT Uji Batu", "PT Uji Pangan", "PT Uji Kebun"]
    assert rows[0][4] == 1_600_000_000
    public = load_workbook(io.BytesIO(client.get("/investasi/unduh.xlsx").content))
    assert "Perusahaan" not in public.sheetnames


def test_the_source_is_said_once_for_the_page_with_an_indonesian_date(client, small_dataset):
    # Issue 18: the paragraph repeated under every chart (9 times) with ISO dates.
    html = client.get("/investasi/").content.decode()
    assert html.count("Sumber:") == 1
    assert "data per 15 Juli 2025" in html and "2025-07-15" not in html
