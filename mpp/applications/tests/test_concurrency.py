"""Officers and workers at the same instant: real threads, each with its own connection, against
the configured database (SQLite in `make test`, PostgreSQL in CI's second pass). One
application moves one step at a time; a deadline alert is claimed once however many workers
run the job; a complaint is verified once."""

from __future__ import annotations

import itertools

import pytest
import time_machine

from mpp.applications import actions, jobs
from mpp.applications.exceptions import ApplicationError
from mpp.applications.models import Application, Status, Step
from mpp.applications.tests import world
from mpp.core.tests.clients import run_parallel
from mpp.notifications.models import Message

pytestmark = pytest.mark.django_db(transaction=True)


def _move(code: str, status: str, officer: object) -> str:
    application = Application.objects.select_related("mall__region", "service").get(code=code)
    try:
        actions.move(application=application, status=status, acting_user=officer, note="KK")
    except ApplicationError as refused:
        return str(refused.code)
    return status


def test_officers_moving_one_application_at_once_make_one_step(cast):
    """Eight clicks of "diverifikasi" at once (two officers, a double tap, a retried request):
    the row lock decides them one after the other, so one moves it and seven find it already
    verified (409), and the history holds one step."""
    officer = cast.officer_dukcapil()
    with time_machine.travel(world.MONDAY, tick=False):
        application = actions.open_application(
            mall=world.mpp(), service=world.akta(), acting_user=officer
        )
        results, errors = run_parallel(
            8, lambda _i: _move(application.code, Status.VERIFIED, officer)
        )
    assert errors == []
    assert sorted(results) == sorted(["out_of_order"] * 7 + [Status.VERIFIED])
    application.refresh_from_db()
    assert application.status == Status.VERIFIED
    assert list(application.steps.values_list("status", flat=True)) == [
        Status.RECEIVED,
        Status.VERIFIED,
    ]
    assert Step.objects.count() == 2


def test_a_return_and_a_verification_at_once_leave_a_legal_history(cast):
    """Returned and verified clicked at once: whichever comes second sees the first's status,
    so the history is always a chain of allowed moves and a return always has its pause."""
    officer = cast.officer_dukcapil()
    with time_machine.travel(world.MONDAY, tick=False):
        application = actions.open_application(
            mall=world.mpp(), service=world.akta(), acting_user=officer
        )
        wanted = [Status.VERIFIED, Status.RETURNED] * 4
        results, errors = run_parallel(8, lambda i: _move(application.code, wanted[i], officer))
    assert errors == []
    history = list(application.steps.order_by("at", "pk").values_list("status", flat=True))
    for before, after in itertools.pairwise(history):
        assert after in actions.ALLOWED_MOVES[before], history
    assert len(history) - 1 == len([r for r in results if r != "out_of_order"])
    assert application.pauses.count() == history.count(Status.RETURNED)


def test_workers_running_the_alert_job_at_once_alert_once(cast):
    supervisor = cast.supervisor_mpp()
    supervisor.email = "pengawas@mpp.example"
    supervisor.save(update_fields=["email"])
    with time_machine.travel(world.MONDAY, tick=False):
        application = actions.open_application(
            mall=world.mpp(), service=world.akta(), acting_user=None
        )
    application.refresh_from_db()
    # Well past the due moment: both thresholds have passed; the 75 % one is folded in.
    with time_machine.travel(world.at(20), tick=False):
        results, errors = run_parallel(4, lambda _i: jobs.send_deadline_alerts())
    assert errors == []
    assert sum(results) == 1
    assert Message.objects.filter(kind="application.deadline").count() == 1
