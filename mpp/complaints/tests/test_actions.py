"""Complaints' actions: filing (masking, the contact, the verification date in working days),
verifying and assigning, dismissing, replying, closing; each refusal with its code."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from mpp.complaints import actions
from mpp.complaints.exceptions import ComplaintRefused
from mpp.complaints.models import Reply, Status
from mpp.complaints.tests import world
from mpp.core.models import AuditEntry
from mpp.notifications.models import Message

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _thursday(kukar):  # type: ignore[no-untyped-def]
    with time_machine.travel(world.THURSDAY_9, tick=False):
        yield


def _refused(call, *args, **kwargs) -> ComplaintRefused:  # type: ignore[no-untyped-def]
    with pytest.raises(ComplaintRefused) as caught:
        call(*args, **kwargs)
    return caught.value


def test_verify_by_is_the_third_working_day_past_the_weekend_and_a_holiday():
    complaint = world.filed()
    assert complaint.verify_by == world.VERIFY_BY
    assert complaint.status == Status.RECEIVED
    assert len(complaint.code) == 12 and complaint.grouped_code.count("-") == 2


def test_a_complaint_with_no_mall_counts_the_deployment_region_days():
    assert world.filed(mall=None).verify_by == world.VERIFY_BY


def test_a_nik_in_the_text_is_masked_before_it_is_stored():
    complaint = world.filed(text=f"NIK saya {world.NIK} ditolak", where=f"loket {world.NIK}")
    assert world.NIK not in complaint.text and "6402••••••••0001" in complaint.text
    assert world.NIK not in complaint.where


def test_a_contact_is_kept_as_parsed_and_dropped_when_anonymous():
    assert world.filed(contact="0812 3456 7890").contact == "6281234567890"
    assert world.filed(contact="Warga@Contoh.id").contact == "Warga@Contoh.id"
    assert world.filed(contact="081234567890", is_anonymous=True).contact == ""


@pytest.mark.parametrize(
    ("kwargs", "code", "field"),
    [
        ({"text": "   "}, "empty_text", "text"),
        ({"text": "x" * (actions.MAX_TEXT + 1)}, "text_too_long", "text"),
        ({"contact": "bukan kontak"}, "invalid_contact", "contact"),
        ({"contact": "a@b"}, "invalid_contact", "contact"),
        ({"happened_on": dt.date(2026, 8, 14)}, "future_date", "happened_on"),
        ({"lapor_number": "<script>"}, "invalid_lapor_number", "lapor_number"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(kwargs, code, field):
    refused = _refused(world.filed, **kwargs)
    assert (refused.code, refused.field, refused.status) == (code, field, 400)
    assert not world.mpp().complaints.exists()


def test_verifying_assigns_the_tenant_and_its_published_days_to_answer():
    tenant = world.dukcapil()
    tenant.complaint_days = 2
    tenant.save()
    complaint = world.verified()
    assert complaint.status == Status.VERIFIED and complaint.tenant == tenant
    assert complaint.verified_at == world.THURSDAY_9
    assert complaint.answer_by == dt.date(2026, 8, 18)  # Fri 14, (weekend, 17th), Tue 18
    assert AuditEntry.objects.filter(action="complaint.verified").count() == 1


def test_verifying_twice_or_to_a_tenant_absent_from_the_mall_is_refused():
    complaint = world.verified()
    again = _refused(
        actions.verify_complaint, complaint=complaint, tenant=world.dukcapil(), acting_user=None
    )
    assert (again.code, again.status) == ("already_assigned", 409)
    actions.reply_to_complaint(
        complaint=complaint, text="Sudah kami tindak lanjuti.", is_internal=False, acting_user=None
    )
    answered = _refused(
        actions.verify_complaint, complaint=complaint, tenant=world.imigrasi(), acting_user=None
    )
    assert (answered.code, answered.status) == ("out_of_order", 409)
    at_loakulu = world.filed(mall=world.loakulu())
    wrong = _refused(
        actions.verify_complaint, complaint=at_loakulu, tenant=world.imigrasi(), acting_user=None
    )
    assert (wrong.code, wrong.field) == ("wrong_tenant", "tenant")


def test_dismissing_needs_a_reason_that_the_complainant_is_told_of():
    complaint = world.filed(contact="081234567890")
    refused = _refused(actions.dismiss_complaint, complaint=complaint, reason=" ", acting_user=None)
    assert refused.code == "reason_required"
    done = actions.dismiss_complaint(
        complaint=complaint, reason="Bukan layanan MPP.", acting_user=None
    )
    assert done.status == Status.DISMISSED and done.closed_at is not None
    told = Message.objects.get(kind="complaint.dismissed")
    assert complaint.grouped_code in told.body and "Bukan layanan" not in told.body


def test_the_first_public_reply_answers_it_and_tells_the_complainant_once():
    complaint = world.verified(contact="081234567890")
    actions.reply_to_complaint(
        complaint=complaint, text="Catatan", is_internal=True, acting_user=None
    )
    complaint.refresh_from_db()
    assert complaint.answered_at is None and not Message.objects.exists()
    with time_machine.travel(world.THURSDAY_9 + dt.timedelta(hours=2), tick=False):
        actions.reply_to_complaint(
            complaint=complaint, text="Jawaban", is_internal=False, acting_user=None
        )
    with time_machine.travel(world.THURSDAY_9 + dt.timedelta(hours=3), tick=False):
        actions.reply_to_complaint(
            complaint=complaint, text="Tambahan", is_internal=False, acting_user=None
        )
    complaint.refresh_from_db()
    assert complaint.status == Status.ANSWERED
    assert complaint.answered_at == world.THURSDAY_9 + dt.timedelta(hours=2)
    sent = Message.objects.filter(kind="complaint.replied")
    assert sent.count() == 2 and all("6281234567890" not in m.key for m in sent)
    assert all("Jawaban" not in m.body for m in sent)  # the page holds the text, not the message


def test_an_anonymous_complainant_is_told_nothing():
    complaint = world.verified(contact="081234567890", is_anonymous=True)
    actions.reply_to_complaint(
        complaint=complaint, text="Jawaban", is_internal=False, acting_user=None
    )
    assert not Message.objects.exists()


def test_a_public_reply_before_verification_and_any_reply_after_closing_are_refused():
    complaint = world.filed()
    early = _refused(
        actions.reply_to_complaint,
        complaint=complaint,
        text="x",
        is_internal=False,
        acting_user=None,
    )
    assert (early.code, early.status) == ("out_of_order", 409)
    complaint = world.verified(complaint)
    not_yet = _refused(actions.close_complaint, complaint=complaint, acting_user=None)
    assert not_yet.code == "out_of_order"
    actions.reply_to_complaint(
        complaint=complaint, text="Jawaban", is_internal=False, acting_user=None
    )
    closed = actions.close_complaint(complaint=complaint, acting_user=None)
    assert closed.status == Status.CLOSED
    late = _refused(actions.add_complainant_reply, complaint=closed, text="Belum selesai")
    assert (late.code, late.status) == ("finished", 409)


def test_the_complainant_adds_a_message_or_their_lapor_number():
    complaint = world.filed()
    actions.add_complainant_reply(complaint=complaint, text=f"NIK {world.NIK}")
    actions.add_complainant_reply(complaint=complaint, lapor_number="LAPOR-1234567")
    complaint.refresh_from_db()
    assert complaint.lapor_number == "LAPOR-1234567"
    reply = Reply.objects.get(complaint=complaint)
    assert reply.from_complainant and world.NIK not in reply.text
    assert _refused(actions.add_complainant_reply, complaint=complaint).code == "empty_text"


def test_a_verified_complaint_not_yet_answered_goes_to_another_agency_with_a_new_answer_date():
    """The agency says it is not theirs: the supervisor assigns it again. The new agency's
    published days run from the day of the move; the first verification's time stays."""
    complaint = world.verified()
    first_verified = complaint.verified_at
    imigrasi = world.imigrasi()
    imigrasi.complaint_days = 3
    imigrasi.save()
    with time_machine.travel(world.THURSDAY_9 + dt.timedelta(days=1), tick=False):  # Friday
        moved = actions.verify_complaint(complaint=complaint, tenant=imigrasi, acting_user=None)
    assert (moved.status, moved.tenant, moved.verified_at) == (
        Status.VERIFIED,
        imigrasi,
        first_verified,
    )
    assert moved.answer_by == dt.date(2026, 8, 20)  # from Fri 14: (17th a holiday) 18, 19, 20
    entry = AuditEntry.objects.get(action="complaint.reassigned")
    assert entry.data["from_tenant"] == world.dukcapil().pk
    assert entry.data["tenant"] == imigrasi.pk
