"""The client's address and scheme behind a reverse proxy, believed from configured proxies only.

Rate limits (phone tickets, the Metapers chat), sign-in throttles and websocket presence count
per address: the address must be the citizen's, and the citizen must not be able to choose it.
`X-Forwarded-For` and `X-Forwarded-Proto` are therefore read only when the connection's peer is
one of `MPP_TRUSTED_PROXIES` (none by default: the peer is the client). From the header the
right-most address that is not itself a trusted proxy is the client: each proxy appends the peer
it saw, so everything left of that is what the client wrote (docs/adr/0017).

uvicorn's own `ProxyHeadersMiddleware` does the parsing; it sits here, in the application, so
that the rule holds whichever ASGI server runs it, and `mpp serve` turns the server's copy off
(its default trusts any 127.0.0.1 peer, which is how a local client used to rotate addresses).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware


class TrustedProxyHeaders:
    """ASGI wrapper: rewrites `scope["client"]` and `scope["scheme"]` from a trusted proxy's
    headers (HTTP and websockets), leaves every other connection as it came."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self._by_proxies: dict[tuple[str, ...], ProxyHeadersMiddleware] = {}

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        # Read per connection (a tuple lookup), not at import: tests and `mpp check` see the
        # settings as they are.
        proxies = tuple(settings.MPP_TRUSTED_PROXIES)
        if not proxies or scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        middleware = self._by_proxies.get(proxies)
        if middleware is None:
            middleware = ProxyHeadersMiddleware(self.app, trusted_hosts=list(proxies))
            self._by_proxies[proxies] = middleware
        await middleware(scope, receive, send)
