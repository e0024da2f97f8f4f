"""One Redis connection pool per process for Django's cache, and what happens when Redis is down.

Django keeps a cache object per request context (asgiref's Local), and each of its Redis cache
objects opened its own pool: every request that touched the cache opened a new TCP connection to
Redis and ran redis-py's handshake (HELLO, CLIENT SETINFO, which reads package metadata from
disk) — about half of a ticket's time on PostgreSQL + Redis (docs/BENCHMARKS.md). Pools are
thread-safe and reconnect after a fork, so all of a process's cache objects share one.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

import redis
from django.core.cache import cache, caches
from django.core.cache.backends.base import BaseCache

T = TypeVar("T")


class SharedConnectionPool(redis.ConnectionPool):
    """`pool_class` of the cache's OPTIONS: `from_url` returns the process's pool for that URL
    and those options, creating it once."""

    _shared: dict[tuple[Any, ...], redis.ConnectionPool] = {}
    _shared_lock = threading.Lock()

    @classmethod
    def from_url(cls, url: str, **kwargs: Any) -> redis.ConnectionPool:  # type: ignore[override]
        key = (os.getpid(), url, tuple(sorted((k, repr(v)) for k, v in kwargs.items())))
        with cls._shared_lock:
            pool = cls._shared.get(key)
            if pool is None:
                pool = cls._shared[key] = redis.ConnectionPool.from_url(url, **kwargs)
        return pool


# --- Redis out of reach ---------------------------------------------------------------------
# Redis carries the shared cache (rate limits, the reference data's generation) and the live
# events, never a ticket: when it cannot be reached, issuing and calling go on without it
# (docs/adr/0017). Each caller falls back on its own terms; this says so once in the log, once
# more when Redis answers again, and spares callers a wait on a Redis that just failed.

RETRY_AFTER = 1.0  # seconds after a failure during which callers go straight to their fallback

logger = logging.getLogger(__name__)
_outage_lock = threading.Lock()
_down_since: float | None = None  # time.monotonic() of the first failure of this outage
_failed_at = float("-inf")


def reachable() -> bool:
    """False for RETRY_AFTER seconds after a failure: skip Redis, use the fallback."""
    return time.monotonic() - _failed_at >= RETRY_AFTER


def failed(purpose: str, error: Exception) -> None:
    """Redis did not answer `purpose` (e.g. "batas permintaan"): logged once per outage."""
    global _down_since, _failed_at
    now = time.monotonic()
    with _outage_lock:
        _failed_at = now
        first = _down_since is None
        if first:
            _down_since = now
    if first:
        logger.error(
            "Redis unreachable (%s: %s); serving without it: no live events, rate limits per "
            "process, reference data read from the database on every request",
            purpose,
            error,
        )


def answered() -> None:
    """Redis answered: ends the outage (logged), if there was one."""
    global _down_since
    if _down_since is None:  # the usual case: no lock
        return
    with _outage_lock:
        since, _down_since = _down_since, None
    if since is not None:
        logger.warning("Redis answers again after %.0f s", time.monotonic() - since)


def on_shared_cache(purpose: str, operation: Callable[[BaseCache], T]) -> T:
    """`operation` on the shared cache (Redis when configured); while Redis cannot be reached,
    on this process's own memory cache ("local") instead: a per-process answer (a rate limit
    per worker, a one-time form claimed per worker) rather than a refused request."""
    if reachable():
        try:
            result = operation(cache)
        except redis.RedisError as error:
            failed(purpose, error)
        else:
            answered()
            return result
    return operation(caches["local"])


def is_down() -> bool:
    """Whether this process saw Redis fail and has not seen it answer since."""
    return _down_since is not None


class ClosesSocketsWithoutRedis:
    """ASGI wrapper of the websocket routes (mpp/asgi.py): a consumer that cannot reach the
    channel layer's Redis, joining its group or waiting for events, closes its socket ("try again
    later"), logged once, where each socket logged a traceback. Screens then poll their snapshot
    until a new socket holds (board.js, ticket.js, console.js)."""

    TRY_AGAIN_LATER = 1013  # websocket close code (RFC 6455 registry)

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        try:
            await self.app(scope, receive, send)
        except redis.RedisError as error:
            failed("acara langsung (websocket)", error)
            # Before the handshake this refuses it (HTTP 403); after, it closes the socket.
            with contextlib.suppress(Exception):  # the socket may be gone already
                await send({"type": "websocket.close", "code": self.TRY_AGAIN_LATER})
