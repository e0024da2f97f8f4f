"""Due dates from a service's published time (applications.deadlines.schedule) on Kukar's
calendar: 14–15 May 2026 are Ascension Day and its cuti bersama (Thursday, Friday)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from mpp.applications.deadlines import schedule

pytestmark = pytest.mark.django_db

WITA = ZoneInfo("Asia/Makassar")


def at(day: int, hour: int = 10, minute: int = 0, month: int = 5) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=WITA)


def midnight(day: int, month: int = 5) -> dt.datetime:
    return dt.datetime(2026, month, day, tzinfo=WITA)


def test_working_days_skip_the_weekend_and_the_holidays(kukar):
    # Wednesday 13 May: 14th holiday, 15th cuti bersama, 16–17 weekend; 18, 19, 20 count.
    due_date, due_at, warn_at = schedule(
        region=kukar, unit="hari_kerja", value=3, received_at=at(13), pauses=[]
    )
    assert due_date == dt.date(2026, 5, 20)
    assert due_at == midnight(21)  # any time on the 20th keeps the promise
    assert warn_at == midnight(20)  # start of the ceil(2.25) = 3rd counted day


def test_fourteen_working_days_over_a_weekend(kukar):
    # Monday 6 July 2026 + 14 working days: 7–10, 13–17, 20–24 July (no holidays): the 24th.
    due_date, due_at, warn_at = schedule(
        region=kukar, unit="hari_kerja", value=14, received_at=at(6, month=7), pauses=[]
    )
    assert due_date == dt.date(2026, 7, 24)
    assert due_at == midnight(25, month=7)
    # ceil(10.5) = 11th counted day: 21 July; warned at its start.
    assert warn_at == midnight(21, month=7)


def test_calendar_days_count_weekends_and_holidays(kukar):
    due_date, due_at, warn_at = schedule(
        region=kukar, unit="hari", value=7, received_at=at(13), pauses=[]
    )
    assert due_date == dt.date(2026, 5, 20)
    assert due_at == midnight(21)
    assert warn_at == midnight(19)  # ceil(5.25) = 6th day: the 19th


def test_minutes_and_hours_are_due_the_same_day(kukar):
    due_date, due_at, warn_at = schedule(
        region=kukar, unit="menit", value=40, received_at=at(13), pauses=[]
    )
    assert (due_date, due_at, warn_at) == (dt.date(2026, 5, 13), at(13, 10, 40), at(13, 10, 30))
    due_date, due_at, _warn = schedule(
        region=kukar, unit="jam", value=2, received_at=at(13, 9), pauses=[]
    )
    assert (due_date, due_at) == (dt.date(2026, 5, 13), at(13, 11))


def test_hours_past_midnight_keep_the_received_day_as_the_due_date(kukar):
    """The contract: for menit/jam the due date is the received day; the due moment itself is
    exact, and it is what makes an application overdue."""
    due_date, due_at, _warn = schedule(
        region=kukar, unit="jam", value=24, received_at=at(13, 9), pauses=[]
    )
    assert (due_date, due_at) == (dt.date(2026, 5, 13), at(14, 9))


def test_hours_stopped_overnight_are_due_the_day_the_files_came_back(kukar):
    due_date, due_at, _warn = schedule(
        region=kukar,
        unit="jam",
        value=1,
        received_at=at(13, 9),
        pauses=[(at(13, 9, 30), at(14, 10))],
    )
    assert (due_date, due_at) == (dt.date(2026, 5, 14), at(14, 10, 30))


def test_a_pause_across_days_pushes_the_due_date_by_its_working_days(kukar):
    # Monday 6 July, 5 working days: Monday 13 July. The files went back on Tuesday the 7th
    # and came back on Thursday the 9th: the 8th and 9th do not count, so two days later.
    due_date, due_at, _warn = schedule(
        region=kukar,
        unit="hari_kerja",
        value=5,
        received_at=at(6, month=7),
        pauses=[(at(7, 11, month=7), at(9, 9, month=7))],
    )
    assert due_date == dt.date(2026, 7, 15)
    assert due_at == midnight(16, month=7)


def test_a_pause_within_one_day_moves_nothing_for_day_units(kukar):
    unpaused = schedule(
        region=kukar, unit="hari_kerja", value=5, received_at=at(6, month=7), pauses=[]
    )
    paused = schedule(
        region=kukar,
        unit="hari_kerja",
        value=5,
        received_at=at(6, month=7),
        pauses=[(at(7, 9, month=7), at(7, 15, month=7))],
    )
    assert paused == unpaused


def test_a_pause_adds_its_time_to_minutes(kukar):
    due_date, due_at, _warn = schedule(
        region=kukar,
        unit="menit",
        value=60,
        received_at=at(13, 9),
        pauses=[(at(13, 9, 20), at(13, 10, 5))],
    )
    assert (due_date, due_at) == (dt.date(2026, 5, 13), at(13, 10, 45))


def test_calendar_days_skip_paused_days_too(kukar):
    due_date, _due_at, _warn = schedule(
        region=kukar,
        unit="hari",
        value=3,
        received_at=at(6, month=7),
        pauses=[(at(6, 15, month=7), at(8, 8, month=7))],
    )
    # 7th and 8th paused: 9, 10, 11 July count.
    assert due_date == dt.date(2026, 7, 11)


def test_an_open_pause_makes_nothing_due(kukar):
    assert schedule(
        region=kukar,
        unit="hari_kerja",
        value=5,
        received_at=at(6, month=7),
        pauses=[(at(7, month=7), None)],
    ) == (None, None, None)


@pytest.mark.parametrize(("unit", "value"), [("", None), ("hari_kerja", None), ("", 3)])
def test_no_fixed_time_means_no_due_date(kukar, unit, value):
    assert schedule(region=kukar, unit=unit, value=value, received_at=at(13), pauses=[]) == (
        None,
        None,
        None,
    )


def test_one_working_day_warns_when_the_received_day_ends(kukar):
    _due_date, due_at, warn_at = schedule(
        region=kukar, unit="hari_kerja", value=1, received_at=at(6, 15, month=7), pauses=[]
    )
    assert warn_at == midnight(7, month=7)
    assert due_at == midnight(8, month=7)


def test_an_unknown_unit_is_a_programming_error(kukar):
    with pytest.raises(ValueError):
        schedule(region=kukar, unit="minggu", value=2, received_at=at(13), pauses=[])
