"""Delivering one outbox row: claim it, call its channel's adapter, record what happened
(docs/adr/0033). Run by the job `notifications.jobs.deliver_message`; never in a request.

Retry policy: a transient failure (no connection, a timeout, HTTP 429/5xx, SMTP 4xx) is tried
again after MPP_MESSAGE_RETRY_SECONDS × 2^(attempts − 1) — 1, 2, 4, 8, 16 minutes by default —
until MPP_MESSAGE_MAX_ATTEMPTS (6) attempts in all, then given up; a permanent one (HTTP 4xx,
SMTP 5xx, a refused recipient) is given up at once. The error is kept either way.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db.models import F

from mpp.core import clock
from mpp.notifications.channels import Permanent, Transient, adapter_for
from mpp.notifications.models import WAITING, Message, Status

logger = logging.getLogger("mpp.notifications")

# A row still "sending" this long after it was claimed lost its worker (kill -9 during the
# call): the sweep makes it due again. The call itself times out long before this.
SENDING_AT_MOST = timedelta(minutes=10)


def retry_delay(attempts: int) -> timedelta:
    """The wait after the `attempts`-th attempt failed transiently."""
    return timedelta(seconds=settings.MPP_MESSAGE_RETRY_SECONDS * 2 ** max(attempts - 1, 0))


def deliver(message_id: int) -> Message | None:
    """Attempt message `message_id` if it is due; None when it is not (another worker has it,
    it is sent or given up, or its next attempt is later). Answers the row as left."""
    now = clock.now()
    claimed = Message.objects.filter(
        pk=message_id, status__in=WAITING, next_attempt_at__lte=now
    ).update(status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    if not claimed:
        return None
    message = Message.objects.get(pk=message_id)
    mine = Message.objects.filter(pk=message_id, status=Status.SENDING)
    if message.expires_at is not None and message.expires_at <= now:
        mine.update(status=Status.GIVEN_UP, last_error="kedaluwarsa sebelum terkirim")
        return _reread(message)
    try:
        provider_id = adapter_for(message.provider)(message)
    except Permanent as exc:
        logger.warning("message %s given up: %s", message_id, exc)
        mine.update(status=Status.GIVEN_UP, last_error=str(exc)[:300], next_attempt_at=None)
    except Exception as exc:  # Transient, or a fault of ours: worth another attempt
        error = str(exc) if isinstance(exc, Transient) else f"{type(exc).__name__}: {exc}"
        if message.attempts >= settings.MPP_MESSAGE_MAX_ATTEMPTS:
            logger.warning("message %s given up after %s attempts", message_id, message.attempts)
            mine.update(status=Status.GIVEN_UP, last_error=error[:300], next_attempt_at=None)
        else:
            due = clock.now() + retry_delay(message.attempts)
            logger.info("message %s failed (%s), again at %s", message_id, error, due)
            mine.update(status=Status.RETRYING, last_error=error[:300], next_attempt_at=due)
            from mpp.notifications.jobs import hand_over_later

            hand_over_later(message_id, due)
    else:
        mine.update(
            status=Status.SENT,
            sent_at=clock.now(),
            provider_message_id=provider_id[:200],
            last_error="",
            next_attempt_at=None,
        )
    return _reread(message)


def _reread(message: Message) -> Message:
    message.refresh_from_db()
    return message


def due_ids(limit: int = 500) -> list[int]:
    """Messages whose attempt is due now (oldest first); rows stuck in "sending" past
    SENDING_AT_MOST are made due first (their worker died)."""
    now = clock.now()
    stuck = Message.objects.filter(status=Status.SENDING, claimed_at__lt=now - SENDING_AT_MOST)
    # Read first: an UPDATE takes SQLite's write lock even when it matches nothing, and this
    # runs every minute beside the other jobs' writes.
    if stuck.exists():
        stuck.update(
            status=Status.RETRYING, next_attempt_at=now, last_error="pekerja berhenti saat mengirim"
        )
    return list(
        Message.objects.filter(status__in=WAITING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def erase_old_recipients() -> int:
    """Blank the recipient of messages older than MPP_MESSAGE_RECIPIENT_DAYS."""
    now = clock.now()
    before = now - timedelta(days=settings.MPP_MESSAGE_RECIPIENT_DAYS)
    return (
        Message.objects.filter(created_at__lt=before)
        .exclude(recipient="")
        .update(recipient="", recipient_erased_at=now)
    )
