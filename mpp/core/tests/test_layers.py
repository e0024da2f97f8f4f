"""The embedded default's channel layer (core.layers): Channels' in-memory layer without the
per-message scans and tasks; what screens receive must not change."""

from __future__ import annotations

import pytest

from mpp.core.layers import InProcessChannelLayer

EVENT = {"type": "event.forward", "event": "ticket.called", "seq": 1, "payload": {"n": "A001"}}


async def _members(layer: InProcessChannelLayer, n: int, group: str = "mall.1") -> list[str]:
    names = [await layer.new_channel() for _ in range(n)]
    for name in names:
        await layer.group_add(group, name)
    return names


@pytest.mark.anyio
async def test_every_member_gets_the_message_once_and_others_none():
    layer = InProcessChannelLayer()
    members = await _members(layer, 3)
    outsider = (await _members(layer, 1, group="mall.2"))[0]
    sent = dict(EVENT)
    await layer.group_send("mall.1", sent)
    sent["seq"] = 99  # the sender's dict changing later changes nothing delivered
    for name in members:
        assert await layer.receive(name) == EVENT
        assert name not in layer.channels  # nothing more waits there
    assert outsider not in layer.channels


@pytest.mark.anyio
async def test_a_group_without_members_costs_nothing_and_keeps_nothing():
    layer = InProcessChannelLayer()
    await layer.group_send("mall.9", EVENT)
    assert layer.channels == {} and layer.groups == {}
    with pytest.raises(TypeError):
        await layer.group_send("mall.9", ["not", "a", "dict"])  # type: ignore[arg-type]


@pytest.mark.anyio
async def test_a_full_channel_misses_the_message_and_the_others_still_get_it():
    layer = InProcessChannelLayer(capacity=1)
    slow, fast = await _members(layer, 2)
    await layer.group_send("mall.1", EVENT)
    assert await layer.receive(fast) == EVENT
    await layer.group_send("mall.1", {**EVENT, "seq": 2})  # slow never read the first one
    assert (await layer.receive(slow))["seq"] == 1
    assert (await layer.receive(fast))["seq"] == 2


@pytest.mark.anyio
async def test_expired_messages_and_their_channels_are_still_dropped():
    layer = InProcessChannelLayer(expiry=-1)  # every message is already past its expiry
    (member,) = await _members(layer, 1)
    await layer.group_send("mall.1", EVENT)
    assert member in layer.channels
    layer._cleaned_at = float("-inf")  # the next scan is due
    layer._clean_expired()
    assert member not in layer.channels
    assert member not in layer.groups.get("mall.1", {})  # as Channels: dropped from its groups


@pytest.mark.anyio
async def test_the_scan_runs_at_most_once_a_second():
    layer = InProcessChannelLayer(expiry=-1)
    (member,) = await _members(layer, 1)
    layer._clean_expired()  # a scan now
    await layer.group_send("mall.1", EVENT)
    layer._clean_expired()  # within the second: no scan, the expired message stays
    assert member in layer.channels
