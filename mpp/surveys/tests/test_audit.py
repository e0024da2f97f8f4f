"""The independent audit: the raw export and its manifest reproduce the published numbers
exactly through `mpp ikm compute` run as a separate process; the staff download page."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from mpp.surveys import ikm
from mpp.surveys.audit import COLUMNS, export_raw, period_between
from mpp.surveys.queries import Scope, index_for, period_of

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]
NOVEMBER = period_of("month", 2026, 11)
URL = "/survei/audit/unduh.zip"


def exact(text: str) -> Any:
    """JSON with its numbers as Decimals: equal means equal to the last printed digit (the
    key order of "nrr" follows the questionnaire's, which may ask U9 before U8)."""
    return json.loads(text, parse_float=Decimal)


def compute(tmp_path: Path, csv_file: Path, *args: str) -> str:
    """`mpp ikm compute` as an auditor runs it: another process, no database."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(MPP_DATA_DIR=str(tmp_path / "auditor"), DJANGO_SETTINGS_MODULE="mpp.settings")
    done = subprocess.run(
        [sys.executable, "manage.py", "ikm", "compute", str(csv_file), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def unzip(data: bytes, into: Path) -> tuple[Path, dict[str, Any]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert sorted(archive.namelist()) == ["manifest.json", "responses.csv"]
        archive.extractall(into)
    manifest = json.loads((into / "manifest.json").read_text(), parse_float=Decimal)
    return into / "responses.csv", manifest


def published(scope: Scope, weights: str = ikm.EXACT) -> str:
    return ikm.to_json(index_for(scope, NOVEMBER, weights=weights).as_dict())


@pytest.fixture
def responses(respond, mall_mpp, mall_loakulu, service_by_slug):  # type: ignore[no-untyped-def]
    """Eleven responses in November 2026 over two malls, with blanks and every answer value,
    a suggestion naming someone, and two responses outside November."""
    akta = service_by_slug("akta-kelahiran")
    rows = [
        (mall_mpp, [4, 4, 3, 4, 4, 4, 4, 3, 4]),
        (mall_mpp, [3, 3, 3, None, 3, 4, 4, 2, 3]),
        (mall_mpp, [4, 3, 2, 4, 3, 4, 4, 1, 3]),
        (mall_mpp, [None, None, None, None, None, None, None, None, 1]),
        (mall_mpp, [2, 3, 4, 4, 3, 3, 4, 4, 4]),
        (mall_mpp, [4, 4, 4, 4, 4, 4, 4, 4, 4]),
        (mall_loakulu, [3, 3, 3, 3, 3, 3, 3, 3, 3]),
        (mall_loakulu, [4, 2, 3, None, 2, 3, 3, None, 2]),
        (mall_loakulu, [1, 2, 3, 4, 1, 2, 3, 4, 1]),
        (mall_loakulu, [4, 4, 4, 4, 4, 4, 4, 4, 3]),
        (mall_loakulu, [3, 4, 3, 4, 3, 4, 3, 4, None]),
    ]
    for n, (mall, scores) in enumerate(rows):
        respond(
            dict(zip(ikm.STANDARD_CODES, scores, strict=True)),
            mall=mall,
            on=dt.date(2026, 11, 1 + n * 2),
            service=akta if n % 2 else None,
            sex="LP"[n % 2],
            age=20 + n,
            education="S1",
            occupation="Swasta",
            time_band="08-12",
            suggestion="Pak Budi 0812-3456-7890 ramah" if n == 0 else "",
        )
    respond(dict.fromkeys(ikm.STANDARD_CODES, 1), on=dt.date(2026, 10, 31))
    respond(dict.fromkeys(ikm.STANDARD_CODES, 1), on=dt.date(2026, 12, 1))
    return rows


def test_the_export_reproduces_the_published_regency_index_exactly(tmp_path, kukar, responses):  # type: ignore[no-untyped-def]
    scope = Scope(region=kukar)
    csv_file, manifest = unzip(export_raw(scope, NOVEMBER), tmp_path)
    expected = published(scope)
    printed = compute(tmp_path, csv_file)
    assert exact(printed) == exact(expected)
    assert manifest["published"] == exact(expected)
    # The manifest lists the NRR in code order, as the command prints them: equal as text too.
    assert ikm.to_json(manifest["published"]) == printed
    assert manifest["reproduce"] == "mpp ikm compute responses.csv"
    assert manifest["reproducible"] is True
    assert manifest["published"]["respondents"] == manifest["rows"] == 11


def test_by_mall_on_the_export_reproduces_each_malls_index(
    tmp_path, kukar, mall_mpp, mall_loakulu, responses
):  # type: ignore[no-untyped-def]
    csv_file, _ = unzip(export_raw(Scope(region=kukar), NOVEMBER), tmp_path)
    by_mall = json.loads(compute(tmp_path, csv_file, "--by", "mall"), parse_float=Decimal)
    assert list(by_mall) == sorted([mall_mpp.slug, mall_loakulu.slug])
    for mall in (mall_mpp, mall_loakulu):
        assert by_mall[mall.slug] == exact(published(Scope(mall=mall)))


def test_a_malls_export_holds_only_its_rows_and_its_numbers(tmp_path, mall_loakulu, responses):  # type: ignore[no-untyped-def]
    scope = Scope(mall=mall_loakulu)
    csv_file, manifest = unzip(export_raw(scope, NOVEMBER), tmp_path)
    assert manifest["rows"] == 5
    assert {row["mall"] for row in csv.DictReader(csv_file.open())} == {mall_loakulu.slug}
    assert exact(compute(tmp_path, csv_file)) == exact(published(scope))
    assert manifest["scope"]["mall"] == {
        "id": mall_loakulu.pk,
        "slug": mall_loakulu.slug,
        "name": mall_loakulu.name,
    }
    assert manifest["scope"]["whole_region"] is False


def test_legacy_weights_are_labelled_and_reproduced_with_the_same_option(
    tmp_path, kukar, responses
):  # type: ignore[no-untyped-def]
    scope = Scope(region=kukar)
    csv_file, manifest = unzip(export_raw(scope, NOVEMBER, weights="0.111"), tmp_path)
    assert manifest["rule"]["weights"] == "0.111"
    assert manifest["rule"]["weight_per_element"]["U1"] == "111/1000"
    assert manifest["reproduce"] == "mpp ikm compute responses.csv --weights 0.111"
    expected = published(scope, "0.111")
    assert exact(compute(tmp_path, csv_file, "--weights", "0.111")) == exact(expected)
    assert expected != published(scope)


def test_the_manifest_hashes_the_file_and_states_period_scope_and_rule(
    tmp_path, kukar, mall_mpp, service_by_slug, responses
):  # type: ignore[no-untyped-def]
    csv_file, manifest = unzip(export_raw(Scope(region=kukar), NOVEMBER), tmp_path)
    data = csv_file.read_bytes()
    assert manifest["files"]["responses.csv"] == {
        "sha256": hashlib.sha256(data).hexdigest(),
        "bytes": len(data),
    }
    assert manifest["period"] == {"start": "2026-11-01", "end": "2026-11-30", "label": "2026-11"}
    assert manifest["scope"]["region"]["id"] == kukar.pk
    assert manifest["scope"]["whole_region"] is True
    assert manifest["rule"]["regulation"] == "PermenPAN-RB 14/2017"
    assert manifest["rule"]["weight_per_element"] == dict.fromkeys(ikm.STANDARD_CODES, "1/9")
    assert manifest["legend"]["mall"][mall_mpp.slug]["id"] == mall_mpp.pk
    assert manifest["legend"]["service"]["akta-kelahiran"]["id"] == (
        service_by_slug("akta-kelahiran").pk
    )
    assert "generated_at" in manifest
    assert "suggestion" in manifest["left_out"]


def test_the_csv_has_the_stable_columns_and_no_suggestion_text(tmp_path, kukar, responses):  # type: ignore[no-untyped-def]
    csv_file, _ = unzip(export_raw(Scope(region=kukar), NOVEMBER), tmp_path)
    text = csv_file.read_text()
    rows = list(csv.reader(io.StringIO(text)))
    assert tuple(rows[0]) == COLUMNS
    assert len(rows) == 12
    assert "Budi" not in text and "0812" not in text
    first = dict(zip(COLUMNS, rows[1], strict=True))
    assert first["answered_on"] == "2026-11-01"
    assert (first["U1"], first["U9"], first["sex"], first["age"]) == ("4", "4", "L", "20")
    # Blank stays blank, never 0.
    assert dict(zip(COLUMNS, rows[2], strict=True))["U4"] == ""


def test_two_exports_of_the_same_data_are_byte_identical(kukar, responses):  # type: ignore[no-untyped-def]
    def csv_bytes() -> bytes:
        with zipfile.ZipFile(io.BytesIO(export_raw(Scope(region=kukar), NOVEMBER))) as zf:
            return zf.read("responses.csv")

    assert csv_bytes() == csv_bytes()


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("2026-11-30", "2026-11-01", "sebelum tanggal awal"),
        ("2025-01-01", "2026-01-02", "paling panjang 366 hari"),
        ("2026-02-30", "2026-03-01", "YYYY-MM-DD"),
    ],
)
def test_period_between_refuses_bad_ranges(start: str, end: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        period_between(start, end)


def test_a_leap_year_is_not_too_long() -> None:
    assert period_between("2028-01-01", "2028-12-31").end == dt.date(2028, 12, 31)


# --- the staff download ---------------------------------------------------------------------


def query(mall: Any = None, start: str = "2026-11-01", end: str = "2026-11-30") -> str:
    params = f"from={start}&to={end}"
    return f"{URL}?{params}" + (f"&mall={mall}" if mall is not None else "")


def test_anonymous_is_sent_to_the_login_page(client, kukar):  # type: ignore[no-untyped-def]
    response = client.get(query())
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def download(client, address: str, capture):  # type: ignore[no-untyped-def]
    """Ask for the export, let its background job run (here, when the request's transaction
    commits: core/jobs.py), open the job's page and fetch the file it offers."""
    with capture(execute=True):
        asked = client.get(address)
    assert asked.status_code == 302 and asked["Location"].startswith("/tugas/")
    page = client.get(asked["Location"])
    assert page.status_code == 200
    state = page.context["state"]
    assert state["status"] == "done", state
    return client.get(state["result_url"])


def test_a_regency_admin_downloads_the_whole_regency(
    client,
    cast,
    kukar,
    responses,
    django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
):  # type: ignore[no-untyped-def]
    client.force_login(cast.regency_admin())
    with django_capture_on_commit_callbacks() as queued, django_assert_max_num_queries(10):
        asked = client.get(query())  # the request only checks and queues the job
    for run in queued:
        run()
    response = client.get(client.get(asked["Location"]).context["state"]["result_url"])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert 'filename="audit-skm-kukar-2026-11-01-2026-11-30.zip"' in response["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        manifest = json.loads(archive.read("manifest.json"), parse_float=Decimal)
    assert manifest["rows"] == 11
    assert manifest["published"] == exact(published(Scope(region=kukar)))
    from mpp.core.models import AuditEntry

    entry = AuditEntry.objects.get(action="survey.raw_export")
    assert entry.data == {"from": "2026-11-01", "to": "2026-11-30", "rows": 11}


def test_asking_again_while_the_export_is_queued_follows_the_same_job(client, cast, kukar):  # type: ignore[no-untyped-def]
    client.force_login(cast.regency_admin())
    first, second = client.get(query()), client.get(query())  # nothing commits: still queued
    assert first["Location"] == second["Location"]


@pytest.mark.parametrize("who", ["auditor", "supervisor_mpp", "leadership"])
def test_auditors_and_managers_download_a_mall(
    client, cast, mall_mpp, responses, who, django_capture_on_commit_callbacks
):  # type: ignore[no-untyped-def]
    client.force_login(getattr(cast, who)())
    response = download(client, query(mall_mpp.pk), django_capture_on_commit_callbacks)
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    assert manifest["rows"] == 6
    assert manifest["scope"]["mall"]["id"] == mall_mpp.pk


@pytest.mark.parametrize(
    ("who", "mall"),
    [
        ("officer_dukcapil", "mpp"),
        ("outsider", None),
        ("supervisor_loakulu", "mpp"),
    ],
)
def test_others_are_refused_403(client, cast, mall_mpp, responses, who, mall):  # type: ignore[no-untyped-def]
    client.force_login(getattr(cast, who)())
    response = client.get(query(mall_mpp.pk if mall else None))
    assert response.status_code == 403


def test_an_unknown_mall_is_404(client, cast, kukar):  # type: ignore[no-untyped-def]
    client.force_login(cast.regency_admin())
    assert client.get(query(999_999)).status_code == 404


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ("from=2026-11-30&to=2026-11-01", "Tanggal akhir tidak boleh sebelum tanggal awal"),
        ("from=2025-01-01&to=2026-01-02", "Rentang paling panjang 366 hari"),
        ("from=2026-13-01&to=2026-11-30", "Tanggal harus berbentuk YYYY-MM-DD"),
        ("from=2026-11-01", "to"),
        ("from=2026-11-01&to=2026-11-30&mall=abc", "mall"),
    ],
)
def test_bad_parameters_are_400_in_indonesian(client, cast, kukar, params, message):  # type: ignore[no-untyped-def]
    client.force_login(cast.regency_admin())
    response = client.get(f"{URL}?{params}")
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_post_is_refused(client, cast, kukar):  # type: ignore[no-untyped-def]
    client.force_login(cast.regency_admin())
    assert client.post(query()).status_code == 405


def test_the_manifest_warns_when_a_row_answers_none_of_u1_to_u9(tmp_path, kukar, respond):  # type: ignore[no-untyped-def]
    respond(dict.fromkeys(ikm.STANDARD_CODES, 4))
    respond({}, extra_answers={"U10": 3})  # a unit's extra element only
    _, manifest = unzip(export_raw(Scope(region=kukar), NOVEMBER), tmp_path)
    assert manifest["rows"] == 2
    assert manifest["reproducible"] is False
    assert "1 row(s) answer none of U1-U9" in manifest["notes"][0]
