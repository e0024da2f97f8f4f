"""E-mail over SMTP, through Django's SMTP backend (docs/adr/0033).

Host, port, account, password and TLS come from the environment (MPP_SMTP_*, settings.py, into
Django's EMAIL_* settings). An SMTP reply 4xx (mailbox busy, greylisting) or no connection is
transient; 5xx (no such mailbox, relaying refused, authentication refused) permanent.
"""

from __future__ import annotations

import smtplib
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.message import make_msgid

from mpp.notifications.channels.base import Permanent, Transient, timeout

if TYPE_CHECKING:
    from mpp.notifications.models import Message


def _by_code(code: int, text: str) -> Transient | Permanent:
    short = f"SMTP {code}: {text}"[:300]
    return Transient(short) if 400 <= code < 500 else Permanent(short)


def deliver(message: Message) -> str:
    """Send `message` and answer its Message-ID."""
    if not settings.EMAIL_HOST:
        raise Permanent("server surel (SMTP) belum diatur")
    if not message.recipient:
        raise Permanent("penerima kosong")
    msgid = make_msgid(domain=settings.MPP_SMTP_MSGID_DOMAIN or None)
    connection = get_connection(
        "django.core.mail.backends.smtp.EmailBackend", fail_silently=False, timeout=timeout()
    )
    mail = EmailMessage(
        subject=message.subject,
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.recipient],
        headers={"Message-ID": msgid, "Auto-Submitted": "auto-generated"},
        connection=connection,
    )
    try:
        mail.send()
    except smtplib.SMTPRecipientsRefused as exc:
        code, reply = next(iter(exc.recipients.values()), (550, b""))
        raise _by_code(int(code), _text(reply)) from exc
    except smtplib.SMTPResponseException as exc:  # sender refused, data refused, auth refused
        raise _by_code(int(exc.smtp_code), _text(exc.smtp_error)) from exc
    except (smtplib.SMTPException, OSError) as exc:  # disconnected, refused
        raise Transient(f"SMTP: {type(exc).__name__}: {exc}"[:300]) from exc
    return msgid


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
