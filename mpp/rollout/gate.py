"""The go-live gate: a mall's status changes here only, so that "operating" means ready.

A Mini MPP becomes "operating" only when every mandatory readiness item is done and a trial day
served numbers (issued and called at least one); going back (operating → preparing or planned,
preparing → planned) needs a reason. The MPP has no checklist: only the reason rule applies.
Every change is a MallStatusChange and an audit entry, in one transaction (issue 19, ADR 0031).
The admin shows the status read-only and links here (malls.admin); the page
(views_readiness) and the API (api_status) call `set_mall_status`.
"""

from __future__ import annotations

from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mpp.core import clock
from mpp.core.db import write_transaction
from mpp.core.models import audit
from mpp.core.privacy import mask_personal_data
from mpp.malls.models import Mall
from mpp.rollout.exceptions import RolloutCode, RolloutRefused
from mpp.rollout.models import MallStatusChange, ReadinessItem, TrialDay
from mpp.rollout.readiness import ensure_items, open_mandatory_items

Status = Mall.Status

_RANK = {Status.PLANNED: 0, Status.PREPARING: 1, Status.OPERATING: 2}
REASON_MAX_LENGTH = 1000


def is_going_back(from_status: str, to_status: str) -> bool:
    return _RANK.get(Status(to_status), 0) < _RANK.get(Status(from_status), 0)


def served_trial(mall: Mall) -> TrialDay | None:
    """A trial day of `mall` on which numbers were both issued and called."""
    return (
        TrialDay.objects.filter(mall=mall, tickets_issued__gt=0, tickets_called__gt=0)
        .order_by("-day")
        .first()
    )


def open_item_rows(items: list[ReadinessItem]) -> list[dict[str, Any]]:
    """The open items as the API and the refusal name them."""
    return [
        {
            "id": i.pk,
            "code": i.template.code,
            "title": i.template.title,
            "owner": i.owner.short_name,
            "due_date": i.due_date.isoformat(),
            "status": i.status,
        }
        for i in items
    ]


def gate_problems(mall: Mall) -> list[str]:
    """What keeps `mall` from "operating", one sentence each (empty: nothing; an MPP: always)."""
    if mall.kind != Mall.Kind.MINI_MPP:
        return []
    problems = [
        _("%(t)s (%(o)s, tenggat %(d)s): %(s)s")
        % {
            "t": i.template.title,
            "o": i.owner.short_name,
            "d": date_format(i.due_date, "j M Y"),
            "s": i.get_status_display().lower(),
        }
        for i in open_mandatory_items(mall)
    ]
    if served_trial(mall) is None:
        problems.append(_("Belum ada hari uji coba yang mengambil dan memanggil nomor antrean."))
    return problems


def set_mall_status(mall: Mall, status: str, *, actor: Any, reason: str = "") -> Mall:
    """Change `mall`'s status through the gate; returns the mall as saved.

    Invariants: a Mini MPP is set "operating" only with every mandatory item DONE and a trial
    day served (RolloutRefused readiness_incomplete, 409, extra open_items); going back needs a
    reason (reason_required); the same status again changes nothing and writes nothing; the
    first "operating" sets opened_on when it is empty. Access (access_rollout_editor and the
    mall's region) is the caller's."""
    if status not in Status.values:
        raise RolloutRefused(
            _("Status harus salah satu dari: planned, preparing, operating."),
            RolloutCode.BAD_STATUS,
        )
    reason, _masked = mask_personal_data(reason.strip()[:REASON_MAX_LENGTH])
    with write_transaction():
        # FOR NO KEY UPDATE: a ticket's insert checks its mall with FOR KEY SHARE, which a
        # FOR UPDATE here would make every kiosk of the mall wait on (issue 17's lesson).
        locked = (
            Mall.objects.select_for_update(of=("self",), no_key=True)
            .select_related("region", "district")
            .get(pk=mall.pk)
        )
        before = locked.status
        if before == status:
            return locked
        if is_going_back(before, status) and not reason:
            raise RolloutRefused(
                _("Sebutkan alasan mengembalikan status %(m)s dari “%(a)s” ke “%(b)s”.")
                % {
                    "m": locked.short_name,
                    "a": Status(before).label,
                    "b": Status(status).label,
                },
                RolloutCode.REASON_REQUIRED,
            )
        if status == Status.OPERATING and locked.kind == Mall.Kind.MINI_MPP:
            _check_ready(locked)
        locked.status = status
        fields = ["status"]
        if status == Status.OPERATING and locked.opened_on is None:
            locked.opened_on = clock.now().astimezone(locked.zone).date()
            fields.append("opened_on")
        locked.save(update_fields=fields)
        change = MallStatusChange.objects.create(
            mall=locked,
            from_status=before,
            to_status=status,
            reason=reason,
            actor=actor if getattr(actor, "pk", None) else None,
        )
        audit(
            actor=actor,
            action="mall.status_changed",
            obj=locked,
            mall_id=locked.pk,
            data={"from": before, "to": status, "reason": reason, "change_id": change.pk},
        )
    return locked


def _check_ready(mall: Mall) -> None:
    ensure_items(mall)  # a template item added since the loader ran counts too
    items = open_mandatory_items(mall)
    trial = served_trial(mall)
    if not items and trial is not None:
        return
    parts = []
    if items:
        parts.append(
            _("butir wajib yang belum selesai: %(items)s")
            % {"items": "; ".join(f"{i.template.title} ({i.owner.short_name})" for i in items)}
        )
    if trial is None:
        parts.append(_("belum ada hari uji coba yang mengambil dan memanggil nomor antrean"))
    raise RolloutRefused(
        _("%(m)s belum dapat beroperasi: %(why)s.")
        % {"m": mall.short_name, "why": "; ".join(parts)},
        RolloutCode.READINESS_INCOMPLETE,
        status=409,
        extra={"open_items": open_item_rows(items), "trial_served": trial is not None},
    )
