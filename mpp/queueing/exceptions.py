"""Errors of the queue, each with an Indonesian message for the citizen or officer."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


class QueueError(Exception):
    """A request the queue refuses; `str(exc)` is the message, `code` a stable machine code."""

    status = 400

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.code = code


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


class OutOfPaper(PrinterUnavailable):
    """The kiosk's printer answered that its paper roll is empty: nothing was sent to it."""
