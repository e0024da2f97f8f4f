"""Deadline alerts of applications (issue 22, item 4; docs/adr/0037), run by the worker's
scheduler every five minutes (core/jobs.py; times are UTC).

The mall's supervisors are told by e-mail once an open application whose clock runs has used
75 % of its time (`warn_at`), and once it is past its due moment without being completed
(`due_at`). "Never twice", also when two schedulers overlap or a run is retried:

1. each alert is claimed first with a conditional UPDATE (`warned_at` / `overdue_alerted_at`
   still null); only the run whose UPDATE changed the row sends, in the same transaction;
2. each message has an outbox once-only key naming the application, the threshold's moment and
   the supervisor, so a message written twice is one row (notifications.outbox).

A return to the citizen stops the clock (no alert while stopped); when the files come back,
actions.move pushes the moments later and clears the claim of a moment that moved, so the new
75 % and 100 % moments alert once each: the moment is in the key, so the outbox does not take
the new alert for the old one.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db.models import Q, QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mpp.accounts.models import Role, StaffProfile
from mpp.applications.models import Application
from mpp.applications.queries import open_applications
from mpp.core import clock
from mpp.core.db import write_transaction
from mpp.core.jobs import crontab, periodic
from mpp.notifications import outbox

logger = logging.getLogger("mpp.applications")

KIND = "application.deadline"
# Applications alerted per threshold and run: a backlog (a worker down for a day) drains over a
# few runs instead of one long transaction-holding run.
BATCH = 200

WARN = "warn"
OVERDUE = "overdue"


def _candidates(now: dt.datetime) -> tuple[QuerySet[Application], QuerySet[Application]]:
    """(reached 75 % and not yet warned, past due and not yet alerted): open, not completed,
    the clock running."""
    running = open_applications().filter(completed_at__isnull=True, paused_since__isnull=True)
    warn = running.filter(warn_at__lte=now, warned_at__isnull=True).filter(
        # Past due already (a short service, a worker back after a while): the overdue alert
        # alone says it; the 75 % one would arrive in the same minute.
        Q(due_at__isnull=True) | Q(due_at__gte=now)
    )
    late = running.filter(due_at__lt=now, overdue_alerted_at__isnull=True)
    related = ("mall", "mall__region", "service", "service__tenant")
    return (
        warn.select_related(*related).order_by("warn_at", "id"),
        late.select_related(*related).order_by("due_at", "id"),
    )


def send_deadline_alerts() -> int:
    """Claim and send every alert due now; the number of alerts claimed (applications ×
    thresholds), whether or not the mall has a supervisor with an e-mail address."""
    now = clock.now()
    warn, late = _candidates(now)
    claimed = 0
    for application in list(warn[:BATCH]):
        claimed += _claim_and_send(application, WARN, now=now)
    for application in list(late[:BATCH]):
        claimed += _claim_and_send(application, OVERDUE, now=now)
    return claimed


def _claim_and_send(application: Application, threshold: str, *, now: dt.datetime) -> int:
    field, moment_field = (
        ("warned_at", "warn_at") if threshold == WARN else ("overdue_alerted_at", "due_at")
    )
    moment: dt.datetime | None = getattr(application, moment_field)
    assert moment is not None  # the candidates' filter
    with write_transaction():
        # The claim: the moment must still be the one read (a step in between may have moved
        # or cleared it) and nobody must have claimed it; 0 rows: someone else's, or moot.
        won = Application.objects.filter(
            pk=application.pk,
            completed_at__isnull=True,
            paused_since__isnull=True,
            **{f"{field}__isnull": True, moment_field: moment},
        ).update(**{field: now})
        if not won:
            return 0
        for profile in supervisors_of(application):
            try:
                outbox.send(
                    kind=KIND,
                    key=f"application-{application.pk}-{threshold}-{int(moment.timestamp())}"
                    f"-{profile.user_id}",
                    email=profile.user.email,
                    subject=_subject(application, threshold),
                    text=_text(application, threshold),
                    mall=application.mall,
                )
            except ValueError:  # an address the outbox cannot use: the others still get it
                logger.warning("deadline alert: unusable e-mail of user %s", profile.user_id)
    return 1


def supervisors_of(application: Application) -> list[StaffProfile]:
    """The mall's supervisors with an e-mail address, active accounts only."""
    return list(
        StaffProfile.objects.filter(
            role=Role.MALL_SUPERVISOR, mall_id=application.mall_id, user__is_active=True
        )
        .exclude(user__email="")
        .select_related("user")
        .order_by("user_id")
    )


def _subject(application: Application, threshold: str) -> str:
    if threshold == WARN:
        return _("Permohonan %(c)s mendekati batas waktu") % {"c": application.grouped_code}
    return _("Permohonan %(c)s lewat batas waktu") % {"c": application.grouped_code}


def _text(application: Application, threshold: str) -> str:
    values = {
        "c": application.grouped_code,
        "service": application.service.name,
        "tenant": application.service.tenant.short_name,
        "mall": application.mall.short_name,
        "due": date_format(application.due_date, "l, j F Y") if application.due_date else "—",
        "status": application.get_status_display().lower(),
    }
    if threshold == WARN:
        first = _(
            "Permohonan %(c)s (%(service)s, %(tenant)s) di %(mall)s telah memakai 75%% jangka "
            "waktunya: batas selesai %(due)s, status kini %(status)s."
        )
    else:
        first = _(
            "Permohonan %(c)s (%(service)s, %(tenant)s) di %(mall)s lewat batas selesai "
            "%(due)s dan belum selesai: status kini %(status)s."
        )
    return (first % values) + "\n" + _("Lihat daftar Permohonan berjalan di halaman awal petugas.")


@periodic(crontab(minute="*/5"))
def deadline_alerts() -> int:
    """Every five minutes: the 75 % and overdue alerts to the malls' supervisors, once each."""
    return send_deadline_alerts()
