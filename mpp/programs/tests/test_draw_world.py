"""Rows for the draw's, the report's and retention's tests: couples already married, written
straight to the database in a known state (the KUA's and Disdukcapil's steps have their own
tests), so a figure can be checked against a number counted by hand."""

from __future__ import annotations

import datetime as dt

import time_machine

from mpp.programs.models import CivilTask, Programme, Registration
from mpp.programs.tests import world

# A KK done the afternoon of the akad (10 April, 08.30 WITA = 00.30 UTC), and one the next
# morning at 07.30 WITA: 23.30 UTC on 10 April, the akad's day by UTC but not by the local date.
SAME_DAY = dt.datetime(2026, 4, 10, 14, 0, tzinfo=world.WITA)
NEXT_MORNING = dt.datetime(2026, 4, 11, 7, 30, tzinfo=world.WITA)


def registered(found: Programme, **kwargs: object) -> Registration:
    """A fresh couple registered online, whatever time the test froze."""
    with time_machine.travel(world.REGISTRATION_TIME, tick=False):
        return world.register(found, **kwargs)


def married(
    found: Programme,
    *,
    book: str = "",
    kk_done_at: dt.datetime | None = None,
    ktp_done: int = 0,
    receipt: str = "",
    **kwargs: object,
) -> Registration:
    """A couple married at the akad (08.30 WITA), with its three civil tasks: the KK done at
    `kk_done_at` (open if None) and `ktp_done` of the two KTP-el done."""
    registration = registered(found, **kwargs)
    Registration.objects.filter(pk=registration.pk).update(
        status=Registration.Status.MARRIED,
        married_at=world.AKAD_TIME,
        marriage_book_number=book,
        receipt_number=receipt,
    )
    done = CivilTask.Status.DONE
    CivilTask.objects.create(
        registration=registration,
        kind=CivilTask.Kind.KK,
        status=done if kk_done_at else CivilTask.Status.OPEN,
        done_at=kk_done_at,
    )
    for i, kind in enumerate([CivilTask.Kind.KTP_GROOM, CivilTask.Kind.KTP_BRIDE]):
        CivilTask.objects.create(
            registration=registration,
            kind=kind,
            status=done if i < ktp_done else CivilTask.Status.OPEN,
            done_at=SAME_DAY if i < ktp_done else None,
        )
    registration.refresh_from_db()
    return registration


def with_status(found: Programme, status: str) -> Registration:
    registration = registered(found)
    Registration.objects.filter(pk=registration.pk).update(status=status)
    registration.refresh_from_db()
    return registration
