"""Ten KUA officers' clicks schedule ten approved couples into one akad session of four places
at the same instant: exactly four are scheduled, six refused "session_full", and the session
counts four. Real threads against the configured database (SQLite in `make test`, PostgreSQL
in CI's second pass), as queueing's test_concurrency does: the conditional UPDATE of
`scheduled_count` decides, under PostgreSQL's row lock or SQLite's one writer."""

from __future__ import annotations

import pytest

from mpp.core.tests.clients import run_parallel
from mpp.programs import kua
from mpp.programs.exceptions import ProgramRefused
from mpp.programs.models import AkadSession, Registration
from mpp.programs.tests import world
from mpp.programs.tests.test_kua import approved

pytestmark = pytest.mark.django_db(transaction=True)


def test_ten_couples_at_once_into_four_places_schedule_exactly_four(kukar):
    officer = world.kua_officer()
    found = world.programme(capacities=(4,))
    session = found.sessions.get()
    couples = [approved(found, officer) for _ in range(10)]

    def work(i: int) -> str:
        try:
            kua.schedule_couple(registration=couples[i], session=session, acting_user=officer)
        except ProgramRefused as refused:
            return str(refused.code)
        return "scheduled"

    results, errors = run_parallel(len(couples), work)

    assert errors == []
    assert sorted(results) == ["scheduled"] * 4 + ["session_full"] * 6
    assert AkadSession.objects.get(pk=session.pk).scheduled_count == 4
    assert Registration.objects.filter(session=session, status="scheduled").count() == 4
    assert Registration.objects.filter(status="approved").count() == 6
