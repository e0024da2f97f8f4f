"""`mpp investment import FILE` and `mpp investment template FILE`: the command-line contract."""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from mpp.core.models import AuditEntry
from mpp.investment.models import Dataset, Realization
from mpp.investment.tests.test_import import HEADING, PMA_Q1, PMDN_Q1, SMALL_S1

WITA = ZoneInfo("Asia/Makassar")
APPROVED = 12_500_000_000 + 20_501_258_201
NO_RATE = PMA_Q1.replace(",16401,", ",,")
NO_SECTOR = PMDN_Q1.replace(",10431,5,", ",10431,24,").replace("9120301234567", "9120300000000")


def write_csv(path: Path, *rows: str) -> Path:
    path.write_text("\n".join((HEADING, *rows)) + "\n", encoding="utf-8")
    return path


def investment(*args: str) -> tuple[str, str]:
    """Run `mpp investment ...` in-process; its stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    call_command("investment", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_good_file_is_imported_and_summarised(kukar, tmp_path):  # type: ignore[no-untyped-def]
    path = write_csv(tmp_path / "lkpm.csv", PMDN_Q1, PMA_Q1, SMALL_S1)

    out, err = investment("import", str(path), "--cut-off", "2025-10-15")

    assert err == ""
    assert "Diimpor 3 baris dari lkpm.csv (periode 2025-Q1, 2025-S1)" in out
    assert "0 baris lama diganti" in out
    assert f"({APPROVED} rupiah)" in out  # only the approved reports
    assert "Rp33 miliar" in out
    assert Realization.objects.count() == 3
    dataset = Dataset.objects.get()
    assert dataset.cut_off == dt.date(2025, 10, 15)
    assert dataset.source == "LKPM OSS, berkas lkpm.csv"
    assert dataset.file_name == "lkpm.csv"
    assert dataset.imported_by is None


def test_importing_the_same_file_again_reports_the_rows_it_replaced(kukar, tmp_path):  # type: ignore[no-untyped-def]
    path = write_csv(tmp_path / "lkpm.csv", PMDN_Q1, PMA_Q1, SMALL_S1)
    investment("import", str(path), "--cut-off", "2025-10-15")

    out, _ = investment("import", str(path), "--cut-off", "2025-10-20")

    assert "3 baris lama diganti" in out
    assert Realization.objects.count() == 3
    assert set(Realization.objects.values_list("dataset__cut_off", flat=True)) == {
        dt.date(2025, 10, 20)
    }


def test_a_bad_file_is_refused_naming_every_bad_row_and_column(kukar, tmp_path):  # type: ignore[no-untyped-def]
    path = write_csv(tmp_path / "buruk.csv", PMDN_Q1, NO_RATE, SMALL_S1, NO_SECTOR)
    out, err = io.StringIO(), io.StringIO()

    with pytest.raises(CommandError) as refusal:
        call_command("investment", "import", str(path), stdout=out, stderr=err)

    lines = err.getvalue().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("baris 3, kolom rate: ")
    assert lines[1].startswith("baris 5, kolom sector: ")
    assert "2 kesalahan" in str(refusal.value)
    assert "tidak ada yang diimpor dari buruk.csv" in str(refusal.value)
    assert out.getvalue() == ""
    assert (
        Realization.objects.count(),
        Dataset.objects.count(),
        AuditEntry.objects.filter(action__startswith="investment.").count(),
    ) == (
        0,
        0,
        0,
    )


def test_a_missing_column_is_named_on_the_heading_row(kukar, tmp_path):  # type: ignore[no-untyped-def]
    path = tmp_path / "tanpa-kurs.csv"
    path.write_text(
        HEADING.replace(",rate", "") + "\n" + PMDN_Q1.replace(",12500000000,,", ",12500000000,"),
        encoding="utf-8",
    )
    err = io.StringIO()

    with pytest.raises(CommandError):
        call_command("investment", "import", str(path), stdout=io.StringIO(), stderr=err)

    assert err.getvalue().splitlines() == ["baris 1, kolom rate: kolom wajib tidak ada"]


def test_the_source_and_the_user_are_recorded(kukar, cast, tmp_path):  # type: ignore[no-untyped-def]
    admin = cast.regency_admin()
    path = write_csv(tmp_path / "lkpm.csv", PMDN_Q1)

    investment(
        "import",
        str(path),
        "--source",
        "LKPM OSS, unduhan 15 Oktober 2025",
        "--user",
        admin.username,
        "--cut-off",
        "2025-10-15",
    )

    dataset = Dataset.objects.get()
    assert dataset.source == "LKPM OSS, unduhan 15 Oktober 2025"
    assert dataset.imported_by == admin
    assert AuditEntry.objects.get(action="investment.imported").actor == admin


def test_an_unknown_user_is_refused_and_nothing_is_imported(kukar, tmp_path):  # type: ignore[no-untyped-def]
    path = write_csv(tmp_path / "lkpm.csv", PMDN_Q1)

    with pytest.raises(CommandError, match=r"Pengguna tidak\.ada tidak ada"):
        investment("import", str(path), "--user", "tidak.ada")

    assert Dataset.objects.count() == 0


def test_a_cut_off_that_is_not_a_date_is_refused(kukar, tmp_path):  # type: ignore[no-untyped-def]
    path = write_csv(tmp_path / "lkpm.csv", PMDN_Q1)

    with pytest.raises(CommandError, match="--cut-off"):
        investment("import", str(path), "--cut-off", "15-10-2025")

    assert Dataset.objects.count() == 0


@time_machine.travel(dt.datetime(2026, 10, 1, 12, 0, tzinfo=WITA), tick=False)
def test_the_cut_off_defaults_to_today(kukar, tmp_path):  # type: ignore[no-untyped-def]
    investment("import", str(write_csv(tmp_path / "lkpm.csv", PMDN_Q1)))

    assert Dataset.objects.get().cut_off == dt.date(2026, 10, 1)


@time_machine.travel(dt.datetime(2026, 10, 1, 7, 0, tzinfo=WITA), tick=False)
def test_the_default_cut_off_is_todays_date_in_the_regency(kukar, tmp_path):  # type: ignore[no-untyped-def]
    """At 07:00 WITA it is still 30 September in UTC; the officer's today is 1 October."""
    investment("import", str(write_csv(tmp_path / "lkpm.csv", PMDN_Q1)))

    assert Dataset.objects.get().cut_off == dt.date(2026, 10, 1)


def test_a_missing_file_is_refused(kukar, tmp_path):  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError, match="tidak ditemukan"):
        investment("import", str(tmp_path / "tidak-ada.csv"))


def test_an_unloaded_region_is_refused(kukar, tmp_path):  # type: ignore[no-untyped-def]
    path = write_csv(tmp_path / "lkpm.csv", PMDN_Q1)

    with pytest.raises(CommandError, match="belum dimuat"):
        investment("import", str(path), "--region", "atlantis")


@pytest.mark.parametrize("name", ["templat.csv", "templat.xlsx"])
def test_the_template_imports_cleanly(kukar, tmp_path, name):  # type: ignore[no-untyped-def]
    path = tmp_path / name

    out, _ = investment("template", str(path))

    assert f"Templat ditulis ke {path}" in out
    if name.endswith(".xlsx"):
        assert path.read_bytes()[:2] == b"PK"
    else:
        assert path.read_text(encoding="utf-8").splitlines()[0] == HEADING
    out, err = investment("import", str(path), "--cut-off", "2025-10-15")
    assert err == ""
    assert "Diimpor 3 baris" in out
    # 12 500 000 000 + USD 1 250 000 × 16 400 (20 500 000 000) + 350 000 000.
    assert "(33350000000 rupiah)" in out
    assert Realization.objects.count() == 3


def test_the_real_command_exits_non_zero_on_a_bad_file_and_zero_on_a_good_one(tmp_path):  # type: ignore[no-untyped-def]
    """The CLI as an operator runs it, on a database of its own (it cannot see the test's)."""
    mpp = Path(sys.executable).with_name("mpp")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["MPP_DATA_DIR"] = str(tmp_path / "data")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(mpp), *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    # System checks are not under test here: skipping them saves seconds per command.
    for setup in (
        ("migrate", "--noinput", "--skip-checks"),
        ("load_region", "kukar", "--skip-checks"),
    ):
        done = run(*setup)
        assert done.returncode == 0, done.stderr
    bad = write_csv(tmp_path / "buruk.csv", PMDN_Q1, NO_RATE, NO_SECTOR)
    good = write_csv(tmp_path / "baik.csv", PMDN_Q1, PMA_Q1, SMALL_S1)

    refused = run("investment", "import", str(bad), "--cut-off", "2025-10-15")
    imported = run("investment", "import", str(good), "--cut-off", "2025-10-15")

    assert refused.returncode != 0
    assert "baris 3, kolom rate" in refused.stderr
    assert "baris 4, kolom sector" in refused.stderr
    assert imported.returncode == 0, imported.stderr
    assert "Diimpor 3 baris" in imported.stdout
    # The refused file shared the period Q1 2025: had any of it been written, it would be replaced.
    assert "0 baris lama diganti" in imported.stdout
    assert f"({APPROVED} rupiah)" in imported.stdout
