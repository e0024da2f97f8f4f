"""register_couple: eligibility, checklist, fee, quota and the one-NIK-once rule."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from mpp.core.models import AuditEntry
from mpp.programs.exceptions import ProgramRefused
from mpp.programs.models import Document, DocumentKind, Person, Programme, Registration
from mpp.programs.registration import register_couple
from mpp.programs.tests import world

pytestmark = pytest.mark.django_db


@time_machine.travel(world.REGISTRATION_TIME, tick=False)
def test_a_couple_is_registered_with_people_checklist_and_fee(kukar):
    found = world.programme()
    registration = world.register(found)
    assert registration.status == Registration.Status.SUBMITTED
    assert registration.code.startswith("NM-") and len(registration.access_key) >= 26
    assert {p.role for p in registration.people.all()} == {
        "groom",
        "bride",
        "wali",
        "witness_1",
        "witness_2",
    }
    kinds = set(registration.documents.values_list("kind", "who"))
    assert (DocumentKind.KTP, "wali") in kinds and (DocumentKind.CONSENT, "") in kinds
    assert not any(k == DocumentKind.PARENTAL_PERMISSION for k, _w in kinds)
    assert registration.fee_idr == 600_000 and registration.fee_bearer == "regency"
    found.refresh_from_db()
    assert found.registered_count == 1
    assert AuditEntry.objects.filter(action="programs.registration.created").count() == 1


@time_machine.travel(world.REGISTRATION_TIME, tick=False)
def test_a_bride_under_21_brings_parental_permission(kukar):
    registration = world.register(world.programme(), bride_birth=dt.date(2006, 1, 2))
    assert registration.needs == ["parental_permission"]
    assert registration.documents.filter(
        kind=DocumentKind.PARENTAL_PERMISSION, who="bride"
    ).exists()


@time_machine.travel(world.REGISTRATION_TIME, tick=False)
def test_an_under_19_groom_is_refused_and_nothing_is_written(kukar):
    found = world.programme()
    with pytest.raises(ProgramRefused) as refused:
        world.register(found, groom_birth=dt.date(2007, 6, 1))
    assert refused.value.code == "not_eligible"
    assert "19 tahun" in str(refused.value)
    assert not Registration.objects.exists() and not Person.objects.exists()


@time_machine.travel(world.REGISTRATION_TIME, tick=False)
def test_the_same_groom_twice_is_refused_and_the_count_is_rolled_back(kukar):
    found = world.programme()
    couple = world.couple()
    register_couple(programme=found, couple=couple, channel="online", acting_user=None)
    couple.bride.nik = world.nik(female=True, birth=couple.bride.birth_date)
    with pytest.raises(ProgramRefused) as refused:
        register_couple(programme=found, couple=couple, channel="online", acting_user=None)
    assert refused.value.code == "already_registered" and refused.value.status == 409
    found.refresh_from_db()
    assert found.registered_count == 1 and Registration.objects.count() == 1


@time_machine.travel(world.REGISTRATION_TIME, tick=False)
def test_a_full_quota_refuses(kukar):
    found = world.programme(quota=1)
    world.register(found)
    with pytest.raises(ProgramRefused) as refused:
        world.register(found)
    assert refused.value.code == "quota_full"
    assert (
        Registration.objects.count() == 1
        and Document.objects.values("registration").distinct().count() == 1
    )


@time_machine.travel(dt.datetime(2026, 3, 26, 9, 0, tzinfo=world.WITA), tick=False)
def test_online_registration_closes_after_the_deadline_but_the_counter_adds_the_dispensation(kukar):
    found = world.programme()
    with pytest.raises(ProgramRefused) as refused:
        world.register(found)
    assert refused.value.code == "registration_not_open" and "25-03-2026" in str(refused.value)
    registration = world.register(found, by=world.kua_officer())
    assert registration.needs == ["late_registration_dispensation"]
    assert registration.documents.filter(kind=DocumentKind.LATE_DISPENSATION).exists()


@time_machine.travel(world.REGISTRATION_TIME, tick=False)
def test_a_draft_programme_takes_no_registration(kukar):
    with pytest.raises(ProgramRefused):
        world.register(world.programme(status=Programme.Status.DRAFT))
