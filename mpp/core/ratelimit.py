"""A fixed-window rate limit on the shared cache (Redis in production, so across workers).

While Redis cannot be reached, each process counts in its own memory (the cache "local"): a
limit per worker instead of none at all, and no citizen refused because Redis is down
(core/redis_pool.py, docs/adr/0017)."""

from __future__ import annotations

from django.core.cache.backends.base import BaseCache

from mpp.core import clock, redis_pool


def allow(key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one hit for `key`; False once more than `limit` hits fall in the current window."""
    window = int(clock.now().timestamp()) // window_seconds
    cache_key = f"mpp:rate:{key}:{window}"
    hits = redis_pool.on_shared_cache(
        "batas permintaan", lambda store: _count(store, cache_key, timeout=window_seconds * 2)
    )
    return hits <= limit


def _count(store: BaseCache, cache_key: str, *, timeout: int) -> int:
    store.add(cache_key, 0, timeout=timeout)
    try:
        return int(store.incr(cache_key))
    except ValueError:  # evicted between add and incr: start again
        store.set(cache_key, 1, timeout=timeout)
        return 1
