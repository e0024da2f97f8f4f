"""The demo's applications: a few in different states at MPP Kukar, made once."""

from __future__ import annotations

import pytest
import time_machine

from mpp.applications.demo import load_demo_applications
from mpp.applications.models import Application
from mpp.applications.tests import world

pytestmark = pytest.mark.django_db


def test_the_demo_makes_applications_in_several_states_once(kukar):
    with time_machine.travel(world.MONDAY, tick=False):
        made = load_demo_applications(kukar)
        assert len(made) >= 5
        statuses = set(Application.objects.values_list("status", flat=True))
        assert {"diterima", "dikembalikan", "siap_diambil", "diambil"} <= statuses
        paused = Application.objects.get(status="dikembalikan")
        assert paused.paused_since is not None and paused.returned_note
        assert load_demo_applications(kukar) == []
        assert Application.objects.count() == len(made)


def test_the_demo_history_reads_like_work_done_over_days(kukar):
    """Each application is received on a working day, its steps follow one another in time,
    none in the future, and its due moments are those the steps' times give."""
    from mpp.applications import deadlines
    from mpp.malls import calendar

    with time_machine.travel(world.MONDAY, tick=False):
        made = load_demo_applications(kukar)
        now = made[0].mall.local_now()
        for application in made:
            holidays = calendar.holidays_in(kukar, application.received_on, application.received_on)
            assert calendar.is_working_day(application.received_on, holidays)
            times = list(application.steps.values_list("at", flat=True))
            assert times == sorted(times) and len(set(times)) == len(times)
            assert times[0] == application.received_at and times[-1] <= now
            if application.collected_at:
                assert application.completed_at < application.collected_at
            pauses = list(application.pauses.values_list("started_at", "ended_at"))
            assert (application.due_date, application.due_at, application.warn_at) == (
                deadlines.schedule(
                    region=kukar,
                    unit=application.duration_unit,
                    value=application.duration_value,
                    received_at=application.received_at,
                    pauses=pauses,
                )
            )
        overdue = [a for a in made if a.due_at and a.due_at < now and a.completed_at is None]
        assert overdue, "the demo shows one application past its due date"
