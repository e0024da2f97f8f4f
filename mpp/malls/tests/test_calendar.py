"""Working days of the region's calendar (malls.calendar)."""

from __future__ import annotations

import datetime as dt

import pytest

from mpp.malls.calendar import add_working_days, latest_day_before, working_days_between

pytestmark = pytest.mark.django_db


def test_good_friday_is_skipped_so_the_deadline_of_10_april_2026_is_25_march(kukar):
    assert latest_day_before(kukar, dt.date(2026, 4, 10), working_days=10) == dt.date(2026, 3, 25)
    assert working_days_between(kukar, dt.date(2026, 3, 25), dt.date(2026, 4, 10)) == 10
    assert working_days_between(kukar, dt.date(2026, 3, 26), dt.date(2026, 4, 10)) == 9


def test_idulfitri_and_its_collective_leave_are_not_working_days(kukar):
    # 18–24 March 2026: Nyepi's leave and day, Idulfitri, its leave; 22nd is a Sunday.
    assert working_days_between(kukar, dt.date(2026, 3, 17), dt.date(2026, 3, 25)) == 0


def test_both_ends_are_excluded_and_a_short_span_has_none(kukar):
    monday, tuesday = dt.date(2026, 11, 30), dt.date(2026, 12, 1)
    assert working_days_between(kukar, monday, tuesday) == 0
    assert working_days_between(kukar, monday, monday) == 0
    assert working_days_between(kukar, monday, dt.date(2026, 12, 4)) == 3


def test_add_working_days_skips_good_friday_and_the_weekend(kukar):
    # Friday 27 March 2026 + 5: Mon 30, Tue 31, Wed 1, Thu 2 April, (Good Friday 3rd, weekend),
    # Monday 6 April.
    assert add_working_days(kukar, dt.date(2026, 3, 27), 5) == dt.date(2026, 4, 6)


def test_add_working_days_from_a_weekend_and_zero_days(kukar):
    saturday = dt.date(2026, 12, 5)
    assert add_working_days(kukar, saturday, 1) == dt.date(2026, 12, 7)
    assert add_working_days(kukar, saturday, 0) == saturday
    with pytest.raises(ValueError):
        add_working_days(kukar, saturday, -1)
