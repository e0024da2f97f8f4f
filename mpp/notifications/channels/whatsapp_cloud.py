"""WhatsApp through Meta's WhatsApp Business Cloud API (docs/adr/0033).

`POST {MPP_WHATSAPP_API_BASE}/{MPP_WHATSAPP_API_VERSION}/{MPP_WHATSAPP_PHONE_NUMBER_ID}/messages`
with `Authorization: Bearer {MPP_WHATSAPP_TOKEN}` and a text message:

    {"messaging_product": "whatsapp", "recipient_type": "individual", "to": "628…",
     "type": "text", "text": {"preview_url": false, "body": "…"}}

Success is `{"messages": [{"id": "wamid.…"}], …}`; a refusal `{"error": {"message", "type",
"code", "error_subcode"?, "fbtrace_id"}}`, most with HTTP 400. Graph API codes that mean "later"
(throttling, a service briefly down) are transient whatever the HTTP status; other refusals
(an expired token, a number not on WhatsApp, outside the 24-hour window) are permanent.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.conf import settings

from mpp.notifications.channels.base import Permanent, Response, Transient, http_failure, post

if TYPE_CHECKING:
    from mpp.notifications.models import Message

# Graph API and Cloud API error codes that a later attempt may not meet (Meta's error-code
# pages): 1 unknown/2 service (temporary), 4/80007/130429 rate limits, 131000 "something went
# wrong", 131016 service unavailable, 131048/131056 spam and pair rate limits, 133004 server
# temporarily unavailable.
TRANSIENT_CODES = frozenset({1, 2, 4, 80007, 130429, 131000, 131016, 131048, 131056, 133004})


def request_for(message: Message) -> tuple[str, dict[str, str], bytes]:
    """(url, headers, body) of the API call that sends `message`."""
    base = settings.MPP_WHATSAPP_API_BASE.rstrip("/")
    url = (
        f"{base}/{settings.MPP_WHATSAPP_API_VERSION}/"
        f"{settings.MPP_WHATSAPP_PHONE_NUMBER_ID}/messages"
    )
    payload = {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": message.recipient,
        "type": "text",
        "text": {"preview_url": False, "body": message.body},
    }
    headers = {
        "Authorization": f"Bearer {settings.MPP_WHATSAPP_TOKEN}",
        "Content-Type": "application/json",
    }
    return url, headers, json.dumps(payload, ensure_ascii=False).encode("utf-8")


def deliver(message: Message) -> str:
    """Send `message` and answer its WhatsApp message id (wamid…)."""
    if not (settings.MPP_WHATSAPP_TOKEN and settings.MPP_WHATSAPP_PHONE_NUMBER_ID):
        raise Permanent("WhatsApp Cloud API belum diatur")
    if not message.recipient:
        raise Permanent("penerima kosong")
    url, headers, body = request_for(message)
    return _read(post(url, data=body, headers=headers))


def _read(response: Response) -> str:
    found: Any = response.json()
    if 200 <= response.status < 300:
        try:
            return str(found["messages"][0]["id"])
        except (TypeError, KeyError, IndexError) as exc:
            raise Transient(f"HTTP {response.status} tanpa id pesan") from exc
    error = found.get("error") if isinstance(found, dict) else None
    if not isinstance(error, dict):
        raise http_failure(response, response.body[:120].decode("utf-8", "replace"))
    code = error.get("code")
    detail = f"kode {code}: {error.get('message', '')}"
    if isinstance(code, int) and code in TRANSIENT_CODES:
        raise Transient(f"HTTP {response.status}: {detail}"[:300])
    raise http_failure(response, detail)
