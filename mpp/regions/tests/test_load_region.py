"""Loading a region data package: contents, idempotence, and all-or-nothing failure."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from mpp.catalog.models import MallService, MallTenant, Service, Tenant
from mpp.malls.models import District, Holiday, Mall, OpeningHours, Village
from mpp.regions import loader
from mpp.regions.loader import RegionDataError, load_region

SIX_COMPONENTS = ("requirements", "procedure", "duration", "fee", "product")


def counts() -> dict[str, int]:
    return {
        m.__name__: m.objects.count()
        for m in (
            District,
            Village,
            Mall,
            OpeningHours,
            Holiday,
            Tenant,
            Service,
            MallService,
            MallTenant,
        )
    }


def test_kukar_has_its_kecamatan_villages_malls_tenants_and_services(kukar):
    assert District.objects.filter(region=kukar).count() == 20
    assert Village.objects.filter(district__region=kukar).count() == 237
    assert Mall.objects.filter(kind=Mall.Kind.MPP).count() == 1
    assert Mall.objects.filter(kind=Mall.Kind.MINI_MPP).count() == 20
    assert Tenant.objects.count() == 27
    assert Service.objects.active().count() >= 120
    tenggarong = District.objects.get(code="64.02.06")
    assert tenggarong.bps_code == "6403090"
    assert tenggarong.villages.filter(kind=Village.Kind.KELURAHAN).count() == 12
    assert tenggarong.villages.filter(kind=Village.Kind.DESA).count() == 2


def test_mpp_kukar_opened_on_5_december_2022_and_mini_mpp_statuses_are_sample_data(kukar):
    # Inaugurated on 5 December 2022 (the data said the 1st). The Mini MPPs' statuses and
    # dates are placeholders until each camat confirms them: pages label them "data contoh".
    mpp = Mall.objects.get(slug="mpp-kukar")
    assert mpp.opened_on == dt.date(2022, 12, 5)
    assert not mpp.status_is_sample
    assert set(
        Mall.objects.filter(kind=Mall.Kind.MINI_MPP).values_list("status_is_sample", flat=True)
    ) == {True}


def test_every_kecamatan_has_one_branded_mini_mpp_in_its_paten_room(kukar):
    for district in District.objects.all():
        mini = Mall.objects.get(district=district, kind=Mall.Kind.MINI_MPP)
        assert mini.name == f"Mini MPP Kecamatan {district.name}"
        assert mini.paten_room.startswith("Ruang PATEN")
        assert mini.color_primary.startswith("#")
        assert mini.status in Mall.Status.values
        assert mini.opening_hours.count() == 5
    assert set(Mall.objects.values_list("status", flat=True)) == set(Mall.Status.values)


def test_friday_has_the_prayer_break_and_every_day_a_cut_off(kukar):
    friday = OpeningHours.objects.get(mall__slug="mpp-kukar", weekday=5)
    assert friday.break_starts is not None and friday.break_ends is not None
    assert not OpeningHours.objects.filter(last_ticket_at__isnull=True).exists()


def test_immigration_serves_only_on_wednesdays(kukar):
    imigrasi = Tenant.objects.get(slug="imigrasi-samarinda")
    assert imigrasi.service_days == "3"
    assert MallTenant.objects.get(mall__slug="mpp-kukar", tenant=imigrasi).days == "3"


def test_every_service_publishes_the_six_components_and_legal_basis(kukar):
    for service in Service.objects.select_related("tenant"):
        for name in SIX_COMPONENTS:
            assert getattr(service, name), f"{service.slug} has no {name}"
        assert service.complaints_text, service.slug
        assert service.legal_basis, service.slug
        assert len(service.requirements) >= 2, service.slug


def test_a_mini_mpp_offers_only_a_front_counter_subset(kukar):
    mpp = Mall.objects.get(slug="mpp-kukar")
    assert mpp.offerings.count() == Service.objects.active().count()
    for mini in Mall.objects.filter(kind=Mall.Kind.MINI_MPP):
        offered = Service.objects.offered_at(mini)
        assert offered.exists()
        assert not offered.filter(is_front_counter=False).exists()
        assert offered.count() < mpp.offerings.count()


def test_loading_twice_changes_nothing(kukar):
    before = counts()
    report = load_region("kukar")
    assert not report.changed
    assert counts() == before


def test_a_changed_file_changes_only_what_it_says(kukar, tmp_path, monkeypatch):
    root = _copy_package(tmp_path, monkeypatch)
    path = root / "services" / "disdukcapil.yaml"
    text = path.read_text(encoding="utf-8")
    first_duration = next(line for line in text.splitlines() if "duration:" in line)
    path.write_text(text.replace(first_duration, "    duration: 99 menit", 1), encoding="utf-8")

    report = load_region("kukar")

    assert report.updated == {"service": 1}
    assert report.created == {} and report.deleted == {}
    changed = Service.objects.get(duration="99 menit")
    assert (changed.duration_value, changed.duration_unit) == (99, "menit")  # read from the text


@pytest.mark.parametrize(
    ("file", "find", "replace", "expected"),
    [
        ("services/disdukcapil.yaml", "fee_amount: 0", "fee_amount: -5", "fee_amount"),
        (
            "services/disdukcapil.yaml",
            "front_counter: true",
            "front_counter: mungkin",
            "front_counter",
        ),
        ("malls.yaml", "status: operating", "status: buka", "status"),
        ("tenants.yaml", "service_days: [rabu]", "service_days: [rabo]", "rabo"),
        ("hours.yaml", 'open: "08:00"', 'open: "8 pagi"', "HH:MM"),
    ],
)
def test_a_broken_file_fails_the_whole_load_naming_file_and_line(
    kukar, tmp_path, monkeypatch, file, find, replace, expected
):
    root = _copy_package(tmp_path, monkeypatch)
    path = root / file
    text = path.read_text(encoding="utf-8")
    assert find in text
    line_no = text[: text.index(find)].count("\n") + 1
    # Break the file and, in the same load, change something valid elsewhere.
    path.write_text(text.replace(find, replace, 1), encoding="utf-8")
    (root / "region.yaml").write_text(
        (root / "region.yaml").read_text().replace("short_name: Kukar", "short_name: Diubah")
    )
    before = counts()

    with pytest.raises(RegionDataError) as caught:
        load_region("kukar")

    problems = "\n".join(caught.value.problems)
    assert f"{file}:{line_no}:" in problems
    assert expected in problems
    assert counts() == before
    kukar.refresh_from_db()
    assert kukar.short_name == "Kukar"


def test_a_yaml_syntax_error_names_its_line(kukar, tmp_path, monkeypatch):
    root = _copy_package(tmp_path, monkeypatch)
    path = root / "malls.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[9] = "  name: [tidak ditutup"
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(RegionDataError) as caught:
        load_region("kukar")
    assert "malls.yaml:" in str(caught.value)
    assert "YAML tidak sah" in str(caught.value)


def test_a_bad_village_code_names_its_line(kukar, tmp_path, monkeypatch):
    root = _copy_package(tmp_path, monkeypatch)
    path = root / "villages.tsv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[5] = "64.99.01.2005\tBatuq"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(RegionDataError) as caught:
        load_region("kukar")
    assert "villages.tsv:6:" in str(caught.value)
    assert "64.99.01" in str(caught.value)


def test_the_command_exits_non_zero_and_changes_nothing_on_broken_data(
    kukar, tmp_path, monkeypatch, capsys
):
    root = _copy_package(tmp_path, monkeypatch)
    (root / "districts.tsv").write_text("code\tbps_code\tname\tseat\n64.02\t1\t\t\n")
    before = counts()
    with pytest.raises(CommandError, match="tidak ada yang diubah"):
        call_command("load_region", "kukar")
    assert "districts.tsv:2:" in capsys.readouterr().err
    assert counts() == before


def test_an_unknown_region_is_refused_with_the_known_ones():
    with pytest.raises(RegionDataError, match="kukar"):
        loader.region_dir("atlantis")
    with pytest.raises(RegionDataError):
        loader.region_dir("../etc")


def _copy_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    regions = tmp_path / "regions"
    shutil.copytree(loader.REGIONS_DIR / "kukar", regions / "kukar")
    monkeypatch.setattr(loader, "REGIONS_DIR", regions)
    return regions / "kukar"


SAMARINDA = {
    "region.yaml": """slug: contoh
name: Kota Samarinda
short_name: Samarinda
province: Kalimantan Timur
kemendagri_code: "64.72"
bps_code: "6472"
seat: Samarinda
timezone: Asia/Makassar
data_version: "1"
""",
    "districts.tsv": "code\tbps_code\tname\tseat\n64.72.01\t6472010\tPalaran\t\n",
    "villages.tsv": "code\tname\n64.72.01.1001\tRawa Makmur\n",
    "holidays.tsv": "date\tname\tcollective\n2026-08-17\tHari Kemerdekaan\ttidak\n",
    "hours.yaml": 'kota:\n  senin: {open: "08:00", close: "15:00"}\n',
    "malls.yaml": """- slug: mpp-samarinda
  kind: mpp
  name: Mal Pelayanan Publik Kota Samarinda
  short_name: MPP Samarinda
  district: "64.72.01"
  status: operating
  address: Jl. Contoh, Samarinda
  colors: ["#123456", "#abcdef"]
  hours: kota
  tenants: all
  services: all
""",
    "tenants.yaml": """- slug: TENANT
  name: Dinas Kependudukan dan Pencatatan Sipil Kota Samarinda
  short_name: Disdukcapil Samarinda
  kind: perangkat_daerah
  service_days: [senin]
  complaints: SP4N-LAPOR!
  pledge: Kami sanggup.
""",
    "services/TENANT.yaml": """tenant: TENANT
services:
  - slug: akta-kelahiran-samarinda
    name: Penerbitan Akta Kelahiran Samarinda
    keywords: [akta lahir]
    front_counter: true
    requirements: [Surat keterangan lahir, Kartu Keluarga]
    procedure: [Ambil nomor, Serahkan berkas, Terima akta]
    duration: 1 hari kerja
    fee: Rp0
    fee_amount: 0
    product: Akta kelahiran
    legal_basis: [UU 24/2013]
""",
}


def _second_region(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tenant_slug: str) -> Path:
    regions = tmp_path / "regions"
    shutil.copytree(loader.REGIONS_DIR / "kukar", regions / "kukar")
    root = regions / "contoh"
    (root / "services").mkdir(parents=True)
    for name, text in SAMARINDA.items():
        path = root / name.replace("TENANT", tenant_slug)
        path.write_text(text.replace("TENANT", tenant_slug), encoding="utf-8")
    monkeypatch.setattr(loader, "REGIONS_DIR", regions)
    return root


def test_another_regency_is_another_data_package(kukar, tmp_path, monkeypatch):
    from mpp.catalog.queries import find_services

    _second_region(tmp_path, monkeypatch, "disdukcapil-samarinda")
    kukar_before = counts()

    report = load_region("contoh")

    assert report.totals["mal"] == 1 and report.totals["layanan"] == 1
    samarinda = Mall.objects.get(slug="mpp-samarinda")
    assert [h.name for h in find_services("akta lahir", samarinda).hits] == [
        "Penerbitan Akta Kelahiran Samarinda"
    ]
    assert Mall.objects.filter(region=kukar).count() == 21
    assert counts()["Service"] == kukar_before["Service"] + 1
    assert not load_region("kukar").changed


def test_a_package_cannot_take_another_regions_slug(kukar, tmp_path, monkeypatch):
    _second_region(tmp_path, monkeypatch, "disdukcapil")
    before = counts()
    with pytest.raises(RegionDataError) as caught:
        load_region("contoh")
    assert "contoh/tenants.yaml:1: 'disdukcapil' sudah dipakai wilayah lain" in str(caught.value)
    assert counts() == before


def test_every_mall_gets_its_queues_and_counters(kukar):
    from mpp.queueing.models import Counter, Queue, QueueSettings

    mpp = Mall.objects.get(slug="mpp-kukar")
    queues = Queue.objects.filter(mall=mpp)
    assert queues.count() == Tenant.objects.count()  # one lettered queue per tenant
    assert set(queues.values_list("letter", flat=True)) >= {"A", "Z", "AA"}
    assert Counter.objects.filter(mall=mpp, tenant__slug="disdukcapil").count() == 4
    mini = Mall.objects.get(slug="mini-mpp-loa-kulu")
    (front,) = Queue.objects.filter(mall=mini)
    assert front.letter == "A"
    assert set(front.tenants.all()) == {mt.tenant for mt in mini.mall_tenants.all()}
    assert list(Counter.objects.filter(mall=mini).values_list("number", "tenant")) == [
        (1, None),
        (2, None),
    ]
    assert QueueSettings.objects.count() == Mall.objects.count()
