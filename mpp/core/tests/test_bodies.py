"""Small request bodies are read on the event loop before the thread hop (core.bodies); larger
ones are streamed to Django as before. Both must reach the view whole."""

from __future__ import annotations

import json
from typing import Any

import pytest
from channels.testing import HttpCommunicator

from mpp.asgi import application
from mpp.core.bodies import LIMIT, SCOPE_KEY, BodyFromScope, ReadSmallBodies
from mpp.core.tests.serving import FIRST_REQUEST_TIMEOUT

# The ASGI application's HTTP threads are shared by the whole test process: one that served a
# database test before keeps its connection, and Django's request_started handler checks it
# (close_old_connections). So these requests need database access allowed, though they read
# nothing.
pytestmark = pytest.mark.django_db


async def _post(body: bytes, **extra: Any) -> dict[str, Any]:
    headers = [(b"content-type", b"application/json")]
    headers.append((b"content-length", str(len(body)).encode()))
    return await HttpCommunicator(
        application, "POST", "/api/v1/malls/1/tickets", body=body, headers=headers
    ).get_response(timeout=FIRST_REQUEST_TIMEOUT)


@pytest.mark.anyio
@pytest.mark.parametrize("padding", [0, LIMIT + 1], ids=["read-on-the-loop", "streamed"])
async def test_the_body_reaches_the_view_whole(padding):
    # An invalid service id is refused by the body's schema, before any database work.
    body = json.dumps({"service_id": 0, "catatan": "x" * padding}).encode()
    response = await _post(body)
    assert response["status"] == 400
    (problem,) = json.loads(response["body"])["detail"]
    assert problem["field"] == "payload.service_id" and problem["type"] == "greater_than_equal"


def _scripted(*messages: dict[str, Any]) -> Any:
    pending = list(messages)

    async def receive() -> dict[str, Any]:
        return pending.pop(0)

    return receive


def _http(method: str, length: int | None) -> dict[str, Any]:
    headers = [] if length is None else [(b"content-length", str(length).encode())]
    return {"type": "http", "method": method, "headers": headers}


@pytest.mark.anyio
async def test_chunks_are_joined_and_the_thread_reads_them_from_memory():
    seen: dict[str, Any] = {}

    async def inner(scope: Any, receive: Any, send: Any) -> None:
        environ = {"asgi.scope": scope, "wsgi.input": None}
        BodyFromScope(lambda env, start: seen.setdefault("body", env["wsgi.input"].read()))(
            environ, None
        )

    chunks = _scripted(
        {"type": "http.request", "body": b'{"a": ', "more_body": True},
        {"type": "http.request", "body": b"1}", "more_body": False},
    )
    await ReadSmallBodies(inner)(_http("POST", 8), chunks, None)
    assert seen["body"] == b'{"a": 1}'


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("method", "length"), [("GET", None), ("POST", None), ("POST", LIMIT + 1), ("PUT", -1)]
)
async def test_other_requests_keep_their_stream(method, length):
    scopes: list[Any] = []

    async def inner(scope: Any, receive: Any, send: Any) -> None:
        scopes.append(scope)

    await ReadSmallBodies(inner)(_http(method, length), _scripted(), None)
    assert SCOPE_KEY not in scopes[0]


@pytest.mark.anyio
async def test_a_client_that_leaves_before_its_body_gets_no_answer():
    called = []

    async def inner(scope: Any, receive: Any, send: Any) -> None:
        called.append(scope)

    await ReadSmallBodies(inner)(_http("POST", 10), _scripted({"type": "http.disconnect"}), None)
    assert called == []
