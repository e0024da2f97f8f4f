"""Reference data in process memory: kept within a generation, dropped on any change."""

from __future__ import annotations

import pytest
import redis
from django.conf import settings
from django.core.cache import cache

from mpp.core import refcache


def test_a_value_is_computed_once_per_generation(db):  # type: ignore[no-untyped-def]
    calls = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    assert refcache.remembered(("t", 1), compute) == 1
    assert refcache.remembered(("t", 1), compute) == 1
    refcache.invalidate()
    assert refcache.remembered(("t", 1), compute) == 2


def test_an_emptied_cache_starts_a_new_generation():
    """After Redis restarts nothing old may be served: the restart empties the cache and drops
    each process's subscription, so each forgets the generation it kept (as here)."""
    before = refcache.generation()
    cache.clear()
    refcache.forget_generation()
    assert refcache.generation() != before


# Redis runs on this machine for both passes of the suite; without REDIS_URL (the SQLite pass)
# the watch is tested on a database of its own.
WATCHED = settings.REDIS_URL or "redis://127.0.0.1:6379/12"


@pytest.fixture
def watch():  # type: ignore[no-untyped-def]
    found = refcache.GenerationWatch(WATCHED)
    found.RECONNECT_AFTER = 0.05  # type: ignore[misc]
    assert found.changes_heard.wait(10), "never subscribed"
    found.changes_heard.clear()
    yield found
    found.stop()


def test_a_kept_generation_is_dropped_when_a_change_is_announced(watch):  # type: ignore[no-untyped-def]
    watch.remember("g1", watch.epoch)
    assert watch.current() == "g1"
    redis.Redis.from_url(WATCHED).publish(watch.channel, "g2")  # another process bumped
    assert watch.changes_heard.wait(10)
    assert watch.current() is None


def test_a_read_older_than_the_last_change_is_not_kept(watch):  # type: ignore[no-untyped-def]
    epoch = watch.epoch
    watch.forget()  # a change heard while the read was on its way
    watch.remember("stale", epoch)
    assert watch.current() is None


def test_a_lost_subscription_is_not_trusted_until_renewed(watch):  # type: ignore[no-untyped-def]
    watch.remember("g1", watch.epoch)
    admin = redis.Redis.from_url(WATCHED)
    (mine,) = [c for c in admin.client_list() if c["name"] == watch.name]
    admin.client_kill_filter(_id=mine["id"])  # as a Redis restart would
    assert watch.changes_heard.wait(10)
    assert watch.current() is None
    watch.changes_heard.clear()
    assert watch.changes_heard.wait(10)  # subscribed again
    watch.remember("g2", watch.epoch)
    assert watch.current() == "g2"


def test_misses_of_outsiders_keys_are_not_kept():
    calls = []

    def compute() -> None:
        calls.append(1)

    refcache.remembered(("token", "guess"), compute, keep_none=False)
    refcache.remembered(("token", "guess"), compute, keep_none=False)
    assert len(calls) == 2


def test_saving_a_watched_model_starts_a_new_generation(kukar):  # type: ignore[no-untyped-def]
    from mpp.catalog.models import Service

    before = refcache.generation()
    service = Service.objects.first()
    assert service is not None
    service.save()
    assert refcache.generation() != before
