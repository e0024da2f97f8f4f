"""Small request bodies are read on the event loop, before the request's thread hop.

a2wsgi hands a request to Django in a worker thread (docs/adr/0008) and gives it the body as a
stream whose every read waits for the event loop: one more hand-over between the thread and the
loop for each POST, on the kiosk's hot path too. A body that says it is small (Content-Length up
to `LIMIT`) is read on the loop first, where the request already is, and the thread reads it
from memory. Larger or chunked bodies (spreadsheet imports) are streamed as before.
"""

from __future__ import annotations

import io
from typing import Any

LIMIT = 64 * 1024
SCOPE_KEY = "mpp.body"  # where the body travels: a2wsgi passes the ASGI scope to the thread
_WITH_BODY = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _declared_length(scope: dict[str, Any]) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None  # Django answers a malformed length itself
    return None


class ReadSmallBodies:
    """ASGI middleware in front of a2wsgi (mpp/asgi.py)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["method"] in _WITH_BODY:
            length = _declared_length(scope)
            if length is not None and 0 <= length <= LIMIT:
                chunks = []
                while True:
                    message = await receive()
                    if message["type"] == "http.disconnect":
                        return  # the client left before sending its body: nobody to answer
                    chunks.append(message.get("body", b""))
                    if not message.get("more_body", False):
                        break
                scope = {**scope, SCOPE_KEY: b"".join(chunks)}
        await self.app(scope, receive, send)


class BodyFromScope:
    """WSGI middleware in the request's thread: the body read on the loop, if it was."""

    def __init__(self, app: Any) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        body = environ.get("asgi.scope", {}).get(SCOPE_KEY)
        if body is not None:
            environ["wsgi.input"] = io.BytesIO(body)
        return self.app(environ, start_response)
