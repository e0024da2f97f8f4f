"""One id per HTTP request and per websocket connection: in every log line written while it is
served, in the response's `X-Request-ID` header and on the error report, so that a complaint
("the kiosk said error at 10:02") leads from nginx's access log to the app's lines and back.

nginx sends its own `$request_id` as `X-Request-ID`. It is kept only when the connection's peer
is one of MPP_TRUSTED_PROXIES (the rule of X-Forwarded-For, core/proxies.py) and it looks like
an id (letters, digits, '-', '_', '.'; 64 at most): anyone else could write what they liked into
our logs, or give every request the same id. Otherwise the app makes one (32 hex digits, as
nginx's are). The header the application sees is replaced by the chosen id, so code behind this
(Django's `request.META["HTTP_X_REQUEST_ID"]`) reads the same value as the logs.

The id lives in a context variable: the HTTP thread pool runs each request in a copy of the
event loop's context (a2wsgi), and a websocket consumer runs in the connection's own task, so
both see the id set here, and only theirs.
"""

from __future__ import annotations

import functools
import ipaddress
import logging
import re
import uuid
from contextvars import ContextVar
from typing import Any

from django.conf import settings

HEADER = b"x-request-id"
NONE = "-"  # log lines written outside any request (start-up, commands, the job worker)
REQUEST_ID: ContextVar[str] = ContextVar("request_id", default=NONE)
_WELL_FORMED = re.compile(rb"[A-Za-z0-9._-]{1,64}")


def current() -> str:
    """The id of the request or connection being served here, "-" outside one."""
    return REQUEST_ID.get()


@functools.lru_cache(maxsize=8)
def _networks(
    proxies: tuple[str, ...],
) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(proxy) for proxy in proxies)


def _from_trusted_proxy(scope: dict[str, Any]) -> bool:
    proxies = tuple(settings.MPP_TRUSTED_PROXIES)
    client = scope.get("client")
    if not proxies or not client:
        return False
    try:
        peer = ipaddress.ip_address(client[0])
    except ValueError:  # a unix socket's peer has no address
        return False
    return any(peer in network for network in _networks(proxies))


def chosen_id(scope: dict[str, Any]) -> str:
    """The proxy's id when the peer is a trusted proxy and the id is well formed, else a new one."""
    if _from_trusted_proxy(scope):
        for name, value in scope.get("headers", ()):
            if name == HEADER and _WELL_FORMED.fullmatch(value):
                return value.decode("ascii")
    return uuid.uuid4().hex


class RequestIds:
    """ASGI wrapper, outside TrustedProxyHeaders (it must see the connection's real peer): sets
    the id for the request or connection, and puts it on HTTP responses (static files too)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        request_id = chosen_id(scope)
        encoded = request_id.encode("ascii")
        headers = [(k, v) for k, v in scope.get("headers", ()) if k != HEADER]
        scope = {**scope, "headers": [*headers, (HEADER, encoded)]}

        async def send_with_id(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [
                    *(h for h in message.get("headers", ()) if h[0].lower() != HEADER),
                    (HEADER, encoded),
                ]
            await send(message)

        token = REQUEST_ID.set(request_id)
        try:
            await self.app(scope, receive, send_with_id if scope["type"] == "http" else send)
        finally:
            REQUEST_ID.reset(token)


class WithRequestId(logging.Filter):
    """Gives every log record `request_id` (JSON logs print it; "-" outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = REQUEST_ID.get()
        return True
