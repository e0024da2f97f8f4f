"""Trial days: a Mini MPP still preparing tries itself out before it may operate.

DPMPTSP opens a trial day for today (`start_trial`). While it is open, queueing lets that mall
issue numbers at its kiosk and by its staff (never by phone or Metapers: citizens are not sent
to a room that is not open yet) and counts what was issued and called (`note_issued`,
`note_called`, called inside queueing's own transactions). The go-live gate needs one trial day
with both counts above zero (rollout.gate).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import F
from django.utils.translation import gettext as _

from mpp.core import clock
from mpp.core.db import write_transaction
from mpp.core.models import audit
from mpp.malls.models import Mall
from mpp.rollout.exceptions import RolloutCode, RolloutRefused
from mpp.rollout.models import TrialDay

# queueing.issuing: the channels a trial day takes numbers from (Ticket.Channel values).
TRIAL_CHANNELS = ("kiosk", "staff")


def open_trial(mall: Mall, day: dt.date) -> TrialDay | None:
    """The trial day of `mall` on `day` (its local service day), if the mall is a Mini MPP still
    preparing and DPMPTSP opened one for that day; None otherwise."""
    if mall.kind != Mall.Kind.MINI_MPP or mall.status != Mall.Status.PREPARING:
        return None
    return TrialDay.objects.filter(mall=mall, day=day).first()


def start_trial(mall: Mall, *, actor: Any, note: str = "") -> TrialDay:
    """Open today's trial day at a preparing Mini MPP (audited); opening it twice returns the
    one already open."""
    if mall.kind != Mall.Kind.MINI_MPP or mall.status != Mall.Status.PREPARING:
        raise RolloutRefused(
            _("Hari uji coba hanya untuk Mini MPP yang berstatus persiapan."),
            RolloutCode.TRIAL_NOT_PREPARING,
        )
    today = clock.now().astimezone(mall.zone).date()
    with write_transaction():
        trial, created = TrialDay.objects.get_or_create(
            mall=mall,
            day=today,
            defaults={
                "opened_by": actor if getattr(actor, "pk", None) else None,
                "note": note.strip()[:200],
            },
        )
        if created:
            audit(
                actor=actor,
                action="rollout.trial_opened",
                obj=trial,
                mall_id=mall.pk,
                data={"day": today.isoformat()},
            )
    return trial


def note_issued(mall_id: int, day: dt.date) -> None:
    """One more number issued on `mall_id`'s trial day (nothing when there is none)."""
    TrialDay.objects.filter(mall_id=mall_id, day=day).update(tickets_issued=F("tickets_issued") + 1)


def note_called(mall_id: int, day: dt.date) -> None:
    """One more number called on `mall_id`'s trial day (nothing when there is none)."""
    TrialDay.objects.filter(mall_id=mall_id, day=day).update(tickets_called=F("tickets_called") + 1)
