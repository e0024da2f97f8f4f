"""Server errors to a Sentry-compatible service (Sentry, GlitchTip, Bugsink) when SENTRY_DSN is
set; nothing is imported or sent otherwise (docs/adr/0024). `pip install 'mpp[sentry]'`.

What leaves the machine is kept free of personal data (UU 27/2022): no cookies, headers with
credentials, client addresses or user names (`send_default_pii` off), and every text of the
report (the message, the address and query string, local variables, log breadcrumbs) has its
NIK- and phone-like numbers masked as the chat's are (core/privacy.py). Each report carries
the request id (core/requestid.py), to find the request's log lines.
"""

from __future__ import annotations

import os
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from mpp.core.privacy import mask_personal_data
from mpp.core.requestid import current

# Deep enough for any report: a frame's variables are nested a few levels at most.
_MAX_DEPTH = 20


def scrubbed(value: Any, depth: int = 0) -> Any:
    """`value` with every string in it (dict values, list items, nested) masked."""
    if isinstance(value, str):
        return mask_personal_data(value)[0]
    if depth >= _MAX_DEPTH:
        return value
    if isinstance(value, dict):
        return {key: scrubbed(item, depth + 1) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [scrubbed(item, depth + 1) for item in value]
    return value


def before_send(event: dict[str, Any], hint: dict[str, Any]) -> dict[str, Any]:
    """The report as it is sent: masked, with the request id as a tag."""
    event = scrubbed(event)
    request_id = current()
    if request_id != "-":
        event.setdefault("tags", {})["request_id"] = request_id
    return event


def init_from_environment() -> bool:
    """Start reporting when SENTRY_DSN is set (settings.py calls this). True if started."""
    dsn = os.environ.get("SENTRY_DSN", "")
    if not dsn:
        return False
    try:
        import sentry_sdk
    except ImportError:
        raise ImproperlyConfigured(
            "SENTRY_DSN is set but sentry-sdk is not installed: pip install 'mpp[sentry]'."
        ) from None

    sentry_sdk.init(
        dsn=dsn,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        release=os.environ.get("SENTRY_RELEASE") or None,
        send_default_pii=False,
        before_send=before_send,  # type: ignore[arg-type]
        before_breadcrumb=lambda crumb, hint: scrubbed(crumb),
        # Errors only: traces_sample_rate stays unset, which turns tracing off (0.0 would
        # still start a transaction for every request, on the hot path too).
        max_request_body_size="never",  # a form's body may hold a NIK in any shape
    )
    return True
