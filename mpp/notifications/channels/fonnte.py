"""WhatsApp through Fonnte, a common Indonesian WhatsApp gateway (docs/adr/0033).

`POST {MPP_FONNTE_URL}` (https://api.fonnte.com/send) with the device's token in the
`Authorization` header (no "Bearer") and form fields `target` (the number), `message` and
`countryCode` (62: Fonnte replaces a leading 0 with it; our numbers already start 62).

Fonnte answers HTTP 200 for most outcomes and says in the body: `{"status": true, "id":
["80367170"], "detail": "success! message in queue", "process": "pending", "target": [...]}` or
`{"status": false, "reason": "..."}`. A reason that speaks of waiting, a limit or a disconnected
device is transient (the operator reconnects the phone); any other (a token or target refused,
no quota) permanent.
"""

from __future__ import annotations

import re
import urllib.parse
from typing import TYPE_CHECKING, Any

from django.conf import settings

from mpp.notifications.channels.base import Permanent, Response, Transient, http_failure, post

if TYPE_CHECKING:
    from mpp.notifications.models import Message

_LATER = re.compile(r"wait|limit|disconnect|try again|timeout|busy|queue full", re.IGNORECASE)


def request_for(message: Message) -> tuple[str, dict[str, str], bytes]:
    """(url, headers, body) of the API call that sends `message`."""
    fields = {"target": message.recipient, "message": message.body, "countryCode": "62"}
    headers = {
        "Authorization": settings.MPP_FONNTE_TOKEN,
        "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
    }
    return settings.MPP_FONNTE_URL, headers, urllib.parse.urlencode(fields).encode("utf-8")


def deliver(message: Message) -> str:
    """Send `message` and answer Fonnte's id for it."""
    if not settings.MPP_FONNTE_TOKEN:
        raise Permanent("Fonnte belum diatur")
    if not message.recipient:
        raise Permanent("penerima kosong")
    url, headers, body = request_for(message)
    return _read(post(url, data=body, headers=headers))


def _read(response: Response) -> str:
    found: Any = response.json()
    if not isinstance(found, dict):
        raise http_failure(response, response.body[:120].decode("utf-8", "replace"))
    if 200 <= response.status < 300 and found.get("status") is True:
        ids = found.get("id")
        return str(ids[0]) if isinstance(ids, list) and ids else str(ids or "")
    reason = str(found.get("reason") or found.get("detail") or "tanpa alasan")
    if response.status == 429 or response.status >= 500 or _LATER.search(reason):
        raise Transient(f"HTTP {response.status}: {reason}"[:300])
    raise Permanent(f"HTTP {response.status}: {reason}"[:300])
