"""Two BKPSDM clerks post the same person at the same instant, each to another Mini MPP: one
posting is made, the other refused ("already_assigned"). Real threads against the configured
database (SQLite in `make test`, PostgreSQL in CI's second pass), as queueing's
test_concurrency does: on PostgreSQL the member's row lock decides, on SQLite the IMMEDIATE
transactions."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from mpp.malls.models import District, Mall, Village
from mpp.rollout import roster
from mpp.rollout.exceptions import RolloutRefused
from mpp.rollout.models import Assignment, StaffMember

pytestmark = pytest.mark.django_db(transaction=True)


def run_parallel(n: int, work: Callable[[int], Any]) -> tuple[list[Any], list[BaseException]]:
    """Start `n` threads at the same instant (a barrier); collect their results and errors.
    (queueing's test_concurrency has the same helper; rollout imports nothing of queueing.)"""
    start = threading.Barrier(n)
    results: list[Any] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def client(i: int) -> None:
        try:
            start.wait(timeout=30)
            out = work(i)
            with lock:
                results.append(out)
        except BaseException as exc:
            with lock:
                errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results, errors


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
