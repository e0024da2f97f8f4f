"""A service's published time as a value and a unit (catalog/durations.py): read from a text
that begins with it, stated otherwise, never contradicting the text."""

from __future__ import annotations

import re

import pytest

from mpp.catalog.durations import NO_FIXED_TIME, DurationError, leading, resolve
from mpp.catalog.models import Service


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15 menit", (15, "menit")),
        ("1 jam setelah berkas lengkap", (1, "jam")),
        ("14 hari kerja sejak asesmen", (14, "hari_kerja")),
        ("4 Hari Kerja setelah wawancara", (4, "hari_kerja")),
        ("25 hari", (25, "hari")),
        ("3 hari kalender", (3, "hari")),
        ("12 bulan", None),
        ("Paling lama 25 hari sejak sidang pertama", None),
        ("Sesuai jadwal persidangan", None),
    ],
)
def test_a_text_is_read_only_when_it_begins_with_a_quantity_in_a_contract_unit(text, expected):
    assert leading(text) == expected


def test_a_readable_text_needs_nothing_stated():
    assert resolve("5 hari kerja setelah pembayaran", None, None) == (5, "hari_kerja")


def test_a_stated_time_that_agrees_with_the_text_is_taken():
    assert resolve("5 hari kerja", 5, "hari_kerja") == (5, "hari_kerja")
    assert resolve("Paling lama 30 hari kerja sejak pelimpahan", 30, "hari_kerja") == (
        30,
        "hari_kerja",
    )


def test_no_fixed_time_is_stored_as_neither_value_nor_unit():
    assert resolve("Sesuai jadwal persidangan", None, NO_FIXED_TIME) == (None, "")
    assert resolve("Paling lama 12 bulan", None, NO_FIXED_TIME) == (None, "")


@pytest.mark.parametrize(
    ("text", "value", "unit", "message"),
    [
        ("Sesuai jadwal persidangan", None, None, "tidak terbaca"),
        ("12 bulan sejak permohonan", None, None, "tidak terbaca"),
        ("5 hari kerja", 5, "hari", "bertentangan dengan teks jangka waktu yang diawali 5 hari"),
        ("5 hari kerja", 7, "hari_kerja", "bertentangan"),
        ("15 menit", None, NO_FIXED_TIME, "'tanpa batas waktu' bertentangan"),
        ("Paling lama 25 hari sejak sidang", 30, "hari", "tidak disebut dalam teks"),
        ("Sesuai jadwal", 5, None, "keduanya"),
        ("Sesuai jadwal", None, "jam", "keduanya"),
        ("Sesuai jadwal", 0, "jam", "1–32767"),
        ("Sesuai jadwal", 2, "bulan", "satuan 'bulan' tidak dikenal"),
        ("Sesuai jadwal", 2, NO_FIXED_TIME, "tidak memakai angka"),
    ],
)
def test_what_cannot_be_reconciled_is_refused_in_indonesian(text, value, unit, message):
    with pytest.raises(DurationError, match=re.escape(message)):
        resolve(text, value, unit)


_OLD_SAME_VISIT = re.compile(r"^(?P<amount>\d+)\s*(?P<unit>menit|jam)\b", re.IGNORECASE)


def _old_standard_minutes(duration: str) -> int | None:
    """Service.standard_minutes as it was read from the text before issue 22."""
    found = _OLD_SAME_VISIT.match(duration.strip())
    if found is None:
        return None
    amount = int(found["amount"])
    return amount * 60 if found["unit"].lower() == "jam" else amount


def test_every_kukar_service_keeps_its_same_visit_standard(kukar):
    services = list(Service.objects.filter(tenant__region=kukar))
    assert len(services) > 100
    for service in services:
        assert service.standard_minutes == _old_standard_minutes(service.duration), service.slug
    assert {s.standard_minutes for s in services} >= {10, 15, 30, 60, None}


def test_every_kukar_service_has_a_structured_time_or_says_it_has_none(kukar):
    services = Service.objects.filter(tenant__region=kukar)
    no_fixed = services.filter(duration_value__isnull=True)
    assert set(no_fixed.values_list("duration_unit", flat=True)) == {""}
    assert not services.filter(duration__startswith="Sesuai", duration_value__isnull=False)
    assert services.get(slug="persetujuan-kkpr").duration_unit == "hari_kerja"
    assert services.get(slug="persetujuan-kkpr").duration_value == 20
    for service in services.exclude(duration_value__isnull=True):
        found = leading(service.duration)
        assert found is None or found == (service.duration_value, service.duration_unit)


def test_the_migration_fills_what_a_text_begins_with_before_any_load(kukar):
    """Right after migrating, before the region data is loaded again, a service keeps its
    same-visit standard (the queue's estimates read it); the rest waits for the data."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("mpp.catalog.migrations.0007_durations_from_text")
    Service.objects.update(duration_value=None, duration_unit="")
    migration.fill(apps, None)
    for service in Service.objects.filter(tenant__region=kukar):
        assert service.standard_minutes == _old_standard_minutes(service.duration), service.slug
        found = leading(service.duration)
        assert (service.duration_value, service.duration_unit or None) == (found or (None, None))


def test_the_service_page_keeps_showing_the_text(client, kukar):
    court = Service.objects.filter(duration="Sesuai jadwal persidangan").first()
    assert court is not None
    page = client.get(court.get_absolute_url())
    assert page.status_code == 200 and "Sesuai jadwal persidangan" in page.content.decode()
