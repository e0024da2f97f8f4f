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
