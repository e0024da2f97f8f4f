"""A fixed-window rate limit on the shared cache (Redis in production, so across workers)."""

from __future__ import annotations

from django.core.cache import cache

from mpp.core import clock


def allow(key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one hit for `key`; False once more than `limit` hits fall in the current window."""
    window = int(clock.now().timestamp()) // window_seconds
    cache_key = f"mpp:rate:{key}:{window}"
    cache.add(cache_key, 0, timeout=window_seconds * 2)
    try:
        hits = cache.incr(cache_key)
    except ValueError:  # evicted between add and incr: start again
        cache.set(cache_key, 1, timeout=window_seconds * 2)
        hits = 1
    return hits <= limit
