"""Reading a data package (regions/reading.py): typed models whose every refusal names its file
and line, in Indonesian, all of them in one run. No database: reading writes nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mpp.regions.reading import RegionDataError, read_package, yaml_with_lines

UJI = Path(__file__).resolve().parent / "fixtures" / "uji"


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "regions" / "uji"
    shutil.copytree(UJI, root)
    return root


def _edit(root: Path, name: str, find: str, replace: str) -> int:
    """Replace the first `find` in a file; the line it was on."""
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert find in text, (name, find)
    path.write_text(text.replace(find, replace, 1), encoding="utf-8")
    return text[: text.index(find)].count("\n") + 1


def _problems(root: Path) -> list[str]:
    with pytest.raises(RegionDataError) as caught:
        read_package(root)
    # Shown from the folder above the regions' folder, like mpp/regions/kukar/… in the checkout.
    return [p.removeprefix(f"{root.parents[1].name}/") for p in caught.value.problems]


def test_the_synthetic_region_reads_as_typed_rows() -> None:
    pkg = read_package(UJI)
    assert pkg.region["slug"] == "uji" and pkg.region["data_version"] == "1"
    assert [m["slug"] for m in pkg.malls] == ["mpp-uji", "mini-mpp-uji-hilir"]
    assert pkg.malls[1]["queues"] == "single" and pkg.malls[0]["queues"] == "per_tenant"
    assert pkg.malls[0]["counters"] == {"default": 1, "dukcapil-uji": 2}
    assert [t["sort_order"] for t in pkg.tenants] == [1, 2, 3]
    paspor = next(s for s in pkg.services if s["slug"] == "paspor-uji")
    assert paspor["fee_amount"] == 350000 and paspor["is_front_counter"] is False
    assert paspor["tenant"] == "imigrasi-uji" and paspor["keywords"] == "paspor"
    assert str(pkg.places[("mall", "mpp-uji")]).endswith("fixtures/uji/malls.yaml:1")


def test_every_problem_of_every_file_is_listed_at_once_with_its_file_and_line(
    tmp_path: Path,
) -> None:
    root = _copy(tmp_path)
    status = _edit(root, "malls.yaml", "status: operating", "status: buka")
    extra = _edit(root, "tenants.yaml", "  description: Pajak", "  websit: x\n  description: Pajak")
    fee = _edit(root, "services/imigrasi-uji.yaml", "fee_amount: 350000", "fee_amount: -5")
    front = _edit(root, "services/pajak-uji.yaml", "front_counter: false", "front_counter: kadang")
    rabu = _edit(root, "hours.yaml", 'rabu: {open: "08:00"', 'rabu: {open: "8 pagi"')
    village = _edit(root, "villages.tsv", "99.01.02.2002", "99.01.07.2002")
    seat_line = _edit(root, "region.yaml", "seat: Kota Uji\n", "")

    problems = _problems(root)

    region_yaml = next(
        i
        for i, line in enumerate(UJI.joinpath("region.yaml").open(), 1)
        if line.startswith("slug:")
    )
    assert problems == [
        f"regions/uji/region.yaml:{region_yaml}: 'seat' wajib diisi",
        f"regions/uji/villages.tsv:{village}: kecamatan 99.01.07 dari 99.01.07.2002 tidak ada "
        "di districts.tsv",
        f"regions/uji/hours.yaml:{rabu}: " + 'jam harus ditulis HH:MM (24 jam), misalnya "08:00"',
        f"regions/uji/tenants.yaml:{extra}: kunci tidak dikenal: websit",
        f"regions/uji/services/imigrasi-uji.yaml:{fee}: 'fee_amount' harus bilangan bulat "
        "rupiah ≥ 0, atau null bila bervariasi",
        f"regions/uji/services/pajak-uji.yaml:{front}: 'front_counter' harus true atau false",
        f"regions/uji/malls.yaml:{status}: 'status' bernilai 'buka'; pilihan: planned, "
        "preparing, operating",
    ]
    assert seat_line > region_yaml


def test_a_missing_key_names_the_line_of_its_item(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    text = (root / "malls.yaml").read_text(encoding="utf-8")
    item = text[: text.index("- slug: mini-mpp-uji-hilir")].count("\n") + 1
    _edit(root, "malls.yaml", "  paten_room: Ruang PATEN Kantor Camat Hilir\n", "")

    problems = _problems(root)

    assert problems == [
        f"regions/uji/malls.yaml:{item}: 'paten_room' wajib diisi",
    ]


def test_a_reference_to_another_file_names_the_line_that_refers(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    line = _edit(root, "malls.yaml", "hours: mini_mpp", "hours: malam")
    tenant = _edit(root, "services/imigrasi-uji.yaml", "tenant: imigrasi-uji", "tenant: imigrasi")
    assert _problems(root) == [
        f"regions/uji/services/imigrasi-uji.yaml:{tenant}: instansi 'imigrasi' tidak ada di "
        "tenants.yaml",
        f"regions/uji/malls.yaml:{line}: profil jam 'malam' tidak ada di hours.yaml",
    ]


def test_a_value_spread_over_lines_is_named_by_its_key() -> None:
    data, lines = yaml_with_lines(
        "# comment\n- slug: a\n  procedure:\n    - one\n    - two\n- slug: b\n  counters: {x: 1}\n"
    )
    assert data[1]["counters"] == {"x": 1}
    assert lines[()] == 2
    assert lines[(0,)] == 2 and lines[(0, "procedure")] == 3 and lines[(0, "procedure", 1)] == 5
    assert lines[(1,)] == 6 and lines[(1, "counters")] == 7 and lines[(1, "counters", "x")] == 7


def test_a_duration_is_read_from_a_text_that_begins_with_it() -> None:
    pkg = read_package(UJI)
    paspor = next(s for s in pkg.services if s["slug"] == "paspor-uji")
    assert (paspor["duration_value"], paspor["duration_unit"]) == (4, "hari_kerja")


def test_a_duration_the_loader_cannot_read_is_refused_unless_stated(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    line = _edit(
        root, "services/imigrasi-uji.yaml", "duration: 4 hari kerja", "duration: Sesuai jadwal"
    )
    assert _problems(root) == [
        f"regions/uji/services/imigrasi-uji.yaml:{line}: layanan 'paspor-uji': jangka waktu "
        "'Sesuai jadwal' tidak terbaca (harus diawali angka dan satuan: menit, jam, hari kerja, "
        "hari); nyatakan angka dan satuannya, atau tanpa batas waktu"
    ]

    _edit(
        root,
        "services/imigrasi-uji.yaml",
        "duration: Sesuai jadwal",
        "duration: Sesuai jadwal\n    duration_unit: tanpa_batas",
    )
    paspor = next(s for s in read_package(root).services if s["slug"] == "paspor-uji")
    assert (paspor["duration_value"], paspor["duration_unit"]) == (None, "")


def test_a_stated_duration_that_contradicts_the_text_is_refused(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    line = _edit(
        root,
        "services/imigrasi-uji.yaml",
        "duration: 4 hari kerja",
        "duration: 4 hari kerja\n    duration_value: 4\n    duration_unit: hari",
    )
    assert _problems(root) == [
        f"regions/uji/services/imigrasi-uji.yaml:{line}: layanan 'paspor-uji': 4 hari kalender "
        "bertentangan dengan teks jangka waktu yang diawali 4 hari kerja"
    ]


def test_a_stated_duration_must_be_one_the_text_names(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    _edit(
        root,
        "services/imigrasi-uji.yaml",
        "duration: 4 hari kerja",
        "duration: Paling lama 25 hari sejak sidang pertama\n"
        "    duration_value: 25\n    duration_unit: hari",
    )
    paspor = next(s for s in read_package(root).services if s["slug"] == "paspor-uji")
    assert (paspor["duration_value"], paspor["duration_unit"]) == (25, "hari")

    _edit(root, "services/imigrasi-uji.yaml", "duration_value: 25", "duration_value: 30")
    (problem,) = _problems(root)
    assert problem.endswith(
        "layanan 'paspor-uji': 30 hari kalender tidak disebut dalam teks "
        "jangka waktu 'Paling lama 25 hari sejak sidang pertama'"
    )


def test_a_text_that_promises_a_time_cannot_be_declared_without_one(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    _edit(
        root,
        "services/imigrasi-uji.yaml",
        "duration: 4 hari kerja",
        "duration: 4 hari kerja\n    duration_unit: tanpa_batas",
    )
    (problem,) = _problems(root)
    assert problem.endswith(
        "layanan 'paspor-uji': teks jangka waktu menjanjikan 4 hari kerja; 'tanpa batas waktu' "
        "bertentangan"
    )


def test_a_tenant_states_its_days_to_answer_a_complaint_or_takes_five(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    tenants = read_package(root).tenants
    assert {t["complaint_days"] for t in tenants} == {5}  # SP4N-LAPOR!'s, when not stated

    _edit(
        root,
        "tenants.yaml",
        "complaints: SP4N-LAPOR!",
        "complaints: SP4N-LAPOR!\n  complaint_days: 10",
    )
    assert read_package(root).tenants[0]["complaint_days"] == 10

    line = _edit(root, "tenants.yaml", "complaint_days: 10", "complaint_days: 0")
    assert _problems(root) == [
        f"regions/uji/tenants.yaml:{line}: 'complaint_days' harus bilangan bulat 1–60"
    ]
