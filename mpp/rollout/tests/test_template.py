"""The rollout's template is region data (rollout.yaml): read with file and line, written by
code through the region load, every Mini MPP given the items it lacks; a reload changes nothing."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from mpp.core.models import AuditEntry
from mpp.malls.models import Mall
from mpp.metapers.training import SCENARIO
from mpp.regions.loader import load_region
from mpp.regions.reading import RegionDataError, read_package
from mpp.rollout.models import (
    Agency,
    ChecklistTemplateItem,
    Evidence,
    ReadinessItem,
    RolloutPlan,
    TrainingModule,
)

UJI = Path(__file__).resolve().parents[2] / "regions" / "tests" / "fixtures" / "uji"


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "regions" / "uji"
    shutil.copytree(UJI, root)
    return root


def _edit(root: Path, find: str, replace: str) -> int:
    """Replace the first `find` in rollout.yaml; the line it was on."""
    path = root / "rollout.yaml"
    text = path.read_text(encoding="utf-8")
    assert find in text, find
    path.write_text(text.replace(find, replace, 1), encoding="utf-8")
    return text[: text.index(find)].count("\n") + 1


def _problems(root: Path) -> list[str]:
    with pytest.raises(RegionDataError) as caught:
        read_package(root)
    return [p.removeprefix(f"{root.parents[1].name}/regions/") for p in caught.value.problems]


def test_kukar_has_its_checklist_agencies_and_curriculum(kukar):
    plan = RolloutPlan.objects.get(region=kukar)
    assert plan.target_date == dt.date(2025, 12, 31) and not plan.training_required_to_open
    agencies = {a.code: a for a in Agency.objects.filter(region=kukar)}
    assert set(agencies) == {"dpmptsp", "dinas-pu", "bkpsdm", "diskominfo", "camat", "tenant"}
    assert [c for c, a in agencies.items() if a.manages_staff] == ["bkpsdm"]
    assert agencies["camat"].kind == Agency.Kind.CAMAT
    assert agencies["tenant"].kind == Agency.Kind.TENANT
    items = list(ChecklistTemplateItem.objects.filter(region=kukar))
    assert len(items) == 13
    assert all(i.due_date <= plan.target_date for i in items)
    assert [i.order for i in items] == list(range(1, 14))
    by_code = {i.code: i for i in items}
    assert by_code["desain-ruang"].owner.code == "dinas-pu"
    assert by_code["pegawai"].owner.code == "bkpsdm"
    assert by_code["perbup-paten"].evidence == Evidence.DECREE
    assert "4/2010" in by_code["perbup-paten"].description
    assert by_code["perangkat"].evidence == Evidence.PHOTO
    assert not by_code["jadwal-penyewa"].mandatory
    modules = {m.code: m for m in TrainingModule.objects.filter(region=kukar)}
    assert len(modules) == 6
    assert modules["metapers"].metapers_scenario == SCENARIO
    assert [c for c, m in modules.items() if m.for_front_desk_only] == ["standar-loket-depan"]
    for mall in Mall.objects.filter(region=kukar, kind=Mall.Kind.MINI_MPP):
        assert mall.readiness_items.count() == 13, mall.slug
    assert not ReadinessItem.objects.filter(mall__kind=Mall.Kind.MPP).exists()
    copied = ReadinessItem.objects.get(mall__slug="mini-mpp-loa-kulu", template__code="pegawai")
    assert copied.owner.code == "bkpsdm" and copied.due_date == by_code["pegawai"].due_date


def test_a_small_region_gets_its_own_template(uji, kukar):
    mini = Mall.objects.get(slug="mini-mpp-uji-hilir")
    assert list(mini.readiness_items.values_list("template__code", "owner__code")) == [
        ("lokasi", "camat"),
        ("perbup", "dpmptsp-uji"),
        ("pegawai", "bkpsdm-uji"),
        ("papan-nama", "dpmptsp-uji"),
    ]
    assert not Agency.objects.filter(region=uji, code="dinas-pu").exists()
    assert Agency.objects.filter(region=kukar, code="dinas-pu").exists()


def test_bad_keys_dates_and_owners_are_named_with_file_and_line(tmp_path):
    root = _copy(tmp_path)
    key = _edit(root, "  - code: perbup\n", "  - code: perbup\n    tenggat: besok\n") + 1
    month = _edit(root, "due: 2025-03-31", "due: 2025-13-01")
    late = _edit(root, "due: 2025-10-31", "due: 2026-02-01")
    owner = _edit(root, "owner: dpmptsp-uji\n    mandatory", "owner: dinas-pu\n    mandatory")
    scenario = _edit(root, "metapers_scenario: layani-pengunjung", "metapers_scenario: tur")
    top = _edit(root, "training:", "pelatihan: []\ntraining:")

    assert _problems(root) == [
        f"uji/rollout.yaml:{top}: kunci tidak dikenal: pelatihan",
    ]
    _edit(root, "pelatihan: []\n", "")
    top_fixed = _problems(root)
    assert top_fixed == [
        f"uji/rollout.yaml:{month}: 'due' harus tanggal YYYY-MM-DD",
        f"uji/rollout.yaml:{key}: kunci tidak dikenal: tenggat",
        f"uji/rollout.yaml:{late}: tenggat 2026-02-01 melewati target 2025-12-31",
        f"uji/rollout.yaml:{owner}: pemilik 'dinas-pu' tidak ada di agencies; pilihan: "
        "bkpsdm-uji, camat, dpmptsp-uji",
        f"uji/rollout.yaml:{scenario}: skenario Metapers 'tur' tidak dikenal; pilihan: {SCENARIO}",
    ]


def test_a_duplicate_code_and_a_wrong_kind_are_refused(tmp_path):
    root = _copy(tmp_path)
    first = _edit(root, "  - code: lokasi", "  - code: lokasi")
    dup = _edit(root, "  - code: pegawai", "  - code: lokasi")
    kind = _edit(root, "kind: camat", "kind: kecamatan")
    problems = _problems(root)
    assert problems[0] == (
        f"uji/rollout.yaml:{kind}: 'kind' bernilai 'kecamatan'; pilihan: office, camat, tenant"
    )
    assert problems[1].startswith(f"uji/rollout.yaml:{dup}: kode 'lokasi' ganda (sudah di ")
    assert problems[1].endswith(f"uji/rollout.yaml:{first})")
    assert len(problems) == 2


def test_a_package_without_rollout_yaml_has_no_template(tmp_path):
    root = _copy(tmp_path)
    (root / "rollout.yaml").unlink()
    assert read_package(root).rollout is None


def test_loading_again_changes_nothing(uji):
    items = ReadinessItem.objects.count()
    report = load_region("uji", root=UJI)
    assert not report.changed and report.kept == []
    assert ReadinessItem.objects.count() == items


def test_a_changed_file_changes_the_template_and_keeps_what_dpmptsp_changed(uji, tmp_path):
    root = _copy(tmp_path)
    load_region("uji", root=root)
    edited = ChecklistTemplateItem.objects.get(region=uji, code="perbup")
    edited.due_date = dt.date(2025, 7, 31)  # DPMPTSP moved it in the admin
    edited.save()
    _edit(root, "title: Papan nama", "title: Papan nama Mini MPP")
    _edit(root, "due: 2025-06-30", "due: 2025-05-31")  # the file moved it too: a conflict

    report = load_region("uji", root=root)

    assert report.updated == {"checklist_item": 1}
    assert ChecklistTemplateItem.objects.get(region=uji, code="papan-nama").title.endswith("MPP")
    edited.refresh_from_db()
    assert edited.due_date == dt.date(2025, 7, 31)
    assert [str(k) for k in report.conflicts] == [
        "BENTROK butir templat kesiapan perbup, due_date: petugas '2025-07-31', berkas '2025-05-31'"
    ]


def test_a_dropped_item_goes_with_untouched_items_and_stays_when_worked_on(uji, tmp_path):
    root = _copy(tmp_path)
    load_region("uji", root=root)
    mini = Mall.objects.get(slug="mini-mpp-uji-hilir")
    text = (root / "rollout.yaml").read_text(encoding="utf-8")
    start = text.index("  - code: papan-nama")
    end = text.index("training:")
    (root / "rollout.yaml").write_text(text[:start] + "\n" + text[end:], encoding="utf-8")

    report = load_region("uji", root=root)

    assert report.deleted == {"checklist_item": 1}
    assert not mini.readiness_items.filter(template__code="papan-nama").exists()

    # A worked-on item keeps its template: a person decides.
    text = (root / "rollout.yaml").read_text(encoding="utf-8")
    start, end = text.index("  - code: pegawai"), text.index("training:")
    item = mini.readiness_items.get(template__code="pegawai")
    item.status = ReadinessItem.Status.IN_PROGRESS
    item.save()
    (root / "rollout.yaml").write_text(text[:start] + "\n" + text[end:], encoding="utf-8")
    report = load_region("uji", root=root)
    assert [str(k) for k in report.conflicts] == [
        "BENTROK butir templat kesiapan pegawai: sudah dikerjakan; berkas: tidak ada"
    ]
    assert ChecklistTemplateItem.objects.filter(region=uji, code="pegawai").exists()
    assert AuditEntry.objects.filter(action="region_data.conflict").exists()
