"""Presence: anonymous counts of visitors in a hall and at its booths, expiring with closed tabs,
broadcast at most once a second per hall, and under 1 KB/s per visitor during a burst."""

from __future__ import annotations

import json
import time
from decimal import Decimal

import pytest
import time_machine
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from mpp.asgi import application
from mpp.metapers import presence

HOST = [(b"origin", b"http://127.0.0.1"), (b"host", b"127.0.0.1")]
BURST = 50


def hall_socket(slug: str = "mpp-uji") -> WebsocketCommunicator:
    return WebsocketCommunicator(application, f"/ws/metapers/{slug}/", headers=HOST)


@database_sync_to_async
def make_booths(count: int = 3) -> list[int]:
    """Booths in a room of MPP Uji's hall (the small synthetic region; made here)."""
    from mpp.catalog.models import Tenant
    from mpp.malls.models import Mall
    from mpp.metapers.models import Booth, Facing, Hall, Room

    mall = Mall.objects.get(slug="mpp-uji")
    hall = Hall.objects.filter(mall=mall).first() or Hall.objects.create(
        mall=mall,
        width=Decimal(60),
        depth=Decimal(40),
        entrance_x=Decimal(1),
        entrance_y=Decimal(1),
    )
    room = Room.objects.create(
        hall=hall,
        name="Uji",
        kind=Room.Kind.SERVICE,
        x=Decimal(0),
        y=Decimal(0),
        width=Decimal(30),
        depth=Decimal(20),
    )
    tenants = list(Tenant.objects.filter(region=mall.region)[:count])
    return [
        Booth.objects.create(
            room=room,
            tenant=t,
            x=Decimal(3 * n),
            y=Decimal(2),
            width=Decimal(2),
            depth=Decimal(2),
            facing=Facing.SOUTH,
        ).pk
        for n, t in enumerate(tenants)
    ]


def test_counts_name_nobody_and_a_closed_tab_drops_out():
    with time_machine.travel(0, tick=False) as traveller:
        presence.visitor_at(1, "specific.a", None)
        presence.visitor_at(1, "specific.b", 7)
        presence.visitor_at(1, "specific.c", 7)
        assert presence.hall_frame(1) == {"type": "presence", "hall": 3, "booths": {"7": 2}}
        assert "specific" not in json.dumps(presence.hall_frame(1))
        traveller.shift(presence.ROSTER_TTL - 10)
        presence.visitor_at(1, "specific.a", 9)  # the heartbeat of a tab still open
        traveller.shift(11)
        assert presence.hall_frame(1) == {"type": "presence", "hall": 1, "booths": {"9": 1}}
        presence.visitor_left(1, "specific.a")
        assert presence.hall_frame(1) == {"type": "presence", "hall": 0, "booths": {}}


def test_an_officers_inbox_counts_until_it_closes_or_expires():
    with time_machine.travel(0, tick=False) as traveller:
        presence.officer_connected(3, 1, "specific.x")
        assert presence.officers_connected(3, 1) == 1
        assert presence.officers_connected(4, 1) == 0
        traveller.shift(presence.ROSTER_TTL + 1)
        assert presence.officers_connected(3, 1) == 0


@pytest.mark.anyio
@pytest.mark.django_db(transaction=True)
async def test_a_visitor_gets_the_counts_and_bad_messages_get_an_error(uji):
    booths = await make_booths(1)
    visitor = hall_socket()
    assert (await visitor.connect())[0]
    assert await visitor.receive_json_from(timeout=5) == {
        "type": "presence",
        "hall": 0,
        "booths": {},
    }  # the snapshot on connect, before this visitor counts
    assert (await visitor.receive_json_from(timeout=5))["hall"] == 1
    for bad in ({"type": "at", "booth": 999999}, {"type": "at", "booth": "1"}, {"type": "x"}, []):
        await visitor.send_json_to(bad)
        assert (await visitor.receive_json_from(timeout=5))["type"] == "error"
    await visitor.send_to(text_data="{not json")
    assert await visitor.receive_json_from(timeout=5) == {
        "type": "error",
        "message": "Pesan bukan JSON.",
    }
    await visitor.send_json_to({"type": "at", "booth": booths[0]})
    frame = await visitor.receive_json_from(timeout=5)
    assert frame == {"type": "presence", "hall": 1, "booths": {str(booths[0]): 1}}
    await visitor.disconnect()
    unknown = hall_socket("tidak-ada")
    assert (await unknown.connect()) == (False, 4404)


@pytest.mark.anyio
@pytest.mark.django_db(transaction=True)
async def test_a_burst_of_50_visitors_costs_one_visitor_under_1_kb_per_second(uji):
    """Figure (this machine): about 3 frames, ~200 bytes, over ~1 s: ~0.2 KB/s per visitor."""
    booths = await make_booths(3)
    observer = hall_socket()
    assert (await observer.connect())[0]
    started = time.monotonic()
    sizes: list[int] = []

    crowd = [hall_socket() for _ in range(BURST)]
    for n, visitor in enumerate(crowd):
        assert (await visitor.connect())[0]
        await visitor.send_json_to({"type": "at", "booth": booths[n % 3]})
    for n, visitor in enumerate(crowd[:25]):  # half of them walk on to the next booth
        await visitor.send_json_to({"type": "at", "booth": booths[(n + 1) % 3]})

    where = [booths[(n + 1) % 3] if n < 25 else booths[n % 3] for n in range(BURST)]
    final = {
        "type": "presence",
        "hall": BURST + 1,
        "booths": {str(b): where.count(b) for b in booths},
    }
    while True:  # until the counts after every move arrive (a trailing frame, within ~1 s)
        text = await observer.receive_from(timeout=5)
        sizes.append(len(text.encode()))
        if json.loads(text) == final:
            break
    elapsed = time.monotonic() - started
    per_second = sum(sizes) / max(elapsed, 1.0)
    assert max(sizes) < 200
    assert len(sizes) <= 2 + int(elapsed / presence.BROADCAST_INTERVAL) + 1
    assert per_second < 1024
    for visitor in [observer, *crowd]:
        await visitor.disconnect()
