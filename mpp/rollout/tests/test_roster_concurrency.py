"""Two BKPSDM clerks post the same person at the same instant, each to another Mini MPP: one
posting is made, the other refused ("already_assigned"). Real threads against the configured
database (SQLite in `make test`, PostgreSQL in CI's second pass), as queueing's
test_concurrency does: on PostgreSQL the member's row lock decides, on SQLite the IMMEDIATE
transactions."""

from __future__ import annotations

import datetime as dt

import pytest

from mpp.core.tests.clients import run_parallel
from mpp.malls.models import District, Mall, Village
from mpp.rollout import roster
from mpp.rollout.exceptions import RolloutRefused
from mpp.rollout.models import Assignment, StaffMember

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_postings_of_one_person_at_once_make_one(uji):
    hilir = Mall.objects.get(slug="mini-mpp-uji-hilir")
    # A second Mini MPP in Uji's other kecamatan: Uji's data has one.
    hulu = Mall.objects.create(
        region=uji,
        district=District.objects.get(code="99.01.01"),
        slug="mini-mpp-uji-hulu",
        kind=Mall.Kind.MINI_MPP,
        name="Mini MPP Kecamatan Hulu",
        short_name="Mini MPP Hulu",
        status=Mall.Status.PREPARING,
        address="Kantor Camat Hulu",
    )
    member = StaffMember.objects.create(
        region=uji,
        full_name="Pegawai Rebutan",
        employment="honorer",
        domicile_village=Village.objects.get(code="99.01.02.2001"),
    )
    malls = [hilir, hulu] * 4

    def work(i: int) -> str:
        try:
            roster.assign(
                member, malls[i], position="Loket", start_date=dt.date(2025, 6, 2), actor=None
            )
        except RolloutRefused as refused:
            return str(refused.code)
        return "assigned"

    results, errors = run_parallel(len(malls), work)

    assert errors == []
    assert sorted(results) == ["already_assigned"] * 7 + ["assigned"]
    assert Assignment.objects.filter(member=member).count() == 1
