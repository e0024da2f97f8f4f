"""The queue's background work (core/jobs.py): the "3 nomor lagi" and "giliran Anda" alerts
(queueing/alerts.py, docs/adr/0033)."""

from __future__ import annotations

from mpp.core.jobs import crontab, periodic, task


@task()
def check_ticket_alerts(mall_id: int) -> None:
    """Asked after a call at the mall commits."""
    from mpp.queueing import alerts

    alerts.check(mall_id)


@periodic(crontab(minute="*"))
def sweep_ticket_alerts() -> int:
    """Every minute: the checks lost with a queue out of reach are made up."""
    from mpp.queueing import alerts

    return sum(alerts.check(mall_id) for mall_id in alerts.malls_with_pending_alerts())


@periodic(crontab(hour="16", minute="30"))  # 00:30 WITA: the day of every ticket has ended
def erase_ended_ticket_alerts() -> int:
    """Contacts of alerts whose ticket's day has ended are blanked."""
    from mpp.queueing import alerts

    return alerts.erase_ended()
