"""Sending a message: one call writes it to the outbox; a job delivers it (docs/adr/0033).

    from mpp.notifications import outbox
    outbox.send(kind="queue.soon", key=f"ticket:{ticket.pk}:soon", phone=alert.phone,
                text=_("3 nomor lagi: nomor A012. Mohon bersiap."), mall=ticket.mall)

`send` writes one `Message` row per channel used, in the caller's transaction, and hands each new
row to the delivery job once that transaction commits (a message is never sent for a booking
that rolled back). The caller never waits for a gateway: delivery, retries and giving up are
the job's (notifications/jobs.py).

- A phone number goes by WhatsApp through the WhatsApp Business Cloud API when it is configured,
  else through the Indonesian gateway (Fonnte) when that is configured.
- An e-mail address goes by SMTP when EMAIL_HOST is configured.
- With no channel configured the row is still written, status "not configured": the admin shows
  the message was not sent rather than losing it silently.

`key` says what the message is about (`"appointment:42:confirmed"`, `"ticket:812:turn"`). A
unique constraint on (key, channel) makes a second `send` with the same key write nothing and
send nothing — also when two processes send at the same instant; the rows already written
are returned instead. Texts are short, Indonesian, plain (no markup) and never carry a NIK: a
text with 16 digits in a row (spaces or dots between them included) is refused.
"""

from __future__ import annotations

import re
from datetime import datetime

from django.db import IntegrityError, transaction

from mpp.core import clock
from mpp.malls.models import Mall
from mpp.notifications.channels import email_provider, phone_provider
from mpp.notifications.models import Channel, Message, Provider, Status
from mpp.notifications.phone import parse_phone

__all__ = ["send"]

# A NIK, or any identity-card-like number: 16 digits, perhaps grouped by spaces or dots.
_SIXTEEN_DIGITS = re.compile(r"\d(?:[ .]?\d){15}")

MAX_TEXT = 1000  # a WhatsApp text may be 4,096 characters; ours are a few lines
MAX_KEY = 200


def send(
    *,
    kind: str,
    text: str,
    key: str,
    phone: str = "",
    email: str = "",
    subject: str = "",
    mall: Mall | None = None,
    expires_at: datetime | None = None,
) -> list[Message]:
    """Write the message for each contact given and deliver it after the caller's commit.

    - `kind`: what sort of message (`"appointment.confirmed"`, `"queue.turn"`), for the admin.
    - `text`: the body, Indonesian plain text (ValueError if it holds 16 digits in a row, or is
      empty or longer than 1,000 characters).
    - `key`: once-only key (per channel), at most 200 characters.
    - `phone`: a number in any form `parse_phone` reads (InvalidPhone, a ValueError, if not).
    - `email`, `subject`: the e-mail address and subject line (subject defaults to `kind`'s
      first line of text).
    - `mall`: whose message it is (the admin shows each mall its own).
    - `expires_at`: not sent after this instant (given up instead): "3 nomor lagi" an hour late
      misleads.

    Returns the rows for this key (new or already written), one per channel asked. Nothing is
    written when neither `phone` nor `email` is given.
    """
    body = (text or "").strip()
    if not body:
        raise ValueError("message text is empty")
    if len(body) > MAX_TEXT:
        raise ValueError(f"message text longer than {MAX_TEXT} characters")
    if _SIXTEEN_DIGITS.search(body) or _SIXTEEN_DIGITS.search(subject):
        raise ValueError("message text holds 16 digits in a row (a NIK is never sent)")
    if not key or len(key) > MAX_KEY:
        raise ValueError(f"message key must have 1 to {MAX_KEY} characters")

    wanted: list[tuple[Channel, Provider, str]] = []
    if phone:
        wanted.append((Channel.WHATSAPP, phone_provider(), parse_phone(phone)))
    if email:
        email = email.strip()
        if "@" not in email or len(email) > 254 or any(c.isspace() for c in email):
            raise ValueError("not an e-mail address")
        wanted.append((Channel.EMAIL, email_provider(), email))

    messages: list[Message] = []
    for channel, provider, recipient in wanted:
        messages.append(
            _write_once(
                kind=kind,
                channel=channel,
                provider=provider,
                recipient=recipient,
                subject=(subject or body.splitlines()[0])[:200] if channel == Channel.EMAIL else "",
                body=body,
                mall=mall,
                key=key,
                expires_at=expires_at,
            )
        )
    return messages


def _write_once(
    *,
    kind: str,
    channel: Channel,
    provider: Provider,
    recipient: str,
    subject: str,
    body: str,
    mall: Mall | None,
    key: str,
    expires_at: datetime | None,
) -> Message:
    """Insert the row, or return the one already there for (key, channel). The insert runs in a
    savepoint: on PostgreSQL a second writer of the same key waits for the first one's commit,
    then fails the constraint, and its own transaction goes on."""
    now = clock.now()
    configured = provider != Provider.NONE
    try:
        with transaction.atomic():
            message = Message.objects.create(
                kind=kind[:40],
                channel=channel,
                provider=provider,
                recipient=recipient,
                subject=subject,
                body=body,
                status=Status.PENDING if configured else Status.NOT_CONFIGURED,
                next_attempt_at=now if configured else None,
                created_at=now,
                mall=mall,
                key=key,
                expires_at=expires_at,
            )
    except IntegrityError:
        return Message.objects.get(key=key, channel=channel)
    if configured:
        from mpp.notifications.jobs import hand_over

        message_id = message.pk
        transaction.on_commit(lambda: hand_over(message_id), robust=True)
    return message
