"""Presence counts at most MPP_PRESENCE_PER_ADDRESS sockets of one client address: 200 idle
sockets from one machine no longer make every visitor see "200 in the hall"."""

from __future__ import annotations

import pytest
import time_machine
from channels.testing import WebsocketCommunicator

from mpp.asgi import application
from mpp.metapers import presence

HOST = [(b"origin", b"http://127.0.0.1"), (b"host", b"127.0.0.1")]


def hall_socket(address: str) -> WebsocketCommunicator:
    socket = WebsocketCommunicator(application, "/ws/metapers/mpp-uji/", headers=HOST)
    socket.scope["client"] = (address, 40000)  # what the server (or a trusted proxy) reports
    return socket


def test_one_address_counts_up_to_its_cap_and_frees_a_place_when_one_leaves(settings):
    settings.MPP_PRESENCE_PER_ADDRESS = 3
    with time_machine.travel(0, tick=False):
        for n in range(10):
            presence.visitor_at(1, f"specific.{n}", None, address="203.0.113.7")
        presence.visitor_at(1, "specific.other", 5, address="198.51.100.1")
        assert presence.hall_frame(1) == {"type": "presence", "hall": 4, "booths": {"5": 1}}
        presence.visitor_left(1, "specific.0")
        assert presence.visitor_at(1, "specific.9", None, address="203.0.113.7")
        assert presence.hall_frame(1)["hall"] == 4
        assert "203.0.113.7" not in str(presence._load(presence._key("hall", 1)))


@pytest.mark.anyio
@pytest.mark.django_db(transaction=True)
async def test_many_sockets_from_one_address_count_as_the_cap(uji, settings):
    settings.MPP_PRESENCE_PER_ADDRESS = 4
    crowd = [hall_socket("203.0.113.7") for _ in range(12)]
    for socket in crowd:
        assert (await socket.connect())[0]
    visitor = hall_socket("198.51.100.1")
    assert (await visitor.connect())[0]
    frame = await visitor.receive_json_from(timeout=5)  # the snapshot on connect
    assert frame["hall"] == 4
    while frame["hall"] != 5:  # until this visitor's own arrival is announced
        frame = await visitor.receive_json_from(timeout=5)
    for socket in [*crowd, visitor]:
        await socket.disconnect()
