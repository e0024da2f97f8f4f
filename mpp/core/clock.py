"""One place to read the time, so tests can freeze it (time-machine) and zones stay explicit."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone


def now() -> dt.datetime:
    """The current instant, timezone-aware (UTC)."""
    return timezone.now()


def local_now(tz_name: str) -> dt.datetime:
    """The current wall-clock time in the zone `tz_name` (a mall's zone, e.g. Asia/Makassar)."""
    return now().astimezone(ZoneInfo(tz_name))
