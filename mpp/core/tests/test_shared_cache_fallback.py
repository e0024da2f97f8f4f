"""While Redis cannot be reached, what lives on the shared cache falls back on each process's own
memory (core/redis_pool.py, docs/adr/0017): rate limits still count and a paper survey sheet is
still saved once, not refused with a server error."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mpp.core import ratelimit, redis_pool
from mpp.core.tests.serving import free_port
from mpp.surveys.views_paper import new_nonce, spend_nonce


@pytest.fixture
def redis_unreachable(settings) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """The default cache is a Redis where nothing listens; the outage ends with the test."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/5",
        },
        "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t"},
    }
    yield
    # The outage is process state (one log line per outage): end it so later tests see Redis
    # as they configure it, not as skipped for the next second.
    redis_pool._down_since = None
    redis_pool._failed_at = float("-inf")


def test_a_paper_sheet_is_saved_once_while_redis_is_down(redis_unreachable):
    nonce = new_nonce()
    assert spend_nonce(nonce) is True
    assert spend_nonce(nonce) is False
    assert redis_pool.is_down()


def test_rate_limits_still_count_while_redis_is_down(redis_unreachable):
    allowed = [ratelimit.allow("test:fallback", limit=3, window_seconds=60) for _ in range(5)]
    assert allowed == [True, True, True, False, False]
