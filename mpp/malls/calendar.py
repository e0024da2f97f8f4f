"""Working days of a region: Monday to Friday, except the national holidays and collective leave
(cuti bersama) of its calendar (malls.Holiday, from the region's holidays.tsv).

Deadlines that regulations count in working days ("paling lambat 10 hari kerja sebelum akad",
PMA 30/2024 Art. 3) are computed here, so every page, API and report counts them the same way.
"""

from __future__ import annotations

import datetime as dt

from mpp.malls.models import Holiday, Region

SATURDAY = 5


def holidays_in(region: Region, first: dt.date, last: dt.date) -> set[dt.date]:
    """The region's holidays and collective leave days from `first` to `last`, inclusive."""
    return set(
        Holiday.objects.filter(region=region, date__range=(first, last)).values_list(
            "date", flat=True
        )
    )


def is_working_day(day: dt.date, holidays: set[dt.date]) -> bool:
    return day.weekday() < SATURDAY and day not in holidays


def working_days_between(region: Region, first: dt.date, last: dt.date) -> int:
    """How many working days lie strictly between `first` and `last` (both excluded)."""
    if last <= first + dt.timedelta(days=1):
        return 0
    start, end = first + dt.timedelta(days=1), last - dt.timedelta(days=1)
    holidays = holidays_in(region, start, end)
    count = 0
    day = start
    while day <= end:
        count += is_working_day(day, holidays)
        day += dt.timedelta(days=1)
    return count


def latest_day_before(region: Region, event: dt.date, *, working_days: int) -> dt.date:
    """The last day on which `working_days` working days still lie strictly between that day
    and `event`: for an akad on Friday 10 April 2026 and 10 working days, Wednesday 25 March
    2026 (Good Friday, 3 April, is a holiday)."""
    # Walk back from the day before the event, counting working days; the answer is the day
    # before the `working_days`-th one. A generous window covers Idulfitri's long closures.
    window_start = event - dt.timedelta(days=working_days * 3 + 30)
    holidays = holidays_in(region, window_start, event)
    day, counted = event, 0
    while counted < working_days:
        day -= dt.timedelta(days=1)
        if day < window_start:  # pragma: no cover - more holidays than any calendar has
            holidays |= holidays_in(region, day - dt.timedelta(days=60), day)
            window_start = day - dt.timedelta(days=60)
        counted += is_working_day(day, holidays)
    return day - dt.timedelta(days=1)


def add_working_days(region: Region, day: dt.date, n: int) -> dt.date:
    """The `n`-th working day after `day` (`day` itself when `n` is 0): for Friday 27 March
    2026 and 5 working days, Monday 6 April 2026 (Good Friday, 3 April, is a holiday).

    Deadlines counted in working days (a service's "14 hari kerja", a complaint's 3-day
    verification) all come from here or from applications.deadlines, which skips the same days."""
    if n < 0:
        raise ValueError("n must be 0 or more")
    # A generous window covers Idulfitri's week of cuti bersama; widened if ever too short.
    window_end = day + dt.timedelta(days=n * 2 + 30)
    holidays = holidays_in(region, day, window_end)
    counted = 0
    while counted < n:
        day += dt.timedelta(days=1)
        if day > window_end:  # pragma: no cover - more holidays than any calendar has
            holidays |= holidays_in(region, day, day + dt.timedelta(days=60))
            window_end = day + dt.timedelta(days=60)
        counted += is_working_day(day, holidays)
    return day
