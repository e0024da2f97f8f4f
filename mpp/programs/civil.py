"""The civil registry's follow-up of a married couple (issue 20, item 7): the new family card
(KK) and each one's KTP-el with the new status, as work items Disdukcapil's officers take to
"selesai" — and, when Disdukcapil serves at the event's mall that day, as numbers in its queue,
so the couple does not queue again.

The follow-up is opened in the marriage's own transaction (ceremony.record_marriage). The queue
may refuse a number (the mall closed, Disdukcapil not serving today, its quota reached): the
task then stays without a ticket and the refusal is noted in the audit entry; the marriage is
never undone for it.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from mpp.catalog.models import MallTenant, Service
from mpp.core import clock
from mpp.core.db import write_transaction
from mpp.core.models import audit
from mpp.programs.exceptions import ProgramCode, ProgramRefused
from mpp.programs.models import CivilTask, Programme, Registration
from mpp.queueing import actions as queue_actions
from mpp.queueing.exceptions import QueueError
from mpp.queueing.models import Ticket


def _service_for(programme: Programme, kind: str) -> Service | None:
    return programme.kk_service if kind == CivilTask.Kind.KK else programme.ktp_service


def _serves_at_event(programme: Programme) -> bool:
    """Disdukcapil is a tenant of the event's mall and both services are set; whether it serves
    today (its days, the mall's hours and holidays) is the queue's own rule."""
    return bool(
        programme.civil_registry_tenant_id
        and programme.kk_service_id
        and programme.ktp_service_id
        and MallTenant.objects.filter(
            mall_id=programme.mall_id, tenant_id=programme.civil_registry_tenant_id
        ).exists()
    )


def open_follow_up(*, registration: Registration, acting_user: object) -> list[CivilTask]:
    """Open the three tasks (KK, KTP-el of the groom, of the bride) of a married couple, with a
    number of Disdukcapil's queue for each when it serves at the event's mall. Idempotent: the
    tasks already open are kept (civil_task_once)."""
    programme = registration.programme
    tasks: list[CivilTask] = []
    refusals: dict[str, str] = {}
    with write_transaction():
        issue = _serves_at_event(programme)
        for kind in CivilTask.Kind:
            task, created = CivilTask.objects.get_or_create(registration=registration, kind=kind)
            service = _service_for(programme, kind)
            if created and issue and service is not None:
                try:
                    # A savepoint: a refusal inside the queue's own transaction rolls back
                    # its number only, never the marriage around it.
                    with transaction.atomic():
                        issued = queue_actions.issue_ticket(
                            mall=programme.mall,
                            service=service,
                            # Issued on the couple's behalf by staff, as at a counter: the
                            # online rules (cut-off, per-phone limits) are not theirs.
                            channel=Ticket.Channel.STAFF,
                            acting_user=acting_user,
                        )
                except QueueError as refused:
                    refusals[str(kind)] = str(refused.code)
                else:
                    task.ticket = issued.ticket
                    task.save(update_fields=["ticket"])
            tasks.append(task)
        audit(
            actor=acting_user,
            action="programs.civil.opened",
            obj=registration,
            mall_id=programme.mall_id,
            data={
                "code": registration.code,
                "tickets": {t.kind: t.ticket.display_number for t in tasks if t.ticket},
                "ticket_refused": refusals,
                "serves_at_event": issue,
            },
        )
    return tasks


def set_task_status(
    *, task: CivilTask, status: str, document_number: str, acting_user: object
) -> CivilTask:
    """Mark a task in progress or done; done names the issued document's number (the KK's
    number, the KTP-el's NIK is not it: the blanko's serial or the KK number as Disdukcapil
    records it). A task done stays done."""
    new = CivilTask.Status(status)
    document_number = document_number.strip()
    if new == CivilTask.Status.DONE and not document_number:
        raise ProgramRefused(
            _("Tulis nomor dokumen yang terbit sebelum menandai selesai."),
            code=ProgramCode.DOCUMENT_NUMBER_REQUIRED,
        )
    with write_transaction():
        locked = CivilTask.objects.select_for_update().get(pk=task.pk)
        if locked.status == CivilTask.Status.DONE:
            raise ProgramRefused(
                _("Tindak lanjut ini sudah selesai."), code=ProgramCode.BAD_STEP, status=409
            )
        if new == CivilTask.Status.OPEN:
            raise ProgramRefused(
                _("Tindak lanjut tidak dapat dikembalikan ke menunggu."),
                code=ProgramCode.BAD_STEP,
                status=409,
            )
        before = locked.status
        locked.status = new
        fields = ["status"]
        if document_number:
            locked.document_number = document_number[:60]
            fields.append("document_number")
        if new == CivilTask.Status.DONE:
            locked.done_at = clock.now()
            locked.done_by = acting_user  # type: ignore[assignment]
            fields += ["done_at", "done_by"]
        locked.save(update_fields=fields)
        registration = task.registration
        audit(
            actor=acting_user,
            action="programs.civil.updated",
            obj=locked,
            mall_id=registration.programme.mall_id,
            data={
                "code": registration.code,
                "kind": locked.kind,
                "from": before,
                "to": str(new),
                "document_number": locked.document_number,
            },
        )
    locked.registration = registration
    return locked
