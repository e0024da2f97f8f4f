"""Fixtures of the floor-plan tests: the demo halls of Kukar, built on demand."""

from __future__ import annotations

import pytest


@pytest.fixture
def halls(kukar):  # type: ignore[no-untyped-def]
    """The demo halls of the MPP and every Mini MPP (idempotent)."""
    from mpp.metapers.demo import ensure_demo_halls

    ensure_demo_halls(kukar)
    return kukar


@pytest.fixture
def hall_mpp(halls, mall_mpp):  # type: ignore[no-untyped-def]
    from mpp.metapers.models import Hall

    return Hall.objects.get(mall=mall_mpp)


@pytest.fixture
def hall_loakulu(halls, mall_loakulu):  # type: ignore[no-untyped-def]
    from mpp.metapers.models import Hall

    return Hall.objects.get(mall=mall_loakulu)


@pytest.fixture
def monday(kukar):  # type: ignore[no-untyped-def]
    """Monday 30 November 2026, 09:00 WITA: the malls are open; the clock moves when told."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    import time_machine

    with time_machine.travel(
        dt.datetime(2026, 11, 30, 9, 0, tzinfo=ZoneInfo("Asia/Makassar")), tick=False
    ) as traveller:
        yield traveller
