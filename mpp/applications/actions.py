"""Opening an application and moving it along its steps (docs/adr/0037). Every change is one
write transaction: the application row, its Step, its Pause, the audit entry and the message
are written together or not at all.

Allowed moves (issue 22):

    diterima      -> diverifikasi | dikembalikan
    diverifikasi  -> diproses | dikembalikan
    diproses      -> selesai | siap_diambil | dikembalikan
    dikembalikan  -> diterima            (the files are complete again: the clock resumes)
    selesai       -> diambil
    siap_diambil  -> diambil

Two officers moving the same application at once: `move` locks its row first
(select_for_update, and the in-process writer lock on SQLite), so the second sees the first's
status and is refused (409) if its step no longer follows.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from mpp.applications import messages
from mpp.applications.deadlines import schedule
from mpp.applications.exceptions import ApplicationCode, ApplicationError
from mpp.applications.models import Application, Pause, Status, Step, new_code
from mpp.catalog.models import MallTenant, Service
from mpp.core import clock
from mpp.core.db import write_transaction
from mpp.core.models import audit
from mpp.core.privacy import mask_personal_data
from mpp.malls.models import Mall
from mpp.notifications.phone import InvalidPhone, parse_phone

ALLOWED_MOVES: dict[str, tuple[str, ...]] = {
    Status.RECEIVED: (Status.VERIFIED, Status.RETURNED),
    Status.VERIFIED: (Status.PROCESSING, Status.RETURNED),
    Status.PROCESSING: (Status.DONE, Status.READY, Status.RETURNED),
    Status.RETURNED: (Status.RECEIVED,),
    Status.DONE: (Status.COLLECTED,),
    Status.READY: (Status.COLLECTED,),
    Status.COLLECTED: (),
}

# Files received earlier may be entered later (a counter without the platform that day), but
# not from long ago: a month covers a late entry; older files were another system's.
MAX_DAYS_BACK = 30


def next_steps(application: Application) -> tuple[str, ...]:
    """The statuses an application may move to from where it is."""
    return ALLOWED_MOVES.get(application.status, ())


def open_application(
    *,
    mall: Mall,
    service: Service,
    acting_user: Any,
    received_on: dt.date | None = None,
    ticket_code: str = "",
    phone: str = "",
) -> Application:
    """Take in a citizen's files for `service` at `mall`: the receipt code, the due dates from
    the service's published time, the first step, the audit entry, and the receipt message
    when a phone is given. 400 not_offered / received_in_future / received_too_long_ago /
    invalid_phone. Access is the caller's (access.access_opening)."""
    if not (
        service.is_active and service.offerings.filter(mall=mall).exists()  # type: ignore[attr-defined]
    ):
        raise ApplicationError(
            _("Layanan %(service)s tidak tersedia di %(mall)s.")
            % {"service": service.name, "mall": mall.short_name},
            code=ApplicationCode.NOT_OFFERED,
        )
    now = clock.now()
    local_now = now.astimezone(mall.zone)
    received_at = _received_at(received_on, local_now)
    stored_phone = ""
    if phone.strip():
        try:
            stored_phone = parse_phone(phone)
        except InvalidPhone as exc:
            raise ApplicationError(str(exc), code=ApplicationCode.INVALID_PHONE) from None
    due_date, due_at, warn_at = schedule(
        region=mall.region,
        unit=service.duration_unit,
        value=service.duration_value,
        received_at=received_at,
        pauses=[],
    )
    with write_transaction():
        application = Application.objects.create(
            code=new_code(),
            mall=mall,
            service=service,
            status=Status.RECEIVED,
            ticket_code=ticket_code,
            received_at=received_at,
            received_on=received_at.astimezone(mall.zone).date(),
            duration_value=service.duration_value,
            duration_unit=service.duration_unit,
            due_date=due_date,
            due_at=due_at,
            warn_at=warn_at,
            phone=stored_phone,
            created_by=acting_user if getattr(acting_user, "pk", None) else None,
        )
        Step.objects.create(
            application=application, status=Status.RECEIVED, at=received_at, by=_by(acting_user)
        )
        audit(
            actor=acting_user,
            action="application.opened",
            obj=application,
            mall_id=mall.pk,
            data={
                "service": service.pk,
                "ticket": ticket_code,
                "received_on": application.received_on.isoformat(),
                "due_date": due_date.isoformat() if due_date else None,
            },
        )
        messages.received(application)
    return application


def _received_at(received_on: dt.date | None, local_now: dt.datetime) -> dt.datetime:
    """Now, or for an earlier day the same time of day on that day (the counter's hours)."""
    today = local_now.date()
    if received_on is None or received_on == today:
        return local_now
    if received_on > today:
        raise ApplicationError(
            _("Tanggal diterima tidak boleh setelah hari ini."),
            code=ApplicationCode.RECEIVED_IN_FUTURE,
        )
    if (today - received_on).days > MAX_DAYS_BACK:
        raise ApplicationError(
            _("Tanggal diterima paling lama %(n)d hari yang lalu.") % {"n": MAX_DAYS_BACK},
            code=ApplicationCode.RECEIVED_TOO_LONG_AGO,
        )
    return dt.datetime.combine(received_on, local_now.timetz())


def _by(acting_user: Any) -> Any:
    return acting_user if getattr(acting_user, "pk", None) else None


def move(
    *,
    application: Application,
    status: str,
    acting_user: Any,
    note: str = "",
    pickup_place: str = "",
    pickup_time: str = "",
) -> Application:
    """Move an application one step (see ALLOWED_MOVES): 400 bad_status / note_required,
    409 out_of_order. A return stops the clock (a Pause with what is missing); the step back
    to diterima resumes it and pushes the due dates by the days stopped."""
    if status not in Status.values:
        raise ApplicationError(_("Status tidak dikenal."), code=ApplicationCode.BAD_STATUS)
    # Shown on the public tracking page: a NIK or phone number typed into them is masked.
    note = mask_personal_data(note.strip())[0]
    pickup_place = mask_personal_data(pickup_place.strip())[0]
    pickup_time = mask_personal_data(pickup_time.strip())[0]
    if status == Status.RETURNED and not note:
        raise ApplicationError(
            _("Sebutkan apa yang perlu dilengkapi pemohon."), code=ApplicationCode.NOTE_REQUIRED
        )
    now = clock.now()
    with write_transaction():
        application = (
            Application.objects.select_for_update(of=("self",), no_key=True)
            .select_related("mall", "mall__region", "service", "service__tenant")
            .get(pk=application.pk)
        )
        before = application.status
        if status not in next_steps(application):
            raise ApplicationError(
                _("Permohonan berstatus %(now)s tidak dapat langsung menjadi %(to)s.")
                % {
                    "now": application.get_status_display().lower(),
                    "to": Status(status).label.lower(),
                },
                code=ApplicationCode.OUT_OF_ORDER,
                status=409,
            )
        changed = ["status"]
        application.status = status
        if status == Status.RETURNED:
            Pause.objects.create(application=application, started_at=now, reason=note)
            application.paused_since = now
            application.returned_note = note
            changed += ["paused_since", "returned_note"]
        elif before == Status.RETURNED:
            Pause.objects.filter(application=application, ended_at__isnull=True).update(
                ended_at=now
            )
            application.paused_since = None
            application.returned_note = ""
            changed += ["paused_since", "returned_note"]
        if status in (Status.RETURNED, Status.RECEIVED):
            changed += _reschedule(application)
        if status in (Status.DONE, Status.READY) and application.completed_at is None:
            application.completed_at = now
            changed.append("completed_at")
        if status == Status.READY:
            application.pickup_place = pickup_place.strip() or default_pickup_place(application)
            application.pickup_time = pickup_time.strip() or default_pickup_time()
            changed += ["pickup_place", "pickup_time"]
        if status == Status.COLLECTED:
            application.collected_at = now
            application.phone = ""  # kept only to send the messages: erased once collected
            changed += ["collected_at", "phone"]
        application.save(update_fields=changed)
        Step.objects.create(
            application=application,
            status=status,
            at=now,
            note=note or _pickup_note(application, status),
            by=_by(acting_user),
        )
        audit(
            actor=acting_user,
            action="application.moved",
            obj=application,
            mall_id=application.mall_id,
            data={"from": before, "to": status, "note": note},
        )
        if status == Status.READY:
            messages.ready(application)
    return application


def _reschedule(application: Application) -> list[str]:
    """Recompute the due moments from the pauses (an open pause: nothing is due).

    An alert already sent stays sent only while its moment has not moved later: after a stop
    the supervisor is warned again at the new 75 % and 100 % moments, never twice for one."""
    pauses = list(application.pauses.order_by("started_at").values_list("started_at", "ended_at"))
    due_date, due_at, warn_at = schedule(
        region=application.mall.region,
        unit=application.duration_unit,
        value=application.duration_value,
        received_at=application.received_at,
        pauses=pauses,
    )
    application.due_date, application.due_at, application.warn_at = due_date, due_at, warn_at
    changed = ["due_date", "due_at", "warn_at"]
    if application.warned_at and warn_at and warn_at > application.warned_at:
        application.warned_at = None
        changed.append("warned_at")
    if application.overdue_alerted_at and due_at and due_at > application.overdue_alerted_at:
        application.overdue_alerted_at = None
        changed.append("overdue_alerted_at")
    return changed


def default_pickup_place(application: Application) -> str:
    """The tenant's counter at the mall ("Loket 3 Disdukcapil, MPP Kukar"), or the mall."""
    counter = (
        MallTenant.objects.filter(
            mall_id=application.mall_id, tenant_id=application.service.tenant_id
        )
        .values_list("counter_label", flat=True)
        .first()
    )
    tenant = application.service.tenant.short_name
    where = f"{counter} {tenant}" if counter else _("loket %(tenant)s") % {"tenant": tenant}
    return f"{where}, {application.mall.name}"


def default_pickup_time() -> str:
    return str(_("hari kerja pada jam layanan mal"))


def _pickup_note(application: Application, status: str) -> str:
    if status != Status.READY:
        return ""
    return f"{application.pickup_place}; {application.pickup_time}"
