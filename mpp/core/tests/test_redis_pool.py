"""Django's cache on Redis: one connection pool per process, not a connection per request."""

from __future__ import annotations

import os

from django.core.cache.backends.redis import RedisCache

from mpp.core.redis_pool import SharedConnectionPool
from mpp.core.tests.parallel import redis_url_of_this_worker

REDIS_URL = os.environ.get("REDIS_URL") or redis_url_of_this_worker("redis://127.0.0.1:6379/13")
OPTIONS = {"pool_class": "mpp.core.redis_pool.SharedConnectionPool"}


def _cache() -> RedisCache:
    # What Django does for every new request context: a new cache object from the settings.
    return RedisCache(REDIS_URL, {"OPTIONS": OPTIONS})


def test_cache_objects_of_one_process_share_one_pool_and_its_connection():
    first, second = _cache(), _cache()
    first.set("mpp:test:pool", 1)
    assert second.get("mpp:test:pool") == 1
    pool = first._cache._get_connection_pool(write=True)
    assert second._cache._get_connection_pool(write=False) is pool
    opened = len(pool._available_connections) + len(pool._in_use_connections)
    for _ in range(20):
        _cache().get("mpp:test:pool")
    # The connections already open served every new object in turn: none was added.
    assert len(pool._available_connections) + len(pool._in_use_connections) == opened
    first.delete("mpp:test:pool")


def test_other_addresses_or_options_get_their_own_pool():
    a = SharedConnectionPool.from_url(REDIS_URL, socket_timeout=1)
    assert SharedConnectionPool.from_url(REDIS_URL, socket_timeout=1) is a
    assert SharedConnectionPool.from_url(REDIS_URL, socket_timeout=2) is not a
    assert SharedConnectionPool.from_url("redis://192.0.2.1:6379/0", socket_timeout=1) is not a
