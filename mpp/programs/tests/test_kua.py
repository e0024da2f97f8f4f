"""The KUA's actions: documents checked, couples approved or returned, scheduled into a
session within its capacity, fees recorded honestly, in order, each audited."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from mpp.core.models import AuditEntry
from mpp.programs import kua
from mpp.programs.exceptions import ProgramRefused
from mpp.programs.fees import fee_short
from mpp.programs.models import (
    AkadSession,
    Document,
    FeeBearer,
    Programme,
    Registration,
    TariffBasis,
)
from mpp.programs.tests import world

pytestmark = pytest.mark.django_db


# --- steps the other test files share ------------------------------------------------------


def submitted(found: Programme | None = None) -> Registration:
    """A fresh couple registered online, as the couple would on 10 March 2026."""
    with time_machine.travel(world.REGISTRATION_TIME, tick=False):
        return world.register(found or world.programme())


def accept_all(registration: Registration, officer: object) -> None:
    for document in registration.documents.all():
        kua.check_document(document=document, accepted=True, note="", acting_user=officer)


def approved(found: Programme, officer: object) -> Registration:
    registration = submitted(found)
    accept_all(registration, officer)
    return kua.approve_registration(registration=registration, acting_user=officer)


def scheduled(found: Programme, officer: object, *, paid: bool = True) -> Registration:
    """An approved couple in the programme's first session, its PNBP paid by the regency."""
    registration = approved(found, officer)
    registration = kua.schedule_couple(
        registration=registration, session=found.sessions.all()[0], acting_user=officer
    )
    if paid:
        registration = kua.record_fee(
            registration=registration,
            tariff_basis=TariffBasis.OUTSIDE,
            fee_bearer=FeeBearer.REGENCY,
            sponsor_name="",
            receipt_number="BPD-KALTIM-000123",
            paid_on=dt.date(2026, 4, 1),
            acting_user=officer,
        )
    return registration


# --- documents ------------------------------------------------------------------------------


@time_machine.travel(world.AKAD_TIME - dt.timedelta(days=14), tick=False)
def test_a_document_is_accepted_and_audited(kukar):
    officer = world.kua_officer()
    registration = submitted()
    document = registration.documents.first()
    checked = kua.check_document(document=document, accepted=True, note="", acting_user=officer)
    assert checked.status == Document.Status.ACCEPTED and checked.checked_by == officer
    entry = AuditEntry.objects.get(action="programs.document.accepted")
    assert entry.actor_id == officer.pk and entry.data["code"] == registration.code
    assert entry.mall_id == registration.programme.mall_id


def test_a_rejection_needs_a_note(kukar):
    officer = world.kua_officer()
    document = submitted().documents.first()
    with pytest.raises(ProgramRefused) as refused:
        kua.check_document(document=document, accepted=False, note="  ", acting_user=officer)
    assert refused.value.code == "reason_required" and refused.value.status == 400
    kua.check_document(document=document, accepted=False, note="Buram", acting_user=officer)
    document.refresh_from_db()
    assert document.status == Document.Status.REJECTED and document.note == "Buram"
    assert AuditEntry.objects.filter(action="programs.document.rejected").count() == 1


def test_documents_are_not_checked_after_approval(kukar):
    officer = world.kua_officer()
    registration = approved(world.programme(), officer)
    with pytest.raises(ProgramRefused) as refused:
        kua.check_document(
            document=registration.documents.first(), accepted=False, note="x", acting_user=officer
        )
    assert refused.value.code == "bad_step" and refused.value.status == 409


# --- approve and return ---------------------------------------------------------------------


def test_approval_needs_every_document_accepted(kukar):
    officer = world.kua_officer()
    registration = submitted()
    first, *rest = registration.documents.all()
    for document in rest:
        kua.check_document(document=document, accepted=True, note="", acting_user=officer)
    with pytest.raises(ProgramRefused) as refused:
        kua.approve_registration(registration=registration, acting_user=officer)
    assert refused.value.code == "documents_incomplete" and refused.value.status == 409
    kua.check_document(document=first, accepted=True, note="", acting_user=officer)
    done = kua.approve_registration(registration=registration, acting_user=officer)
    assert done.status == Registration.Status.APPROVED and done.decided_by == officer
    assert AuditEntry.objects.filter(action="programs.registration.approved").count() == 1


def test_a_return_needs_reasons_which_the_couple_reads(kukar):
    officer = world.kua_officer()
    registration = submitted()
    with pytest.raises(ProgramRefused) as refused:
        kua.return_registration(registration=registration, reason=" ", acting_user=officer)
    assert refused.value.code == "reason_required"
    returned = kua.return_registration(
        registration=registration, reason="Akta kelahiran buram.", acting_user=officer
    )
    assert returned.status == Registration.Status.RETURNED
    assert returned.return_reason == "Akta kelahiran buram."
    entry = AuditEntry.objects.get(action="programs.registration.returned")
    assert entry.data["reason"] == "Akta kelahiran buram." and entry.data["from"] == "submitted"


def test_a_returned_couple_cannot_be_returned_again_or_a_scheduled_one_approved(kukar):
    officer = world.kua_officer()
    found = world.programme()
    registration = submitted(found)
    kua.return_registration(registration=registration, reason="Lengkapi", acting_user=officer)
    with pytest.raises(ProgramRefused) as refused:
        kua.return_registration(registration=registration, reason="lagi", acting_user=officer)
    assert refused.value.code == "bad_step"
    couple = scheduled(found, officer)
    with pytest.raises(ProgramRefused) as refused:
        kua.approve_registration(registration=couple, acting_user=officer)
    assert refused.value.code == "bad_step" and refused.value.status == 409


# --- schedule -------------------------------------------------------------------------------


def test_an_approved_couple_is_scheduled_and_the_session_counts_it(kukar):
    officer = world.kua_officer()
    found = world.programme()
    registration = approved(found, officer)
    session = found.sessions.first()
    done = kua.schedule_couple(registration=registration, session=session, acting_user=officer)
    assert done.status == Registration.Status.SCHEDULED and done.session == session
    session.refresh_from_db()
    assert session.scheduled_count == 1
    assert AuditEntry.objects.filter(action="programs.registration.scheduled").count() == 1


def test_only_an_approved_couple_is_scheduled(kukar):
    officer = world.kua_officer()
    found = world.programme()
    with pytest.raises(ProgramRefused) as refused:
        kua.schedule_couple(
            registration=submitted(found), session=found.sessions.first(), acting_user=officer
        )
    assert refused.value.code == "bad_step" and refused.value.status == 409
    assert found.sessions.first().scheduled_count == 0


def test_a_full_session_refuses_and_a_move_gives_the_place_back(kukar):
    officer = world.kua_officer()
    found = world.programme(capacities=(1, 1))
    first, second = found.sessions.all()
    one = approved(found, officer)
    kua.schedule_couple(registration=one, session=first, acting_user=officer)
    two = approved(found, officer)
    with pytest.raises(ProgramRefused) as refused:
        kua.schedule_couple(registration=two, session=first, acting_user=officer)
    assert refused.value.code == "session_full" and refused.value.status == 409
    kua.schedule_couple(registration=one, session=second, acting_user=officer)
    kua.schedule_couple(registration=two, session=first, acting_user=officer)
    assert [s.scheduled_count for s in AkadSession.objects.filter(programme=found)] == [1, 1]


def test_a_session_of_another_programme_is_refused(kukar):
    officer = world.kua_officer()
    found = world.programme()
    other = world.programme(slug="lain")
    with pytest.raises(ProgramRefused) as refused:
        kua.schedule_couple(
            registration=approved(found, officer),
            session=other.sessions.first(),
            acting_user=officer,
        )
    assert refused.value.code == "bad_step"


# --- fees -----------------------------------------------------------------------------------


@time_machine.travel(dt.datetime(2026, 4, 2, 10, 0, tzinfo=world.WITA), tick=False)
def test_a_fee_borne_by_a_sponsor_is_recorded_with_its_receipt(kukar):
    officer = world.kua_officer()
    registration = submitted()
    done = kua.record_fee(
        registration=registration,
        tariff_basis=TariffBasis.OUTSIDE,
        fee_bearer=FeeBearer.SPONSOR,
        sponsor_name="Bank Kaltimtara",
        receipt_number="SETOR-42",
        paid_on=dt.date(2026, 4, 1),
        acting_user=officer,
    )
    assert (done.fee_idr, done.sponsor_name, done.receipt_number) == (
        600_000,
        "Bank Kaltimtara",
        "SETOR-42",
    )
    assert done.is_paid_or_free
    assert fee_short(done) == "Rp600.000 ditanggung Bank Kaltimtara"
    entry = AuditEntry.objects.get(action="programs.fee.recorded")
    assert entry.data["receipt_number"] == "SETOR-42" and entry.data["fee_idr"] == 600_000


def test_a_sponsor_must_be_named_and_a_receipt_needs_number_and_date(kukar):
    officer = world.kua_officer()
    registration = submitted()
    base = {
        "registration": registration,
        "tariff_basis": TariffBasis.OUTSIDE,
        "acting_user": officer,
    }
    with pytest.raises(ProgramRefused) as refused:
        kua.record_fee(
            **base,
            fee_bearer=FeeBearer.SPONSOR,
            sponsor_name="",
            receipt_number="",
            paid_on=None,
        )
    assert refused.value.code == "sponsor_required"
    with pytest.raises(ProgramRefused) as refused:
        kua.record_fee(
            **base,
            fee_bearer=FeeBearer.REGENCY,
            sponsor_name="",
            receipt_number="SETOR-1",
            paid_on=None,
        )
    assert refused.value.code == "receipt_invalid" and refused.value.status == 400
    with pytest.raises(ProgramRefused) as refused:
        kua.record_fee(
            **base,
            fee_bearer=FeeBearer.REGENCY,
            sponsor_name="",
            receipt_number="SETOR-1",
            paid_on=dt.date(2099, 1, 1),
        )
    assert refused.value.code == "receipt_invalid"
    assert not AuditEntry.objects.filter(action="programs.fee.recorded").exists()


def test_a_fee_at_the_kua_in_working_hours_is_rp0_with_no_receipt(kukar):
    officer = world.kua_officer()
    done = kua.record_fee(
        registration=submitted(),
        tariff_basis=TariffBasis.KUA_HOURS,
        fee_bearer=FeeBearer.COUPLE,
        sponsor_name="ignored",
        receipt_number="",
        paid_on=None,
        acting_user=officer,
    )
    assert done.fee_idr == 0 and done.sponsor_name == "" and done.is_paid_or_free
    assert fee_short(done).startswith("Rp0")


def test_the_fee_wording_says_ditanggung_never_gratis(kukar):
    registration = submitted()
    wording = fee_short(registration)
    assert wording == "Rp600.000 ditanggung Pemerintah Kabupaten Kutai Kartanegara"
    for word in ("gratis", "dibebaskan", "bebas biaya"):
        assert word not in wording.lower()
    registration.fee_bearer = FeeBearer.COUPLE
    assert fee_short(registration) == "Rp600.000 dibayar pasangan sendiri"
    registration.fee_bearer = FeeBearer.BAZNAS
    assert fee_short(registration) == "Rp600.000 ditanggung Baznas"


def test_the_nik_read_is_logged_per_showing(kukar):
    officer = world.kua_officer()
    registration = submitted()
    kua.record_nik_read(
        programme=registration.programme,
        registrations=[registration],
        where="kua",
        acting_user=officer,
    )
    entry = AuditEntry.objects.get(action="programs.nik.read")
    assert entry.actor_id == officer.pk and entry.object_id == str(registration.pk)
    assert entry.data["codes"] == [registration.code]


def test_a_cancelled_couple_gives_back_its_quota_and_session_place(kukar):
    officer = world.kua_officer()
    found = world.programme()
    registration = scheduled(found, officer)
    session = found.sessions.all()[0]
    session.refresh_from_db()
    found.refresh_from_db()
    assert (session.scheduled_count, found.registered_count) == (1, 1)
    with pytest.raises(ProgramRefused) as refused:
        kua.cancel_registration(registration=registration, reason="  ", acting_user=officer)
    assert refused.value.code == "reason_required"
    done = kua.cancel_registration(
        registration=registration, reason="Calon suami bertugas di luar daerah", acting_user=officer
    )
    assert done.status == "cancelled" and done.session is None
    session.refresh_from_db()
    found.refresh_from_db()
    assert (session.scheduled_count, found.registered_count) == (0, 0)
    assert AuditEntry.objects.filter(action="programs.registration.cancelled").count() == 1
    with pytest.raises(ProgramRefused) as again:
        kua.cancel_registration(registration=done, reason="lagi", acting_user=officer)
    assert again.value.code == "bad_step" and again.value.status == 409
