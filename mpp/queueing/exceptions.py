"""Errors of the queue, each with an Indonesian message for the citizen or officer."""

from __future__ import annotations

from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from mpp.core.errors import Refused


class QueueCode(StrEnum):
    """Stable machine codes of the queue's refusals (the API's `code`; tests and clients read
    them)."""

    # No ticket now (TicketRefused, 400; a reused key 422)
    MALL_NOT_OPERATING = "mall_not_operating"
    MALL_CLOSED = "mall_closed"
    PAST_CUTOFF = "past_cutoff"
    ONLINE_CLOSED = "online_closed"
    ONLINE_CUTOFF = "online_cutoff"
    NOT_TODAY = "not_today"
    SERVICE_NOT_OFFERED = "service_not_offered"
    QUOTA_REACHED = "quota_reached"
    QUEUE_MISSING = "queue_missing"
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"
    IDEMPOTENCY_KEY_WITHOUT_CALLER = "idempotency_key_without_caller"
    # This caller may not issue here (IssuingForbidden, 403)
    READ_ONLY_ROLE = "read_only_role"
    KIOSK_OTHER_MALL = "kiosk_other_mall"
    OUTSIDE_SCOPE = "outside_scope"
    # A counter's or officer's step refused (400), or a ticket in the wrong state (409)
    COUNTER_BUSY = "counter_busy"
    COUNTER_NOT_OPEN = "counter_not_open"
    NOT_THIS_COUNTER = "not_this_counter"
    REASON_REQUIRED = "reason_required"
    RECALLS_NEEDED = "recalls_needed"
    SAME_SERVICE = "same_service"
    TENANT_NOT_HERE = "tenant_not_here"
    UNKNOWN_OUTCOME = "unknown_outcome"
    TRAINING_MISSING = "training_missing"  # a Mini MPP's counter needs a trained officer (409)
    TICKET_WAITING = "ticket_waiting"  # ticket_<status>: the ticket's status forbids the step
    TICKET_CALLED = "ticket_called"
    TICKET_SERVING = "ticket_serving"
    TICKET_DONE = "ticket_done"
    TICKET_NO_SHOW = "ticket_no_show"
    TICKET_TRANSFERRED = "ticket_transferred"
    TICKET_CANCELLED = "ticket_cancelled"
    # Remote numbers held at once (TicketRefused, 429) and the mall's online share (400)
    HOLDER_LIMIT = "holder_limit"
    HOLDER_SERVICE_LIMIT = "holder_service_limit"
    ONLINE_SHARE_REACHED = "online_share_reached"
    ONLINE_WAITING_FULL = "online_waiting_full"
    # A ticket's "3 nomor lagi" alert refused (400): its contact (queueing.alerts)
    CONTACT_REQUIRED = "contact_required"
    INVALID_PHONE = "invalid_phone"
    INVALID_EMAIL = "invalid_email"


class QueueError(Refused):
    """A request the queue refuses (core.errors.Refused): `str(exc)` is the message, `code` a
    member of QueueCode, `status` 400 unless a subclass says otherwise."""

    codes = (QueueCode,)

    def __init__(self, message: str, *, code: QueueCode | str) -> None:
        super().__init__(message, code=code)


class TicketRefused(QueueError):
    """No ticket can be issued now (closed, holiday, quota, not offered, not today...)."""


class IssuingForbidden(QueueError, PermissionDenied):
    """This caller may not issue a ticket here (HTTP 403): a read-only role, a kiosk of another
    mall, staff outside their mall or tenant (queueing.access.issuing_channel, docs/adr/0005).
    A PermissionDenied as well: a page that does not catch it still answers 403."""

    status = 403


class IdempotencyKeyReused(TicketRefused):
    """An idempotency key that already gave a ticket for another request (another service,
    priority or day): the key names one request, so the earlier ticket is not handed over
    (HTTP 422)."""

    status = 422


class HolderLimitReached(TicketRefused):
    """This person or phone already holds the remote numbers one may hold at once
    (queueing.limits): HTTP 429, until one of them is served or cancelled."""

    status = 429


def page_message(refused: QueueError) -> str:
    """What a page that took a number says of a refusal. A reused key there means the page was
    shown again from the browser's history or a cache: the citizen only has to ask again."""
    if isinstance(refused, IdempotencyKeyReused):
        return _("Halaman ini sudah dipakai untuk nomor lain. Silakan ambil nomor lagi.")
    return str(refused)


class WrongState(QueueError):
    """The ticket or counter is not in a state that allows this step (HTTP 409)."""

    status = 409


class PrinterUnavailable(Exception):
    """The kiosk's network printer cannot be reached or stopped answering; `str(exc)` says so
    in Indonesian. The ticket was issued all the same: the slip page is shown instead."""


class PrinterNotInstalled(PrinterUnavailable):
    """This server was installed without the `printer` extra (python-escpos): no slip can be
    sent to any printer until it is installed; `str(exc)` says how."""


class OutOfPaper(PrinterUnavailable):
    """The kiosk's printer answered that its paper roll is empty: nothing was sent to it."""
