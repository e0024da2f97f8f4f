"""Reference data in process memory: kept within a generation, dropped on any change."""

from __future__ import annotations

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
    """After Redis restarts (or tests clear the cache) nothing old may be served."""
    before = refcache.generation()
    cache.clear()
    assert refcache.generation() != before


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
