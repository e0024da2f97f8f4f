"""The Redis channel layer as configured: idle screens stay connected, closed ones stop.

Runs against the real Redis of this machine (REDIS_URL, or redis://127.0.0.1:6379/13): both
bugs guarded against here exist only with the real redis-py client and server.
"""

from __future__ import annotations

import asyncio
import os

import pytest
from channels_redis.core import RedisChannelLayer

from mpp.core.tests.parallel import redis_url_of_this_worker
from mpp.settings import redis_channel_layer_config

# One database per pytest worker: the layer's flush must not reach the other worker's groups.
REDIS_URL = os.environ.get("REDIS_URL") or redis_url_of_this_worker("redis://127.0.0.1:6379/13")


@pytest.mark.anyio
async def test_an_idle_receiver_survives_the_blocking_pops_timeout():
    layer = RedisChannelLayer(**redis_channel_layer_config(REDIS_URL))
    channel = await layer.new_channel()
    try:
        waiting = asyncio.ensure_future(layer.receive(channel))
        # Idle for longer than one BZPOPMIN: with redis-py's default 5 s read timeout the
        # receive fails here with TimeoutError, which closes the screen's socket.
        done, _ = await asyncio.wait({waiting}, timeout=layer.brpop_timeout + 1.5)
        assert not done, f"the idle receive ended: {waiting.exception()!r}"
        await layer.send(channel, {"type": "ticket.called", "n": 1})
        message = await asyncio.wait_for(waiting, timeout=5)
        assert message == {"type": "ticket.called", "n": 1}
    finally:
        await layer.flush()
        await layer.close_pools()


@pytest.mark.anyio
async def test_a_receive_cancelled_while_connecting_stops():
    """A screen that closes at once cancels its receive while the layer's first connection is
    being opened; every such cancellation must end the receive (with a socket timeout, redis-py's
    `wait_for` lost some on Python 3.11 and the receive polled Redis for ever)."""
    for steps in range(40):
        layer = RedisChannelLayer(**redis_channel_layer_config(REDIS_URL))
        channel = await layer.new_channel()
        receiving = asyncio.ensure_future(layer.receive(channel))
        for _ in range(steps):
            await asyncio.sleep(0)  # let the receive get `steps` steps into connecting
        receiving.cancel()
        done, _ = await asyncio.wait({receiving}, timeout=2)
        assert done, f"the receive cancelled after {steps} steps is still running"
        assert receiving.cancelled()
        await layer.close_pools()


def test_no_read_timeout_cuts_the_blocking_pop():
    config = redis_channel_layer_config("redis://127.0.0.1:6379/0")
    host = config["hosts"][0]
    assert host["address"] == "redis://127.0.0.1:6379/0"
    assert host["socket_timeout"] is None
    assert host["socket_connect_timeout"] > 0
