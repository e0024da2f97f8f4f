"""The outbox's background work (core/jobs.py, docs/adr/0033): deliver a message, sweep the
ones due, erase old recipients. The `Message` row is the record, as a `Job` is for jobs: the
engine carries only its id, so a queue lost with its Redis loses no message (the sweep hands
every due row over again)."""

from __future__ import annotations

import logging
from datetime import datetime

from mpp.core import clock
from mpp.core.jobs import crontab, periodic, task
from mpp.notifications import delivery

logger = logging.getLogger("mpp.notifications")


@task()
def deliver_message(message_id: int) -> None:
    delivery.deliver(message_id)


def hand_over(message_id: int) -> bool:
    """Queue the delivery of a message now. False (the row stays due) when the queue is out of
    reach: the sweep hands it over within a minute."""
    try:
        deliver_message(message_id)
    except Exception:
        logger.exception("message %s could not be queued; the sweep will", message_id)
        return False
    return True


def hand_over_later(message_id: int, at: datetime) -> None:
    """Queue the next attempt for `at`; the sweep does it if this is lost."""
    delay = max((at - clock.now()).total_seconds(), 0)
    try:
        deliver_message.schedule((message_id,), delay=delay)
    except Exception:
        logger.exception("retry of message %s not queued; the sweep will", message_id)


@periodic(crontab(minute="*"))
def send_due_messages() -> int:
    """Hand over every message whose attempt is due (first ones a worker never got, retries
    whose scheduled task was lost, rows whose worker died while sending)."""
    return sum(hand_over(pk) for pk in delivery.due_ids())


@periodic(crontab(hour="20", minute="20"))  # 04:20 WITA
def erase_message_recipients() -> int:
    """Recipients of messages older than MPP_MESSAGE_RECIPIENT_DAYS are blanked."""
    return delivery.erase_old_recipients()
