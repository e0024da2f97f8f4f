"""Every request and websocket connection has an id: the trusted proxy's X-Request-ID, else
one made here; it is echoed in the response and printed in every JSON log line written while it
is served (docs/adr/0024)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from channels.testing import HttpCommunicator
from websockets.sync.client import connect
from websockets.typing import Origin

from mpp.asgi import application
from mpp.core.requestid import chosen_id
from mpp.core.tests.serving import FIRST_REQUEST_TIMEOUT, database_env, serve

pytestmark = pytest.mark.django_db
NEW_ID = re.compile(r"[0-9a-f]{32}")


def scope(peer: str, request_id: bytes | None) -> dict[str, Any]:
    headers = [(b"x-request-id", request_id)] if request_id is not None else []
    return {"type": "http", "client": (peer, 5000), "headers": headers}


@pytest.mark.parametrize(
    ("peer", "sent", "kept"),
    [
        ("127.0.0.1", b"a1b2c3-req.42_x", True),  # nginx on this machine, its $request_id
        ("203.0.113.9", b"a1b2c3", False),  # a client talking to the server directly
        ("127.0.0.1", b"two\nlines", False),  # not an id: never written into the logs
        ("127.0.0.1", b"x" * 65, False),
        ("127.0.0.1", b"", False),
    ],
)
def test_the_proxys_id_is_kept_only_from_a_trusted_proxy_and_when_well_formed(
    settings, peer, sent, kept
):
    settings.MPP_TRUSTED_PROXIES = ["127.0.0.1"]
    found = chosen_id(scope(peer, sent))
    assert (found == sent.decode()) == kept
    if not kept:
        assert NEW_ID.fullmatch(found)


def test_without_trusted_proxies_every_id_is_made_here(settings):
    settings.MPP_TRUSTED_PROXIES = []
    assert NEW_ID.fullmatch(chosen_id(scope("127.0.0.1", b"chosen-by-client")))


@pytest.mark.anyio
async def test_every_response_carries_its_id_static_files_too(settings):
    settings.MPP_TRUSTED_PROXIES = []
    seen = set()
    for path in ("/api/v1/ping", "/tidak-ada/", settings.STATIC_URL + "mpp/site.css"):
        response = await HttpCommunicator(
            application, "GET", path, headers=[(b"x-request-id", b"from-client")]
        ).get_response(timeout=FIRST_REQUEST_TIMEOUT)
        ids = [v.decode() for k, v in response["headers"] if k.lower() == b"x-request-id"]
        assert len(ids) == 1 and NEW_ID.fullmatch(ids[0]), (path, ids)
        seen.add(ids[0])
    assert len(seen) == 3  # one per request


def json_lines(log: list[str]) -> list[dict[str, Any]]:
    found = []
    for line in log:
        try:
            found.append(json.loads(line))
        except ValueError:
            continue
    return found


def test_json_logs_carry_the_request_id_of_the_request_they_were_written_in(
    transactional_db, kukar, tmp_path
):
    env = {
        **database_env(tmp_path),
        "MPP_LOG_FORMAT": "json",
        "MPP_TRUSTED_PROXIES": "127.0.0.1",
        "MPP_JOBS_IMMEDIATE": "1",
        "LOG_LEVEL": "INFO",
    }
    with serve(env) as served:
        # nginx's id is kept; the 404 is logged by Django (django.request) inside the request.
        status, headers, _body = served.exchange(
            "GET", "/tidak-ada/", headers={"X-Request-ID": "nginx-7f3a"}
        )
        assert (status, headers["x-request-id"]) == (404, "nginx-7f3a")
        # Without one, the server's own id, in the response and in the log line alike.
        status, headers, _body = served.exchange("GET", "/juga-tidak-ada/")
        made = headers["x-request-id"]
        assert status == 404 and NEW_ID.fullmatch(made)
        # A board's websocket: its lines carry the id of its handshake.
        with connect(
            f"ws://127.0.0.1:{served.port}/ws/mal/mpp-kukar/",
            origin=Origin("http://127.0.0.1"),
            additional_headers={"X-Request-ID": "nginx-ws-1"},
        ) as board:
            board.ping().wait(timeout=10)
        process = served.process
    lines = json_lines(served.log)
    assert lines, "".join(served.log)
    assert all({"time", "level", "logger", "message", "request_id"} <= set(line) for line in lines)
    by_message = {line["message"]: line for line in lines}
    assert by_message["websocket mall opened"]["request_id"] == "nginx-ws-1"
    # uvicorn's access log too, without its coloured copy of the message.
    access = [line for line in lines if line["logger"] == "uvicorn.access"]
    assert {"nginx-7f3a", made} <= {line["request_id"] for line in access}
    assert not any("color_message" in line for line in lines)
    assert by_message["Not Found: /tidak-ada/"]["request_id"] == "nginx-7f3a"
    assert by_message["Not Found: /juga-tidak-ada/"]["request_id"] == made
    # Lines outside any request (uvicorn starting its worker) say so with "-".
    started = [line for line in lines if "Started server process" in line["message"]]
    assert started and started[0]["request_id"] == "-", process.pid
