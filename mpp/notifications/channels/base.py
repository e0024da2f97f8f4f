"""What a channel adapter is, and the two ways a delivery fails (docs/adr/0033).

An adapter takes a `Message` and returns the provider's id for it, or raises:

- `Transient`: the next attempt may succeed (connection refused or reset, a timeout, HTTP 429
  or 5xx, SMTP 4xx, a gateway saying it is throttled). The job tries again later.
- `Permanent`: it never will as asked (HTTP 4xx other than 429, SMTP 5xx, a recipient the
  provider refuses, a token refused). The job gives up at once and keeps the error.

Every network call has a timeout (MPP_MESSAGE_TIMEOUT_SECONDS); a timeout is transient.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings

if TYPE_CHECKING:
    from mpp.notifications.models import Message

Adapter = Callable[["Message"], str]


class DeliveryError(Exception):
    """A delivery that failed; `str()` is short and goes into the message's last error."""


class Transient(DeliveryError):
    """Worth another attempt later."""


class Permanent(DeliveryError):
    """Not worth another attempt: the message is given up."""


def timeout() -> float:
    return float(settings.MPP_MESSAGE_TIMEOUT_SECONDS)


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes

    def json(self) -> Any:
        """The body as JSON, or None when it is not JSON (a proxy's HTML error page)."""
        try:
            return json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return None


def post(url: str, *, data: bytes, headers: dict[str, str]) -> Response:
    """POST `data` to `url`, answering the status and body of any HTTP answer (2xx, 4xx, 5xx).
    No answer at all (refused, reset, a timeout, a name that does not resolve) is Transient."""
    if not url.startswith(("https://", "http://")):
        raise Permanent(f"URL gateway tidak sah: {url[:80]}")
    request = urllib.request.Request(url, data=data, headers=headers, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout()) as answer:  # noqa: S310
            return Response(answer.status, answer.read(65536))
    except urllib.error.HTTPError as error:
        with error:
            return Response(error.code, error.read(65536))
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise Transient(f"tidak tersambung: {type(reason).__name__}: {reason}"[:300]) from exc


def http_failure(response: Response, detail: str) -> DeliveryError:
    """The failure an HTTP status means: 429 and 5xx transient, any other status permanent."""
    text = f"HTTP {response.status}: {detail}"[:300]
    if response.status == 429 or response.status >= 500:
        return Transient(text)
    return Permanent(text)
