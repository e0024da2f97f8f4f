"""Websockets under hostile input: an unknown path is refused cleanly (no HTTP 500, no
traceback), a frame that is not JSON is ignored quietly and the socket keeps forwarding events."""

from __future__ import annotations

import logging

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator

from mpp.asgi import application
from mpp.core.events import group_name
from mpp.core.ids import MAX_ID

# Transactional (the sockets' threads need committed rows), on the small synthetic region: each
# test loads it again after the previous test's flush, a fraction of Kukar's load.
pytestmark = [pytest.mark.anyio, pytest.mark.django_db(transaction=True)]

HOST = [(b"origin", b"http://127.0.0.1"), (b"host", b"127.0.0.1")]


def socket(path: str) -> WebsocketCommunicator:
    return WebsocketCommunicator(application, path, headers=HOST)


@pytest.mark.parametrize(
    "path",
    [
        "/ws/tidak-ada/",
        "/",
        "/ws/mal/",
        "/ws/mal/a b/",
        f"/ws/metapers/tanya/{MAX_ID + 1}/",
        "/ws/metapers/tanya/%00/",
    ],
)
async def test_an_unknown_socket_path_is_refused_without_an_error(uji, caplog, path):
    with caplog.at_level(logging.WARNING):
        connected, code = await socket(path).connect()
    assert (connected, code) == (False, 4404)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@database_sync_to_async
def mall_id(slug: str) -> int:
    from mpp.malls.models import Mall

    return int(Mall.objects.get(slug=slug).pk)


async def test_a_frame_that_is_not_json_on_the_board_socket_is_ignored_quietly(uji, caplog):
    board = socket("/ws/mal/mpp-uji/")
    assert (await board.connect())[0]
    with caplog.at_level(logging.WARNING):
        await board.send_to(text_data="{bukan json")
        await board.send_to(bytes_data=b"\x00\xff")
        await board.send_to(text_data='{"type": "apa saja"}')
        assert await board.receive_nothing(timeout=0.2)
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    # The socket still forwards the mall's events.
    event = {"type": "event.forward", "event": "mall.changed", "seq": 1, "payload": {}}
    await get_channel_layer().group_send(group_name("mall", await mall_id("mpp-uji")), event)
    assert (await board.receive_json_from(timeout=5))["event"] == "mall.changed"
    await board.disconnect()
