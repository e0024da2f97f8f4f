"""`mpp ikm compute FILE.csv`, run as an auditor runs it: a real subprocess, with no database.

Every case runs `python -m mpp ikm compute` with DATABASE_URL pointing at a port where nothing
listens: the command must not need the database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from mpp.surveys.ikm import STANDARD_CODES

ROOT = Path(__file__).resolve().parents[3]
HEADER = "no,mall," + ",".join(STANDARD_CODES)


def run(
    tmp_path: Path, content: str | bytes | None, *args: str
) -> subprocess.CompletedProcess[str]:
    """`mpp ikm compute` on a file holding `content` (None: no such file)."""
    file = tmp_path / "responses.csv"
    if content is not None:
        file.write_bytes(content.encode() if isinstance(content, str) else content)
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        MPP_DATA_DIR=str(tmp_path / "data"),
        DJANGO_SETTINGS_MODULE="mpp.settings",
        DATABASE_URL="postgres://nobody@127.0.0.1:9/none",  # unreachable on purpose
    )
    return subprocess.run(
        [sys.executable, "-m", "mpp", "ikm", "compute", str(file), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def csv_of(*rows: str, header: str = HEADER) -> str:
    return "\n".join([header, *rows]) + "\n"


def test_it_prints_the_contracts_json_with_exact_decimals(tmp_path: Path) -> None:
    # Hand-worked (test_ikm): NRR halves of 7,6,5,8,5,8,7,3,6; IKM 55/18; 76.39, grade C.
    done = run(tmp_path, csv_of("1,a,4,3,2,4,3,4,4,1,3", "2,a,3,3,3,4,2,4,3,2,3"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == (
        '{"respondents": 2, "nrr": {"U1": 3.5000, "U2": 3.0000, "U3": 2.5000, "U4": 4.0000, '
        '"U5": 2.5000, "U6": 4.0000, "U7": 3.5000, "U8": 1.5000, "U9": 3.0000}, '
        '"ikm": 3.0556, "score": 76.39, "mutu": "C", "kinerja": "Kurang Baik"}'
    )


def test_blanks_are_not_zeros_and_other_columns_are_ignored(tmp_path: Path) -> None:
    done = run(tmp_path, csv_of("1,x,3,3,3,4,3,3,3,3,3", "2,y,3,3,3,,3,3,3,3,3"))
    result = json.loads(done.stdout, parse_float=Decimal)
    assert result["respondents"] == 2
    assert result["nrr"]["U4"] == Decimal("4.0000")  # (4) / 1, not (4 + 0) / 2
    assert result["score"] == Decimal("77.78")  # (8 × 3 + 4) / 9 × 25 = 77.777…


def test_everyone_answering_3_gives_75_00_grade_c(tmp_path: Path) -> None:
    done = run(tmp_path, csv_of(*[f"{i},a," + ",".join("3" * 9) for i in range(5)]))
    result = json.loads(done.stdout, parse_float=Decimal)
    assert (result["score"], result["mutu"], result["kinerja"]) == (
        Decimal("75.00"),
        "C",
        "Kurang Baik",
    )
    assert '"score": 75.00' in done.stdout  # two decimals, never 75.0


@pytest.mark.parametrize(("weights", "score"), [("0.111", "99.90"), ("0.11", "99.00")])
def test_legacy_weights_reproduce_old_spreadsheets_when_asked(
    tmp_path: Path, weights: str, score: str
) -> None:
    content = csv_of("1,a," + ",".join("4" * 9))
    assert json.loads(run(tmp_path, content).stdout)["score"] == 100.0
    done = run(tmp_path, content, "--weights", weights)
    assert f'"score": {score}' in done.stdout


def test_by_gives_one_object_per_group_sorted_by_value(tmp_path: Path) -> None:
    content = csv_of(
        "1,loa-kulu,4,4,4,4,4,4,4,4,4",
        "2,anggana,3,3,3,3,3,3,3,3,3",
        "3,loa-kulu,3,3,3,3,3,3,3,3,3",
    )
    done = run(tmp_path, content, "--by", "mall")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout, parse_float=Decimal)
    assert list(result) == ["anggana", "loa-kulu"]
    assert result["anggana"]["score"] == Decimal("75.00")
    assert result["loa-kulu"]["respondents"] == 2
    assert result["loa-kulu"]["score"] == Decimal("87.50")
    assert result["loa-kulu"]["mutu"] == "B"


def test_a_semicolon_file_with_a_bom_and_crlf_from_excel_is_read(tmp_path: Path) -> None:
    header = HEADER.replace(",", ";")
    body = "\r\n".join([header, "1;a;4;4;4;4;4;4;4;4;4", ";;;;;;;;;;", "2;a;3;3;3;3;3;3;3;3;3"])
    done = run(tmp_path, "\ufeff".encode() + body.encode() + b"\r\n")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout, parse_float=Decimal)
    assert result["respondents"] == 2  # the empty row is skipped
    assert result["score"] == Decimal("87.50")


@pytest.mark.parametrize(
    ("content", "args", "expected"),
    [
        (csv_of("1,a,4,4,4,4,5,4,4,4,4"), (), 'Baris 2, kolom U5: nilai "5" bukan 1, 2, 3 atau 4'),
        (csv_of("1,a,4,4,4,4,4,4,4,4,4", "2,a,0,,,,,,,,"), (), "Baris 3, kolom U1"),
        (csv_of("1,a,4,4,4,4,4,4,4,4,x"), (), 'Baris 2, kolom U9: nilai "x"'),
        (csv_of("1,a,4,4,4,4,4,4,4,4,4", "2,b,,,,,,,,,"), (), "Baris 3: tidak ada satu pun"),
        (
            csv_of("1,a,4,4,4,4,4,4,4,4", header=HEADER.removesuffix(",U9")),
            (),
            "Baris 1, kolom U9: kolom ini tidak ada",
        ),
        (csv_of("1,a,4,4,4,4,4,4,4,4,4"), ("--by", "loket"), "Baris 1, kolom loket"),
        ("", (), "Berkas kosong"),
        (HEADER + "\n", (), "tidak berisi satu baris jawaban pun"),
        (b"no,U1\n1,\xff\n", (), "Baris 2: berkas bukan teks UTF-8"),
        (None, (), "tidak dapat dibaca: berkas atau foldernya tidak ada"),
        (csv_of("1,a,4,4,4,4,4,4,4,4,4,4"), (), "Baris 2: 12 kolom, padahal baris judul 11"),
    ],
    ids=[
        "out-of-range",
        "zero",
        "not-a-number",
        "no-answer",
        "missing-column",
        "unknown-by",
        "empty-file",
        "header-only",
        "not-utf8",
        "unreadable",
        "ragged-row",
    ],
)
def test_bad_input_exits_2_naming_the_row_and_column_in_indonesian(
    tmp_path: Path, content: str | bytes | None, args: tuple[str, ...], expected: str
) -> None:
    done = run(tmp_path, content, *args)
    assert done.returncode == 2
    assert expected in done.stderr
    assert done.stdout == ""


def test_an_unknown_weights_option_is_refused(tmp_path: Path) -> None:
    done = run(tmp_path, csv_of("1,a," + ",".join("4" * 9)), "--weights", "0.1111")
    assert done.returncode == 2
    assert "0.1111" in done.stderr


def test_help_says_only_u1_to_u9_count(tmp_path: Path) -> None:
    done = run(tmp_path, None, "--help")
    assert done.returncode == 0
    assert "Hanya U1-U9 yang dihitung" in done.stdout


# --- `mpp ikm export`, on the server (in-process: it reads the test database) ---------------


@pytest.mark.django_db
def test_export_writes_the_audit_zip_of_a_mall(tmp_path: Path, respond, mall_mpp) -> None:  # type: ignore[no-untyped-def]
    import io
    import zipfile

    from django.core.management import call_command

    respond(dict.fromkeys(STANDARD_CODES, 4))
    out = tmp_path / "audit.zip"
    stdout = io.StringIO()
    call_command(
        "ikm", "export", "--mall", str(mall_mpp.pk), "--from", "2026-11-01", "--to", "2026-11-30",
        str(out), stdout=stdout,
    )  # fmt: skip
    with zipfile.ZipFile(out) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    assert manifest["rows"] == 1
    assert "IKM 100.00 (A)" in stdout.getvalue()
    assert "mpp ikm compute responses.csv" in stdout.getvalue()
    assert [p.name for p in tmp_path.iterdir()] == ["audit.zip"]  # no temporary file left


@pytest.mark.django_db
def test_export_of_the_regency_and_its_bad_input(tmp_path: Path, kukar, capsys) -> None:  # type: ignore[no-untyped-def]
    from django.core.management import call_command

    out = tmp_path / "audit.zip"
    call_command(
        "ikm", "export", "--regency", "--from", "2026-01-01", "--to", "2026-12-31", str(out)
    )
    assert out.exists()
    for args, message in [
        (
            ["--mall", "999999", "--from", "2026-01-01", "--to", "2026-01-31"],
            "Mal dengan id 999999",
        ),
        (["--regency", "--from", "2026-02-01", "--to", "2026-01-31"], "sebelum tanggal awal"),
        (["--regency", "--from", "1 Jan", "--to", "2026-01-31"], "YYYY-MM-DD"),
    ]:
        with pytest.raises(SystemExit) as exited:
            call_command("ikm", "export", *args, str(tmp_path / "other.zip"))
        assert exited.value.code == 2
        assert message in capsys.readouterr().err
    assert not (tmp_path / "other.zip").exists()
