"""Import of paper survey sheets from CSV or XLSX: /survei/impor/<mall_id>/ and its template."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import threading

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections
from django.urls import reverse
from openpyxl import Workbook

from mpp.core.models import AuditEntry
from mpp.surveys.actions import import_responses
from mpp.surveys.importing import AlreadyImported, ImportRejected
from mpp.surveys.models import Response, SurveyImport
from mpp.surveys.sheets import COLUMNS

pytestmark = pytest.mark.django_db

HEADER = ";".join(COLUMNS)
GOOD = "2026-11-30;08-12;disdukcapil;akta-kelahiran;4;3;3;4;3;4;4;2;1;P;34;SMA;Swasta;Ruang sempit"


def url(mall_id: int) -> str:
    return reverse("surveys:import", args=[mall_id])


def csv_file(*rows: str, header: str = HEADER, bom: bool = True) -> bytes:
    text = "\r\n".join([header, *rows]) + "\r\n"
    return (("\ufeff" if bom else "") + text).encode()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


@pytest.fixture
def clerk(client, monday, cast):  # type: ignore[no-untyped-def]
    """MPP Kukar's supervisor, logged in, on Monday 30 November 2026."""
    client.force_login(cast.supervisor_mpp())
    return client


@pytest.fixture
def post_import(clerk, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    """POST the import form, let its background job run (in this process, when the request's
    transaction commits: core/jobs.py) and GET the page it leads to, with the job's outcome.
    A form refused before any job is returned as it is."""

    def post(mall_id: int, data: dict[str, object]):  # type: ignore[no-untyped-def]
        with django_capture_on_commit_callbacks(execute=True):
            response = clerk.post(url(mall_id), data)
        if response.status_code != 302:
            return response
        assert "?tugas=" in response["Location"]
        return clerk.get(response["Location"])

    return post


def refusal(mall, data: bytes, name: str = "lembar.csv") -> list[tuple[int | None, str | None]]:  # type: ignore[no-untyped-def]
    with pytest.raises(ImportRejected) as caught:
        import_responses(mall=mall, file_name=name, data=data, acting_user=None)
    assert Response.objects.count() == 0 and SurveyImport.objects.count() == 0
    return [(e.row, e.column) for e in caught.value.errors]


def test_a_semicolon_csv_with_a_bom_is_imported_whole(post_import, mall_mpp, cast):
    data = csv_file(GOOD, "30/11/2026;13-17;Disdukcapil Kukar;;3;3;;4;3;3;3;3;3;L;51;S1;PNS;")
    response = post_import(mall_mpp.pk, {"berkas": upload("lembar.csv", data)})
    assert response.status_code == 200 and response.context["state"]["status"] == "done"
    assert "2 lembar dari lembar.csv diimpor." in response.content.decode()
    record = SurveyImport.objects.get()
    assert record.sha256 == hashlib.sha256(data).hexdigest()
    assert (record.rows, record.mall, record.file_name) == (2, mall_mpp, "lembar.csv")
    assert record.imported_by == cast.supervisor_mpp()
    first, second = Response.objects.order_by("time_band")
    assert first.answers() == {
        "U1": 4, "U2": 3, "U3": 3, "U4": 4, "U5": 3, "U6": 4, "U7": 4, "U8": 2, "U9": 1,
    }  # fmt: skip
    assert first.service.slug == "akta-kelahiran" and first.suggestion == "Ruang sempit"
    assert (second.u3, second.service, second.sex, second.age) == (None, None, "L", 51)
    assert {r.source_id for r in (first, second)} == {record.pk}
    assert {r.channel for r in (first, second)} == {Response.Channel.IMPORT}
    entry = AuditEntry.objects.get(action="survey.imported")
    assert entry.mall_id == mall_mpp.pk and entry.data["rows"] == 2


def test_a_nik_in_an_imported_suggestion_is_masked(clerk, mall_mpp):
    row = GOOD.replace("Ruang sempit", "Hubungi 081255443322 atau NIK 6402 0112 0490 0003")
    import_responses(mall=mall_mpp, file_name="l.csv", data=csv_file(row), acting_user=None)
    assert Response.objects.get().suggestion == "Hubungi 0••••••••322 atau NIK 6402••••••••0003"


def test_an_xlsx_with_date_and_number_cells_is_imported(post_import, mall_mpp):
    book = Workbook()
    sheet = book.active
    sheet.append([c.upper() if c.startswith("u") else c for c in COLUMNS])
    sheet.append(
        [
            *(dt.date(2026, 11, 28), "08-12", "DISDUKCAPIL", "Penerbitan Akta Kelahiran"),
            *(4, 4, 3, 3, 4, 4, 4, 3, 3),
            *("P", 27, "S1", "wirausaha", None),
        ]
    )
    sheet.append(["2026-11-29", None, "disdukcapil", None, 3.0, None, None, None, 2, 3, 3, 3, 3])
    out = io.BytesIO()
    book.save(out)
    response = post_import(mall_mpp.pk, {"berkas": upload("Lembar.XLSX", out.getvalue())})
    assert response.context["state"]["status"] == "done" and not response.context["errors"]
    rows = list(Response.objects.order_by("answered_on"))
    assert [r.answered_on for r in rows] == [dt.date(2026, 11, 28), dt.date(2026, 11, 29)]
    assert rows[0].occupation == "Wirausaha" and rows[0].age == 27
    assert rows[1].u1 == 3 and rows[1].u2 is None and rows[1].sex == ""


def test_a_file_with_three_bad_rows_imports_nothing_and_names_them_all(post_import, mall_mpp):
    data = csv_file(
        GOOD,
        GOOD.replace(";4;3;3;4;", ";4;3;3;5;", 1),  # row 3: U4 = 5
        GOOD,
        GOOD.replace("disdukcapil", "dinas-tidak-ada"),  # row 5: unknown tenant
        GOOD.replace("2026-11-30", "2026-12-01").replace(";P;34;", ";X;34;"),  # row 6: two
    )
    response = post_import(mall_mpp.pk, {"berkas": upload("lembar.csv", data)})
    assert response.context["state"]["status"] == "done"
    errors = [(e["row"], e["column"]) for e in response.context["errors"]]
    assert errors == [(3, "U4"), (5, "instansi"), (6, "tanggal"), (6, "jenis_kelamin")]
    html = response.content.decode()
    assert "4 kesalahan; tidak ada yang diimpor." in html
    assert "Jawaban unsur U4 harus 1, 2, 3 atau 4." in html
    assert "instansi dinas-tidak-ada tidak dikenal" in html
    assert "tanggal 2026-12-01 di masa depan" in html
    assert Response.objects.count() == 0 and SurveyImport.objects.count() == 0


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_template_downloads_and_imports_cleanly(clerk, post_import, mall_mpp, fmt):
    template = clerk.get(reverse("surveys:import-template", args=[fmt]), {"mal": mall_mpp.pk})
    assert template.status_code == 200
    assert f"templat-survei-kertas.{fmt}" in template["Content-Disposition"]
    posted = post_import(mall_mpp.pk, {"berkas": upload(f"templat.{fmt}", template.content)})
    assert posted.context["state"]["status"] == "done" and not posted.context["errors"]
    assert SurveyImport.objects.get().rows == Response.objects.count() == 2


def test_the_template_without_a_mall_is_served_and_a_bad_one_is_404(client, kukar):
    assert client.get(reverse("surveys:import-template", args=["csv"])).status_code == 200
    template = reverse("surveys:import-template", args=["pdf"])
    assert client.get(template).status_code == 404
    csv_url = reverse("surveys:import-template", args=["csv"])
    assert client.get(csv_url, {"mal": "999999"}).status_code == 404
    assert client.get(csv_url, {"mal": "abc"}).status_code == 404


def test_the_same_file_twice_is_refused_naming_the_earlier_import(post_import, mall_mpp):
    data = csv_file(GOOD)
    first = post_import(mall_mpp.pk, {"berkas": upload("a.csv", data)})
    assert not first.context["errors"]
    again = post_import(mall_mpp.pk, {"berkas": upload("b.csv", data)})
    assert again.context["already_imported"]
    html = again.content.decode()
    assert "Berkas ini sudah pernah diimpor; tidak ada yang diimpor." in html
    assert hashlib.sha256(data).hexdigest() in html and "a.csv" in html
    assert Response.objects.count() == 1
    sure = {"berkas": upload("b.csv", data), "impor_lagi": "on"}
    assert not post_import(mall_mpp.pk, sure).context["errors"]
    assert Response.objects.count() == 2 and SurveyImport.objects.count() == 2
    entry = AuditEntry.objects.filter(action="survey.imported").order_by("-at", "-id").first()
    assert entry is not None and entry.data["reimport_of"] is not None


def test_the_same_file_in_another_mall_is_not_a_reimport(monday, mall_mpp, mall_loakulu):
    data = csv_file(GOOD)
    import_responses(mall=mall_mpp, file_name="a.csv", data=data, acting_user=None)
    with pytest.raises(AlreadyImported):
        import_responses(mall=mall_mpp, file_name="a.csv", data=data, acting_user=None)
    import_responses(mall=mall_loakulu, file_name="a.csv", data=data, acting_user=None)
    assert Response.objects.filter(mall=mall_loakulu).count() == 1


def test_an_empty_file_is_refused(monday, mall_mpp):
    assert refusal(mall_mpp, b"") == [(None, None)]
    assert refusal(mall_mpp, b"\xef\xbb\xbf\r\n") == [(None, None)]
    assert refusal(mall_mpp, csv_file()) == [(None, None)]  # a heading and no sheet


def test_a_file_over_5_mb_is_refused(clerk, mall_mpp, settings):
    limit = settings.MPP_SURVEY_IMPORT_MAX_BYTES
    big = csv_file(*[GOOD] * (limit // len(GOOD) + 1))
    assert refusal(mall_mpp, big) == [(None, None)]
    response = clerk.post(url(mall_mpp.pk), {"berkas": upload("besar.csv", big)})
    assert response.status_code == 400
    assert "Berkas terlalu besar: 5,1 MB, paling banyak 5,0 MB." in response.content.decode()


def test_an_unknown_extension_is_refused(monday, mall_mpp):
    assert refusal(mall_mpp, csv_file(GOOD), name="lembar.txt") == [(None, None)]


def test_a_damaged_xlsx_is_refused(monday, mall_mpp):
    assert refusal(mall_mpp, b"PK\x03\x04 rusak", name="lembar.xlsx") == [(None, None)]


def test_missing_required_columns_are_named(monday, mall_mpp):
    header = "waktu;layanan;jenis_kelamin"
    assert refusal(mall_mpp, csv_file("08-12;;L", header=header)) == [
        (1, "tanggal"),
        (1, "instansi"),
        (1, "U1–U9"),
    ]


def test_a_file_with_only_some_answer_columns_is_accepted(monday, mall_mpp):
    data = csv_file("2026-11-30,disdukcapil,4,3", header="tanggal,instansi,U9,U8", bom=False)
    import_responses(mall=mall_mpp, file_name="x.csv", data=data, acting_user=None)
    saved = Response.objects.get()
    assert (saved.u8, saved.u9, saved.u1) == (3, 4, None)


def test_a_tenant_not_at_this_mall_is_refused(monday, mall_loakulu):
    row = "2026-11-30;;imigrasi-samarinda;;4;4;4;4;4;4;4;4;4;;;;;"
    [(row_number, column)] = refusal(mall_loakulu, csv_file(row))
    assert (row_number, column) == (2, "instansi")


def test_a_service_of_another_tenant_is_refused(monday, mall_mpp):
    row = GOOD.replace("akta-kelahiran", "skck-baru")
    assert refusal(mall_mpp, csv_file(row)) == [(2, "layanan")]


def test_a_future_date_and_other_bad_cells_are_refused(monday, mall_mpp):
    rows = [
        GOOD.replace("2026-11-30", "2026-12-01"),
        GOOD.replace("2026-11-30", "31/02/2026"),
        GOOD.replace("08-12", "19-21"),
        GOOD.replace(";34;", ";tiga;"),
        GOOD.replace(";SMA;", ";SD kelas 3;"),
        "2026-11-30;;disdukcapil;;;;;;;;;;;;;;;",  # no answer at all
    ]
    assert refusal(mall_mpp, csv_file(*rows)) == [
        (2, "tanggal"),
        (3, "tanggal"),
        (4, "waktu"),
        (5, "usia"),
        (6, "pendidikan"),
        (7, "U1–U9"),
    ]


def test_anonymous_is_sent_to_the_login_page(client, mall_mpp):
    response = client.get(url(mall_mpp.pk))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse(settings.LOGIN_URL))


def test_the_import_page_lists_earlier_imports(clerk, mall_mpp):
    import_responses(mall=mall_mpp, file_name="lama.csv", data=csv_file(GOOD), acting_user=None)
    response = clerk.get(url(mall_mpp.pk))
    assert response.status_code == 200
    assert "lama.csv" in response.content.decode()


def test_a_tenant_officer_and_another_supervisor_may_not_import(client, cast, mall_mpp):
    client.force_login(cast.officer_dukcapil())
    assert client.get(url(mall_mpp.pk)).status_code == 403
    client.force_login(cast.supervisor_loakulu())
    posted = client.post(url(mall_mpp.pk), {"berkas": upload("a.csv", csv_file(GOOD))})
    assert posted.status_code == 403
    assert Response.objects.count() == 0


def test_an_unknown_mall_is_404(clerk):
    assert clerk.get(url(999_999)).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_parallel_imports_of_two_files_into_one_mall_both_land_whole(monday, mall_mpp):
    files = {
        "pagi.csv": csv_file(*[GOOD.replace("Ruang sempit", f"pagi {i}") for i in range(150)]),
        "siang.csv": csv_file(*[GOOD.replace("08-12", "13-17") for _ in range(120)]),
    }
    barrier = threading.Barrier(len(files))
    failures: list[BaseException] = []

    def run(name: str) -> None:
        try:
            barrier.wait()
            import_responses(mall=mall_mpp, file_name=name, data=files[name], acting_user=None)
        except BaseException as exc:  # reported below, in the test's thread
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(name,)) for name in files]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    counts = {i.file_name: (i.rows, i.responses.count()) for i in SurveyImport.objects.all()}
    assert counts == {"pagi.csv": (150, 150), "siang.csv": (120, 120)}
    assert Response.objects.filter(mall=mall_mpp).count() == 270


def test_the_import_page_costs_a_bounded_number_of_queries(
    clerk, mall_mpp, django_assert_max_num_queries
):
    for n in range(3):
        data = csv_file(GOOD.replace("Ruang sempit", str(n)))
        import_responses(mall=mall_mpp, file_name=f"{n}.csv", data=data, acting_user=None)
    with django_assert_max_num_queries(6):
        assert clerk.get(url(mall_mpp.pk)).status_code == 200
