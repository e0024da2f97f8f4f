"""Complaints' periodic work in the worker's scheduler (core/jobs.py; times are UTC): late
complaints escalated to the mall's supervisors, each once (actions.escalate_late_complaints)."""

from __future__ import annotations

from mpp.core.jobs import crontab, periodic


@periodic(crontab(minute="*/15"))
def escalate_late_complaints() -> int:
    """Complaints not verified by `verify_by` or not answered by `answer_by`: told once."""
    from mpp.complaints.actions import escalate_late_complaints as run

    return run()
