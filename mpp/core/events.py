"""A small technical event bus: typed events, a sequence number per group, sent after commit.

Screens load a snapshot, apply events in sequence order, and reload the snapshot when they see a
gap (a missing sequence number) or reconnect. Events that reach public screens carry no personal
data: callers choose the payload, the bus only numbers and delivers it.

Events are a convenience, never the record: while Redis cannot be reached they are dropped (logged
once, core/redis_pool.py) and the change that sent them stands. Screens notice the silence (their
socket drops, or the next event's number jumps) and poll their snapshot (docs/adr/0017).
"""

from __future__ import annotations

import asyncio
import functools
import logging
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import redis
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from mpp.core import redis_pool

logger = logging.getLogger(__name__)

_EVENT_TYPE = re.compile(r"^[a-z_]+\.[a-z_]+$")  # noun.past_verb, e.g. ticket.called


@dataclass(frozen=True)
class Event:
    type: str
    payload: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not _EVENT_TYPE.match(self.type):
            raise ValueError(f"event type {self.type!r} is not noun.past_verb")


def group_name(kind: str, key: object) -> str:
    """Channel-layer group names allow only ASCII letters, digits, '-', '_' and '.'."""
    return f"{kind}.{key}"


@functools.cache
def _redis() -> redis.Redis | None:
    """Redis itself for the sequence numbers when REDIS_URL is set: one INCR, where Django's
    cache API spends two round trips (EXISTS, then INCR) on every event (docs/BENCHMARKS.md)."""
    url = settings.REDIS_URL
    # Bounded waits: a Redis that does not answer must not hold a ticket's response.
    return redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2) if url else None


def next_sequence(group: str) -> int:
    """The next sequence number of `group` (shared across processes with Redis)."""
    key = f"mpp:event-seq:{group}"
    shared = _redis()
    if shared is not None:
        return int(shared.incr(key))
    try:  # one process: the in-memory cache
        return int(cache.incr(key))
    except ValueError:  # the group's first event (or the cache was emptied): start the count
        cache.add(key, 0, timeout=None)
        return int(cache.incr(key))


def current_sequence(group: str) -> int:
    """The last sequence number sent to `group`, for snapshots; 0 while Redis is out of reach:
    too low is safe (the next event looks like a gap and screens reload), too high would hide
    events."""
    key = f"mpp:event-seq:{group}"
    shared = _redis()
    if shared is not None:
        if not redis_pool.reachable():
            return 0
        try:
            return int(shared.get(key) or 0)
        except redis.RedisError as error:
            redis_pool.failed("acara langsung", error)
            return 0
    return int(cache.get(key, 0))


_outbox = threading.local()


def publish(group: str, event: Event) -> None:
    """Send `event` to `group` once the current transaction commits (at once outside one).

    The sequence number is taken at commit, so numbers follow the order of commits. Inside
    `held_until_released()` the sending itself waits until that block ends (see there)."""

    def send() -> None:
        if not redis_pool.reachable():
            return  # Redis failed a moment ago: no live events; screens poll
        try:
            seq = next_sequence(group)
        except redis.RedisError as error:
            redis_pool.failed("acara langsung", error)
            return
        message = {
            "type": "event.forward",
            "event": event.type,
            "seq": seq,
            "payload": event.payload,
            # Wall-clock seconds at commit: screens ignore it; bench/fanout_bench.py measures
            # commit-to-screen latency with it (same machine, same clock).
            "sent_at": time.time(),
        }
        pending = getattr(_outbox, "pending", None)
        if pending is not None:
            pending.append((group, message))
        else:
            _deliver(group, message)

    transaction.on_commit(send)


_server_loop: asyncio.AbstractEventLoop | None = None


class ServerLoop:
    """ASGI wrapper that remembers the server's event loop (mpp/asgi.py).

    Requests run in worker threads; their events are handed to the channel layer on this loop
    without waiting, where `async_to_sync` would have made the thread wait for the loop's turn
    (or, outside any loop, start an event loop per event)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        global _server_loop
        _server_loop = asyncio.get_running_loop()
        await self.app(scope, receive, send)


def _deliver(group: str, message: dict[str, Any]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    loop = _server_loop
    if loop is not None and loop.is_running() and not _on_loop(loop):
        # Scheduled in call order (FIFO); screens reload their snapshot on any gap anyway.
        sent = asyncio.run_coroutine_threadsafe(layer.group_send(group, message), loop)
        sent.add_done_callback(_report_failure)
        return
    try:
        async_to_sync(layer.group_send)(group, message)  # management commands, tests
    except redis.RedisError as error:
        redis_pool.failed("acara langsung", error)


def _on_loop(loop: asyncio.AbstractEventLoop) -> bool:
    try:
        return asyncio.get_running_loop() is loop
    except RuntimeError:
        return False


def _report_failure(sent: Any) -> None:
    if sent.cancelled() or sent.exception() is None:
        return
    error = sent.exception()
    if isinstance(error, redis.RedisError):
        redis_pool.failed("acara langsung", error)
    else:
        logger.error("event not delivered", exc_info=error)


@contextmanager
def held_until_released() -> Iterator[None]:
    """Deliver the events committed inside this block when it ends, in commit order.

    core.db wraps SQLite's in-process writer lock in this: handing a message to the channel
    layer waits for the event loop (or Redis), and the next writer need not wait for that."""
    if getattr(_outbox, "pending", None) is not None:  # nested: the outer block delivers
        yield
        return
    _outbox.pending = []
    try:
        yield
    finally:
        pending, _outbox.pending = _outbox.pending, None
        for group, message in pending:
            _deliver(group, message)
