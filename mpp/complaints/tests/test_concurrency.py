"""Supervisors at the same instant: real threads, each with its own connection, against the
configured database (SQLite in `make test`, PostgreSQL in CI's second pass). A complaint is
verified once, its answer date set once."""

from __future__ import annotations

import pytest

from mpp.complaints import actions
from mpp.complaints.exceptions import ComplaintRefused
from mpp.complaints.models import Complaint
from mpp.complaints.tests import world
from mpp.core.models import AuditEntry
from mpp.core.tests.clients import run_parallel

pytestmark = pytest.mark.django_db(transaction=True)


def _verify(pk: int, by: object) -> str:
    complaint = Complaint.objects.select_related("mall__region").get(pk=pk)
    try:
        actions.verify_complaint(complaint=complaint, tenant=world.dukcapil(), acting_user=by)
    except ComplaintRefused as refused:
        return str(refused.code)
    return "verified"


def test_two_supervisors_verifying_one_complaint_at_once_verify_it_once(cast):
    supervisor = cast.supervisor_mpp()
    complaint = world.filed()
    results, errors = run_parallel(6, lambda _i: _verify(complaint.pk, supervisor))
    assert errors == []
    assert sorted(results) == ["already_assigned"] * 5 + ["verified"]
    assert AuditEntry.objects.filter(action="complaint.verified").count() == 1
