"""One Redis connection pool per process for Django's cache.

Django keeps a cache object per request context (asgiref's Local), and each of its Redis cache
objects opened its own pool: every request that touched the cache opened a new TCP connection to
Redis and ran redis-py's handshake (HELLO, CLIENT SETINFO, which reads package metadata from
disk) — about half of a ticket's time on PostgreSQL + Redis (docs/BENCHMARKS.md). Pools are
thread-safe and reconnect after a fork, so all of a process's cache objects share one.
"""

from __future__ import annotations

import os
import threading
from typing import Any

import redis


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
