"""Certificates issued at once by parallel requests (SQLite in `make test`, PostgreSQL in CI's
second pass): every number is unique and the year's numbers have no gap (the region's row is
locked while the next number is taken)."""

from __future__ import annotations

import datetime as dt

import pytest

from mpp.malls.models import Mall, Village
from mpp.queueing.tests.test_concurrency import run_parallel
from mpp.rollout import training
from mpp.rollout.models import Certificate, StaffMember, TrainingModule

pytestmark = pytest.mark.django_db(transaction=True)


def test_parallel_certificates_get_unique_gapless_numbers(uji):  # type: ignore[no-untyped-def]
    TrainingModule.objects.filter(region=uji).delete()
    module = TrainingModule.objects.create(region=uji, code="konsol", title="Konsol")
    today = dt.date.today()
    session = training.create_session(
        region=uji,
        title="Angkatan uji",
        venue=Mall.objects.filter(region=uji).first(),
        start_date=today,
        end_date=today,
        modules=[module],
        actor=None,
    )
    village = Village.objects.filter(district__region=uji).first()
    members = [
        StaffMember.objects.create(
            region=uji, full_name=f"Peserta {i}", employment="pppk", domicile_village=village
        )
        for i in range(8)
    ]
    training.add_participants(session, members, actor=None)
    for m in members:
        training.record_attendance(session, m, today, present=True, actor=None)
        training.record_assessment(m, module, score=90, session=session, actor=None)

    results, errors = run_parallel(
        len(members), lambda i: training.issue_certificate(members[i], session, None).number
    )

    assert errors == []
    prefix = training.number_prefix(uji, training.clock.local_now(uji.timezone).year)
    assert sorted(results) == [f"{prefix}{n:04d}" for n in range(1, len(members) + 1)]
    assert Certificate.objects.count() == len(members)
