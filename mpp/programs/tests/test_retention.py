"""Anonymising a past programme: after its last akad + retention_days, personal data and files
go; codes, fees, receipts, books and the report's figures stay; running it again does nothing."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from mpp.core.models import AuditEntry
from mpp.programs import jobs
from mpp.programs.models import Document, Person, Programme, Registration
from mpp.programs.report import programme_figures
from mpp.programs.retention import anonymise_past_registrations
from mpp.programs.tests import world
from mpp.programs.tests.test_draw_world import SAME_DAY, married, with_status

pytestmark = pytest.mark.django_db

# The akad is 10 April 2026; 365 days later is 10 April 2027: due from 11 April 2027 on.
LAST_KEPT = dt.date(2027, 4, 10)
DUE = dt.date(2027, 4, 11)


@pytest.fixture
def found(kukar):  # type: ignore[no-untyped-def]
    programme = world.programme()
    first = married(programme, book="KUA/001", kk_done_at=SAME_DAY, ktp_done=2, receipt="BRI-1")
    married(programme, book="KUA/002")
    with_status(programme, Registration.Status.CANCELLED)
    document = first.documents.first()
    path = default_storage.save("programs/uji/ktp.pdf", ContentFile(b"%PDF-1.4 uji"))
    Document.objects.filter(pk=document.pk).update(
        file=path, file_name="KTP Ahmad.pdf", file_type="application/pdf",
        status=Document.Status.UPLOADED,
    )  # fmt: skip
    return programme


def test_nothing_happens_before_the_retention_period_ends(found):
    assert anonymise_past_registrations(today=LAST_KEPT) == 0
    assert Person.objects.filter(programme=found, name="Ahmad Fauzi").exists()
    assert Programme.objects.get(pk=found.pk).anonymised_at is None


def test_personal_data_and_files_go_figures_and_codes_stay(
    found, django_capture_on_commit_callbacks
):
    before = programme_figures(found)
    codes = set(found.registrations.values_list("code", flat=True))
    path = Document.objects.exclude(file="").get().file
    with django_capture_on_commit_callbacks(execute=True):
        assert anonymise_past_registrations(today=DUE) == 1
    after = programme_figures(Programme.objects.get(pk=found.pk))
    assert after == before
    assert set(found.registrations.values_list("code", flat=True)) == codes
    people = Person.objects.filter(programme=found)
    assert people.exists()
    assert not people.exclude(name="—").exists()
    assert not people.exclude(nik="").exists()
    assert not people.filter(birth_date__isnull=False).exists()
    assert not people.exclude(address="").exists() and not people.exclude(relation="").exists()
    assert not people.filter(village__isnull=False).exists()
    registrations = Registration.objects.filter(programme=found)
    assert not registrations.exclude(phone="").exists()
    assert not registrations.filter(anonymised_at__isnull=True).exists()
    assert registrations.filter(receipt_number="BRI-1").exists()  # a financial record
    assert set(registrations.exclude(marriage_book_number="").values_list(
        "marriage_book_number", flat=True)) == {"KUA/001", "KUA/002"}  # fmt: skip
    assert not Document.objects.exclude(file="").exists()
    assert not Document.objects.exclude(file_name="").exists()
    assert not default_storage.exists(path)
    assert Programme.objects.get(pk=found.pk).anonymised_at is not None
    entry = AuditEntry.objects.get(action="programs.programme.anonymised")
    assert entry.data == {"registrations": 3, "files": 1}


def test_running_it_again_changes_nothing(found, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        anonymise_past_registrations(today=DUE)
    stamped = Programme.objects.get(pk=found.pk).anonymised_at
    with django_capture_on_commit_callbacks(execute=True):
        assert anonymise_past_registrations(today=DUE + dt.timedelta(days=30)) == 0
    assert Programme.objects.get(pk=found.pk).anonymised_at == stamped
    assert AuditEntry.objects.filter(action="programs.programme.anonymised").count() == 1


def test_the_retention_period_is_the_programmes_setting(found):
    Programme.objects.filter(pk=found.pk).update(retention_days=30)
    assert anonymise_past_registrations(today=dt.date(2026, 5, 10)) == 0
    assert anonymise_past_registrations(today=dt.date(2026, 5, 11)) == 1


def test_the_daily_job_anonymises_as_of_todays_local_date(found):
    with time_machine.travel(dt.datetime(2027, 4, 10, 23, 0, tzinfo=world.WITA), tick=False):
        assert jobs.anonymise_past_programmes.call_local() == 0
    with time_machine.travel(dt.datetime(2027, 4, 11, 0, 30, tzinfo=world.WITA), tick=False):
        assert jobs.anonymise_past_programmes.call_local() == 1
