"""Booking's periodic work in the worker's scheduler (core/jobs.py; times are UTC). Each run is
idempotent (appointments.upkeep)."""

from __future__ import annotations

from mpp.core.jobs import crontab, periodic


@periodic(crontab(minute="*/5"))
def close_hit_appointments() -> int:
    """Bookings hit by a holiday, a closure or a tenant's day off: cancelled, people told."""
    from mpp.appointments.upkeep import close_hit_appointments as run

    return run()


@periodic(crontab(minute="*/5"))
def mark_no_shows() -> int:
    """Bookings whose check-in window ended without a check-in: no-shows."""
    from mpp.appointments.upkeep import mark_no_shows as run

    return run()


@periodic(crontab(minute="*/15"))
def send_reminders() -> int:
    """The day-before reminders, once each, to people who asked for messages."""
    from mpp.appointments.upkeep import send_reminders as run

    return run()
