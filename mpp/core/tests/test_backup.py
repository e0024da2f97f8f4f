"""`mpp backup` and `mpp restore` (core/backup.py, docs/adr/0023): an archive of the suite's
database (SQLite in the first CI pass, PostgreSQL in the second) restores into a fresh database
of the same engine, in another process, with every record and stored file; archives this
version cannot restore are refused before anything is touched."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import subprocess
import sys
import tarfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from zoneinfo import ZoneInfo

import dj_database_url
import pytest
import time_machine
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from mpp.core import backup

MONDAY_9 = dt.datetime(2026, 11, 30, 9, 0, tzinfo=ZoneInfo("Asia/Makassar"))
LKPM = (
    "year,period,company,nib,status,kbli,sector,district_code,currency,amount,rate,"
    "workers_male,workers_female,workers_foreign,report_status\n"
    "2025,Q1,PT Uji Cadangan,9120300000071,PMDN,10431,5,64.02.06,IDR,750000000,,9,4,0,Disetujui\n"
    "2025,Q2,PT Uji Cadangan,9120300000071,PMDN,10431,5,64.02.06,IDR,250000000,,9,4,0,Disetujui\n"
)
REPORT = "hasil/2026/rekap-ikm.xlsx"
REPORT_BYTES = b"PK\x03\x04 a job's result file \x00\xff" * 100

# What the restored database is asked, in its own process: every record by its identity.
FIND = """
import json, os
from django.core.files.storage import default_storage
from mpp.core.models import AuditEntry
from mpp.investment.models import Dataset, Realization
from mpp.queueing.models import Ticket
from mpp.surveys.models import Response
want = json.loads(os.environ["WANT"])
ticket = Ticket.objects.get(code=want["ticket"])
response = Response.objects.get(pk=want["response"])
entry = AuditEntry.objects.get(pk=want["audit"])
dataset = Dataset.objects.get(file_sha256=want["dataset"])
with default_storage.open(want["file"], "rb") as f:
    stored = f.read()
fresh = AuditEntry.objects.create(action="backup.after", object_type="x", object_id="1")
print(json.dumps({
    "ticket": [ticket.display_number, ticket.service.slug, ticket.status],
    "response": [str(response.mall.slug), response.channel],
    "audit": [entry.action, entry.object_id],
    "realizations": Realization.objects.filter(dataset=dataset).count(),
    "file": stored.hex(),
    "fresh_after_old": fresh.pk > entry.pk,
}))
"""


def _mpp(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mpp", *args],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def _fill(kukar) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """A ticket, a survey response, an LKPM import, an audit entry and a stored file."""
    from mpp.catalog.models import Service, Tenant
    from mpp.core.models import audit
    from mpp.investment.actions import import_realizations
    from mpp.malls.models import Mall
    from mpp.queueing.actions import issue_ticket
    from mpp.queueing.models import Ticket
    from mpp.surveys.models import Questionnaire, Response

    mall = Mall.objects.get(slug="mpp-kukar")
    with time_machine.travel(MONDAY_9, tick=False):
        ticket = issue_ticket(
            mall=mall, service=Service.objects.get(slug="akta-kelahiran"), channel="kiosk"
        ).ticket
    response = Response.objects.create(
        questionnaire=Questionnaire.objects.get(mall=None, tenant=None),
        mall=mall,
        tenant=Tenant.objects.get(slug="disdukcapil"),
        answered_on=dt.date(2026, 11, 30),
        channel=Response.Channel.PAPER,
        u1=4,
        u2=3,
    )
    imported = import_realizations(
        region=kukar,
        data=LKPM.encode(),
        file_name="cadangan.csv",
        source="LKPM OSS, berkas uji cadangan",
        cut_off=dt.date(2025, 7, 15),
        acting_user=None,
    )
    entry = audit(actor=None, action="ticket.issued", obj=ticket, mall_id=mall.pk)
    assert default_storage.save(REPORT, ContentFile(REPORT_BYTES)) == REPORT
    assert Ticket.objects.filter(code=ticket.code).exists()
    return {
        "ticket": ticket.code,
        "ticket_pk": str(ticket.pk),
        "number": ticket.display_number,
        "response": str(response.pk),
        "audit": str(entry.pk),
        "dataset": imported.dataset.file_sha256,
        "file": REPORT,
    }


@pytest.fixture
def fresh_database(tmp_path):  # type: ignore[no-untyped-def]
    """The environment of a fresh, empty database of the suite's engine and an empty storage:
    a new SQLite file, or a new PostgreSQL database `<DATABASE_URL's name>_restore`."""
    env = {**os.environ, "MPP_DATA_DIR": str(tmp_path / "restored")}
    env["MPP_FILES_DIR"] = str(tmp_path / "restored" / "files")
    env.pop("DJANGO_SETTINGS_MODULE", None)
    if connection.vendor != "postgresql":
        env.pop("DATABASE_URL", None)
        yield env
        return
    name = dj_database_url.parse(settings.DATABASE_URL)["NAME"] + "_restore"
    quoted = connection.ops.quote_name(name)
    with connection.cursor() as cursor:  # autocommit: a transactional test
        cursor.execute(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {quoted}")
    env["DATABASE_URL"] = settings.DATABASE_URL.rsplit("/", 1)[0] + "/" + name
    yield env
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_every_record_and_file_into_a_fresh_database(
    kukar, settings, tmp_path, fresh_database
):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "files")},
        },
    }
    want = _fill(kukar)
    archive = tmp_path / "off-the-machine" / "mpp.tar.gz"
    with _write_in_flight():  # the site goes on writing: the backup neither waits nor sees it
        call_command("backup", str(archive), stdout=io.StringIO())

    restored = _mpp("restore", str(archive), env=fresh_database)
    assert restored.returncode == 0, restored.stderr
    assert "jumlah baris setiap tabel sama" in restored.stdout
    found = _mpp("shell", "-c", FIND, env=fresh_database | {"WANT": json.dumps(want)})
    assert found.returncode == 0, found.stderr
    assert json.loads(found.stdout.splitlines()[-1]) == {
        "ticket": [want["number"], "akta-kelahiran", "waiting"],
        "response": ["mpp-kukar", "paper"],
        "audit": ["ticket.issued", want["ticket_pk"]],
        "realizations": 2,
        "file": REPORT_BYTES.hex(),
        "fresh_after_old": True,  # the restored sequences go on after the restored rows
    }

    again = _mpp("restore", str(archive), env=fresh_database)
    assert again.returncode != 0 and "tidak kosong" in again.stderr  # no --force: refused
    forced = _mpp("restore", "--force", str(archive), env=fresh_database)
    assert forced.returncode == 0, forced.stderr
    counted = _mpp("shell", "-c", COUNT_LATER_WRITES, env=fresh_database)
    assert counted.stdout.splitlines()[-1] == "0"  # the row written after it is gone again


COUNT_LATER_WRITES = """
from mpp.core.models import AuditEntry
print(AuditEntry.objects.filter(action__in=["backup.after", "backup.in-flight"]).count())
"""


@contextmanager
def _write_in_flight() -> Iterator[None]:
    """Another connection holds a write transaction open (an audit entry inserted, not yet
    committed) for the duration, then commits: what a request of the site does meanwhile."""
    from mpp.core.models import AuditEntry

    inserted, release = threading.Event(), threading.Event()

    def write() -> None:
        try:
            with transaction.atomic():
                AuditEntry.objects.create(action="backup.in-flight", object_type="x", object_id="1")
                inserted.set()
                release.wait(120)
        finally:
            connection.close()  # this thread's own

    writer = threading.Thread(target=write)
    writer.start()
    assert inserted.wait(60)
    try:
        yield
    finally:
        release.set()
        writer.join(60)


def _archive(tmp_path: Path, **manifest: object) -> Path:
    """A hand-made archive with this manifest (and an empty database member)."""
    fields = {
        "format": backup.FORMAT,
        "version": "9.9.9",
        "created_at": "2030-01-01T00:00:00+00:00",
        "engine": connection.vendor,
        "migrations": [],
        "tables": {},
        "files": 0,
    } | manifest
    path = tmp_path / "made.tar.gz"
    with tarfile.open(path, "w:gz") as archive:
        for name, data in [
            (backup.MANIFEST, json.dumps(fields).encode()),
            (backup.DATABASE_MEMBER[connection.vendor], b""),
        ]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


def test_an_archive_of_a_newer_schema_is_refused_with_what_to_install(tmp_path):
    path = _archive(tmp_path, migrations=["queueing.0001_initial", "queueing.9999_from_2030"])
    with pytest.raises(CommandError, match=r"skema basis data yang lebih baru.*versi 9\.9\.9"):
        call_command("restore", str(path))


def test_an_archive_of_a_newer_format_is_refused(tmp_path):
    path = _archive(tmp_path, format=backup.FORMAT + 1)
    with pytest.raises(CommandError, match=r"format 2 dari MPP versi 9\.9\.9"):
        call_command("restore", str(path))


def test_an_archive_of_another_engine_is_refused(tmp_path):
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    with pytest.raises(CommandError, match=f"dari basis data {other}"):
        call_command("restore", str(_archive(tmp_path, engine=other)))


@pytest.mark.django_db
def test_a_database_in_use_is_not_overwritten_without_force(tmp_path):
    from mpp.core.models import AuditEntry

    kept = AuditEntry.objects.create(action="kept", object_type="x", object_id="1")
    with pytest.raises(CommandError, match=r"tidak kosong.*--force"):
        call_command("restore", str(_archive(tmp_path)))
    assert AuditEntry.objects.filter(pk=kept.pk).exists()


def test_a_file_that_is_no_archive_is_named(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("not a backup")
    with pytest.raises(CommandError, match="bukan berkas cadangan MPP"):
        call_command("restore", str(path))
