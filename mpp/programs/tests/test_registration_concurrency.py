"""Couples registering at the same instant: the quota holds exactly and one groom is registered
once. Real threads against the configured database (SQLite in `make test`, PostgreSQL in CI's
second pass): the programme's count is a conditional UPDATE, the NIK a unique index."""

from __future__ import annotations

import pytest
import time_machine

from mpp.core.tests.clients import run_parallel
from mpp.programs.exceptions import ProgramRefused
from mpp.programs.models import Person, Programme, Registration
from mpp.programs.registration import register_couple
from mpp.programs.tests import world

pytestmark = pytest.mark.django_db(transaction=True)


@time_machine.travel(world.REGISTRATION_TIME, tick=False)
def test_twelve_couples_at_once_for_five_places_make_five(kukar):
    found = world.programme(quota=5)
    couples = [world.couple() for _ in range(12)]

    def work(i: int) -> str:
        try:
            register_couple(programme=found, couple=couples[i], channel="online", acting_user=None)
        except ProgramRefused as refused:
            return str(refused.code)
        return "registered"

    results, errors = run_parallel(len(couples), work)

    assert errors == []
    assert sorted(results) == ["quota_full"] * 7 + ["registered"] * 5
    assert Registration.objects.filter(programme=found).count() == 5
    assert Programme.objects.get(pk=found.pk).registered_count == 5
    assert Person.objects.filter(programme=found).count() == 5 * 5  # nothing half written


@time_machine.travel(world.REGISTRATION_TIME, tick=False)
def test_one_groom_sent_four_times_at_once_is_registered_once(kukar):
    found = world.programme()
    couples = [world.couple() for _ in range(4)]
    for couple in couples[1:]:
        couple.groom.nik = couples[0].groom.nik

    def work(i: int) -> str:
        try:
            register_couple(programme=found, couple=couples[i], channel="online", acting_user=None)
        except ProgramRefused as refused:
            return str(refused.code)
        return "registered"

    results, errors = run_parallel(len(couples), work)

    assert errors == []
    assert sorted(results) == ["already_registered"] * 3 + ["registered"]
    assert Programme.objects.get(pk=found.pk).registered_count == 1
