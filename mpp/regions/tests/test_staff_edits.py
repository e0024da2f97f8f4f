"""A reload of the region data never silently reverts a staff decision: it keeps it, reports
the conflicts, and records each change it makes (issue 16, finding 14; regions/merge.py)."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

from mpp.catalog.actions import set_service_offering
from mpp.catalog.models import MallService, Service
from mpp.core.models import AuditEntry
from mpp.malls.models import OpeningHours
from mpp.queueing.actions import reassign_counter
from mpp.queueing.models import Counter
from mpp.regions import loader
from mpp.regions.loader import load_region


@pytest.fixture
def package(kukar, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of Kukar's files that a test may edit, loaded from there."""
    regions = tmp_path / "regions"
    shutil.copytree(loader.REGIONS_DIR / "kukar", regions / "kukar")
    monkeypatch.setattr(loader, "REGIONS_DIR", regions)
    return regions / "kukar"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


LOA_KULU_TAGLINE = "paten_room: Ruang PATEN Kantor Camat Loa Kulu\n  tagline: "


def newer_version(root: Path) -> None:
    """Raise the files' data_version past whatever Kukar's is today (so a new Kukar version
    does not break these tests)."""
    path = root / "region.yaml"
    text, count = re.subn(
        r'^data_version: "[^"]+"',
        'data_version: "2099.01-1"',
        path.read_text(encoding="utf-8"),
        count=1,
        flags=re.M,
    )
    assert count == 1, "region.yaml has no data_version line"
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def withdrawn(cast, mall_loakulu, service_by_slug) -> Service:  # type: ignore[no-untyped-def]
    """Loa Kulu's supervisor stopped offering the PBB mutation at the Mini MPP."""
    service = service_by_slug("mutasi-sppt-pbb-p2")
    assert set_service_offering(
        mall=mall_loakulu, service=service, offered=False, acting_user=cast.supervisor_loakulu()
    )
    return service


@pytest.fixture
def reassigned(cast, mall_mpp) -> Counter:  # type: ignore[no-untyped-def]
    """MPP Kukar's supervisor gave the first Disdukcapil counter to DPMPTSP."""
    from mpp.catalog.models import Tenant

    counter = Counter.objects.filter(mall=mall_mpp, tenant__slug="disdukcapil").order_by("number")[
        0
    ]
    return reassign_counter(
        counter=counter,
        tenant=Tenant.objects.get(slug="dpmptsp"),
        acting_user=cast.supervisor_mpp(),
    )


def since(pk: int) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(pk__gt=pk).order_by("pk"))


def last_id() -> int:
    return AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def test_reloading_the_same_version_keeps_a_withdrawn_offering_and_a_reassigned_counter(
    withdrawn, reassigned, mall_loakulu
):
    queues = set(reassigned.queues.values_list("pk", flat=True))
    before = last_id()

    report = load_region("kukar")

    assert not MallService.objects.filter(mall=mall_loakulu, service=withdrawn).exists()
    reassigned.refresh_from_db()
    assert reassigned.tenant.slug == "dpmptsp"
    assert set(reassigned.queues.values_list("pk", flat=True)) == queues
    assert not report.changed and report.changes == []
    kept = {(k.key, k.what) for k in report.kept}
    assert (f"mini-mpp-loa-kulu/{withdrawn.slug}", "row") in kept
    assert (f"mpp-kukar/{reassigned.number}", "tenant") in kept
    assert (f"mpp-kukar/{reassigned.number}", "queues") in kept
    assert report.conflicts == []  # the files did not change what staff changed
    assert [e.action for e in since(before)] == ["region_data.loaded"]


def test_a_newer_version_applies_its_changes_audited_and_keeps_staff_decisions(
    package, withdrawn, reassigned, mall_loakulu
):
    newer_version(package)
    edit(package / "services" / "disdukcapil.yaml", "duration: ", "duration: 99 menit # ")
    before = last_id()

    report = load_region("kukar")

    assert not MallService.objects.filter(mall=mall_loakulu, service=withdrawn).exists()
    reassigned.refresh_from_db()
    assert reassigned.tenant.slug == "dpmptsp"
    changed = Service.objects.get(duration="99 menit")
    assert report.updated == {"region": 1, "service": 1}  # the region: its data_version
    assert any(
        line.startswith(f"diubah layanan {changed.slug}: duration") for line in report.changes
    )
    entries = since(before)
    updates = [e for e in entries if e.action == "region_data.updated"]
    assert [e.object_type for e in updates] == ["malls.region", "catalog.service"]
    update = updates[1]
    assert update.actor is None and update.data["by"] == "load-region"
    assert update.data["data_version"] == "2099.01-1"
    assert (update.object_type, update.object_id) == ("catalog.service", str(changed.pk))
    assert update.data["fields"]["duration"][1] == "99 menit"
    assert entries[-1].action == "region_data.loaded"
    assert report.conflicts == []


def test_a_field_both_staff_and_the_files_changed_is_a_reported_conflict(package, mall_loakulu):
    mall_loakulu.tagline = "Tagline dari petugas"
    mall_loakulu.save(update_fields=["tagline"])  # what the admin's change form does
    newer_version(package)
    edit(package / "malls.yaml", LOA_KULU_TAGLINE, LOA_KULU_TAGLINE + "Versi berkas # ")
    before = last_id()

    report = load_region("kukar")

    mall_loakulu.refresh_from_db()
    assert mall_loakulu.tagline == "Tagline dari petugas"
    [conflict] = [k for k in report.conflicts if k.key == "mini-mpp-loa-kulu"]
    assert (conflict.what, conflict.staff, conflict.files) == (
        "tagline",
        "Tagline dari petugas",
        "Versi berkas",
    )
    audited = [e for e in since(before) if e.action == "region_data.conflict"]
    assert [(e.object_type, e.object_id, e.data["field"]) for e in audited] == [
        ("malls.mall", str(mall_loakulu.pk), "tagline")
    ]


def test_once_staff_go_back_to_the_files_value_the_files_lead_again(package, mall_loakulu):
    mall_loakulu.address = "Alamat sementara"
    mall_loakulu.save(update_fields=["address"])
    load_region("kukar")
    mall_loakulu.address = "Kantor Camat Loa Kulu, Kabupaten Kutai Kartanegara"
    mall_loakulu.save(update_fields=["address"])
    newer_version(package)
    edit(
        package / "malls.yaml",
        "address: Kantor Camat Loa Kulu, Kabupaten Kutai Kartanegara",
        "address: Jl. Baru, Loa Kulu",
    )

    report = load_region("kukar")

    mall_loakulu.refresh_from_db()
    assert mall_loakulu.address == "Jl. Baru, Loa Kulu"
    assert report.conflicts == []


def test_hours_staff_added_are_kept_and_files_dropping_a_row_staff_never_touched_delete_it(
    package, mall_loakulu
):
    saturday = OpeningHours.objects.create(
        mall=mall_loakulu, weekday=6, opens=dt.time(8), closes=dt.time(12)
    )
    newer_version(package)
    edit(package / "holidays.tsv", "2026-12-25\t", "#2026-12-25\t")
    before = last_id()

    report = load_region("kukar")

    assert OpeningHours.objects.filter(pk=saturday.pk).exists()
    assert ("mini-mpp-loa-kulu/6", "row", "ditambah petugas") in {
        (k.key, k.what, k.staff) for k in report.kept
    }
    assert report.deleted == {"holiday": 1}
    assert "dihapus hari libur 2026-12-25" in report.changes
    assert "region_data.deleted" in [e.action for e in since(before)]


def test_the_command_prints_what_it_changed_and_every_conflict(package, mall_loakulu, withdrawn):
    mall_loakulu.tagline = "Tagline dari petugas"
    mall_loakulu.save(update_fields=["tagline"])
    newer_version(package)
    edit(package / "malls.yaml", LOA_KULU_TAGLINE, LOA_KULU_TAGLINE + "Versi berkas # ")
    edit(package / "services" / "disdukcapil.yaml", "duration: ", "duration: 99 menit # ")
    out = io.StringIO()

    call_command("load_region", "kukar", stdout=out)

    printed = out.getvalue()
    assert "diubah layanan " in printed and "duration" in printed
    assert "BENTROK mal mini-mpp-loa-kulu, tagline: petugas 'Tagline dari petugas'" in printed
    assert f"layanan mal mini-mpp-loa-kulu/{withdrawn.slug}: dihapus petugas" in printed


def test_without_an_earlier_load_record_the_audit_trail_keeps_withdrawals(withdrawn, mall_loakulu):
    """A database loaded before loads kept their record: a supervisor's withdrawal is still
    known from the audit trail, and every other difference is kept as a conflict."""
    AuditEntry.objects.filter(action="region_data.loaded").delete()
    mall_loakulu.tagline = "Tagline dari petugas"
    mall_loakulu.save(update_fields=["tagline"])

    report = load_region("kukar")

    assert not MallService.objects.filter(mall=mall_loakulu, service=withdrawn).exists()
    mall_loakulu.refresh_from_db()
    assert mall_loakulu.tagline == "Tagline dari petugas"
    assert ("mini-mpp-loa-kulu", "tagline") in {(k.key, k.what) for k in report.conflicts}
    # The load left its record: the next load tells staff edits from the files' changes.
    assert load_region("kukar").conflicts == []


def test_reloading_unchanged_data_keeps_nothing_and_writes_only_its_record(kukar):
    before = last_id()

    report = load_region("kukar")

    assert report.kept == [] and report.changes == [] and not report.changed
    [entry] = since(before)
    assert entry.action == "region_data.loaded" and entry.actor is None
    assert entry.data["by"] == "load-region"
    assert entry.data["data_version"] == kukar.data_version


def test_a_kept_half_of_a_staff_duration_keeps_its_other_half(package, service_by_slug):
    """Staff set a service's time to 20 minutes; the files now say it has no fixed time. The
    value's edit is kept, so the unit the files would clear is not written beside it (a value
    without a unit is refused by the database's check)."""
    ktp = service_by_slug("perekaman-ktp-el")
    assert (ktp.duration, ktp.duration_value, ktp.duration_unit) == ("15 menit", 15, "menit")
    Service.objects.filter(pk=ktp.pk).update(duration="20 menit", duration_value=20)
    newer_version(package)
    edit(
        package / "services" / "disdukcapil.yaml",
        "duration: 15 menit\n",
        "duration: Sesuai jadwal\n    duration_unit: tanpa_batas\n",
    )

    report = load_region("kukar")

    ktp.refresh_from_db()
    assert (ktp.duration, ktp.duration_value, ktp.duration_unit) == ("20 menit", 20, "menit")
    conflicts = {(k.key, k.what) for k in report.conflicts}
    assert {(ktp.slug, "duration"), (ktp.slug, "duration_value")} <= conflicts
