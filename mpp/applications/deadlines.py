"""When an application is due (docs/adr/0037): the service's published time counted from the
day the files were received, skipping the days the clock stood still.

`schedule` reads nothing but the region's holidays: the same answer for the receipt, every
step, the staff's lists and the reports.

- hari_kerja: the value-th working day after the received day (Monday to Friday, not a
  holiday nor cuti bersama of malls.Holiday), not counting days inside a pause;
- hari: the value-th calendar day after the received day, likewise;
- menit/jam: received_at + the duration + the time paused; due_date is that moment's day
  (the received day for a same-visit service);
- no value (the standard names no fixed time, "sesuai jadwal sidang"): all None, never overdue.

A pause's days are those after the day it started, up to and including the day it ended:
the files went back on Tuesday and came back on Thursday, so Wednesday and Thursday do not
count (the citizen had them), and Tuesday does (the office had them that morning). While a
pause is still open nothing is due: the three values are None until the files come back.

Day units end at the end of the due day (local midnight after it): "14 hari kerja" is kept
by finishing at any time on the 14th day. The warning moment (75 %) is the start of the
ceil(0.75 × value)-th counted day, never later than 75 % of the time and always before the
due moment (for 1 day: when the received day ends).
"""

from __future__ import annotations

import datetime as dt
import math
from zoneinfo import ZoneInfo

from mpp.malls.calendar import holidays_in, is_working_day
from mpp.malls.models import Region

WORKING_DAYS = "hari_kerja"
CALENDAR_DAYS = "hari"
MINUTES = "menit"
HOURS = "jam"

Pauses = list[tuple[dt.datetime, dt.datetime | None]]
Schedule = tuple[dt.date | None, dt.datetime | None, dt.datetime | None]


def schedule(
    *,
    region: Region,
    unit: str,
    value: int | None,
    received_at: dt.datetime,
    pauses: Pauses,
) -> Schedule:
    """(due_date, due_at, warn_at) of an application received at `received_at`."""
    if not value or not unit or any(end is None for _start, end in pauses):
        return None, None, None
    zone = ZoneInfo(region.timezone)
    closed = [(start, end) for start, end in pauses if end is not None]
    if unit in (MINUTES, HOURS):
        return _same_visit(zone, unit, value, received_at, closed)
    if unit not in (WORKING_DAYS, CALENDAR_DAYS):
        raise ValueError(f"unknown duration unit {unit!r}")
    received_on = received_at.astimezone(zone).date()
    days = _counted_days(
        region, received_on, value, working=unit == WORKING_DAYS, paused=_paused_days(zone, closed)
    )
    due_date = days[-1]
    warn_day = days[math.ceil(0.75 * value) - 1]
    return due_date, _start_of(due_date + dt.timedelta(days=1), zone), _start_of(warn_day, zone)


def _same_visit(
    zone: ZoneInfo,
    unit: str,
    value: int,
    received_at: dt.datetime,
    closed: list[tuple[dt.datetime, dt.datetime]],
) -> Schedule:
    duration = dt.timedelta(minutes=value * (60 if unit == HOURS else 1))
    paused = sum((end - start for start, end in closed), dt.timedelta())
    due_at = received_at + duration + paused
    warn_at = received_at + duration * 0.75 + paused
    # The contract's due date for minutes and hours is the day the files were received (again,
    # after a stop of the clock): the promise is "on the same visit", whatever the hour.
    received_again = max([received_at, *(end for _start, end in closed)])
    return received_again.astimezone(zone).date(), due_at, warn_at


def _paused_days(zone: ZoneInfo, closed: list[tuple[dt.datetime, dt.datetime]]) -> set[dt.date]:
    days: set[dt.date] = set()
    for start, end in closed:
        day, last = start.astimezone(zone).date(), end.astimezone(zone).date()
        while day < last:
            day += dt.timedelta(days=1)
            days.add(day)
    return days


def _counted_days(
    region: Region, received_on: dt.date, value: int, *, working: bool, paused: set[dt.date]
) -> list[dt.date]:
    """The first `value` days after `received_on` that count, in order."""
    window_end = received_on + dt.timedelta(days=value * 2 + 30 + len(paused))
    holidays = holidays_in(region, received_on, window_end) if working else set()
    counted: list[dt.date] = []
    day = received_on
    while len(counted) < value:
        day += dt.timedelta(days=1)
        if working and day > window_end:  # pragma: no cover - a calendar of holidays only
            holidays |= holidays_in(region, day, day + dt.timedelta(days=60))
            window_end = day + dt.timedelta(days=60)
        if day in paused or (working and not is_working_day(day, holidays)):
            continue
        counted.append(day)
    return counted


def _start_of(day: dt.date, zone: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=zone)
