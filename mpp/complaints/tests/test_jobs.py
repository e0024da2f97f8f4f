"""Escalation: a complaint late in verification or in its answer is escalated once, by e-mail
to its mall's supervisors (the regency administrators for a complaint with no mall)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from mpp.complaints import actions, jobs
from mpp.complaints.models import Complaint
from mpp.complaints.tests import world
from mpp.notifications.models import Message

pytestmark = pytest.mark.django_db


def _with_email(user, address):  # type: ignore[no-untyped-def]
    user.email = address
    user.save()
    return user


def test_a_late_verification_is_escalated_once_to_the_mall_supervisors(cast):
    _with_email(cast.supervisor_mpp(), "pengawas@mpp.example")
    _with_email(cast.supervisor_loakulu(), "lk@mpp.example")
    with time_machine.travel(world.THURSDAY_9, tick=False):
        complaint = world.filed()
    # On the verify-by day itself it is not late yet.
    with time_machine.travel(dt.datetime(2026, 8, 19, 23, 0, tzinfo=world.WITA), tick=False):
        assert actions.escalate_late_complaints() == 0
    with time_machine.travel(dt.datetime(2026, 8, 20, 8, 0, tzinfo=world.WITA), tick=False):
        assert jobs.escalate_late_complaints.call_local() == 1
        assert actions.escalate_late_complaints() == 0  # never twice
    complaint.refresh_from_db()
    assert complaint.escalated_at == dt.datetime(2026, 8, 20, 8, 0, tzinfo=world.WITA)
    sent = Message.objects.filter(kind="complaint.escalated")
    assert [m.recipient for m in sent] == ["pengawas@mpp.example"]
    assert complaint.grouped_code in sent[0].body


def test_a_late_answer_is_escalated_and_a_timely_one_is_not(cast):
    _with_email(cast.supervisor_mpp(), "pengawas@mpp.example")
    with time_machine.travel(world.THURSDAY_9, tick=False):
        late = world.verified()
        timely = world.verified()
        actions.reply_to_complaint(
            complaint=timely, text="Jawaban", is_internal=False, acting_user=None
        )
    assert late.answer_by == dt.date(2026, 8, 21)  # 5 working days
    with time_machine.travel(dt.datetime(2026, 8, 24, 8, 0, tzinfo=world.WITA), tick=False):
        assert actions.escalate_late_complaints() == 1
    assert Complaint.objects.filter(escalated_at__isnull=False).get() == late


def test_a_complaint_with_no_mall_goes_to_the_regency_administrator(cast):
    _with_email(cast.regency_admin(), "dpmptsp@kukar.example")
    _with_email(cast.supervisor_mpp(), "pengawas@mpp.example")
    with time_machine.travel(world.THURSDAY_9, tick=False):
        world.filed(mall=None)
    with time_machine.travel(dt.datetime(2026, 8, 20, 8, 0, tzinfo=world.WITA), tick=False):
        assert actions.escalate_late_complaints() == 1
    assert list(Message.objects.values_list("recipient", flat=True)) == ["dpmptsp@kukar.example"]
