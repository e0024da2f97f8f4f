"""Shared test fixtures: Kukar's data loaded once per test database, and the named cast."""

from __future__ import annotations

import os

import pytest
from django.conf import settings

# Playwright's sync API runs an event loop in the test thread; Django must allow ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):  # type: ignore[no-untyped-def]
    """Tests render templates without running collectstatic first: no manifest needed."""
    # A fast hasher: production's PBKDF2 costs ~0.5 s per demo account and login here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _fresh_cache():  # type: ignore[no-untyped-def]
    """Rate limits and event sequences live in the cache: every test starts with an empty one."""
    from django.core.cache import cache

    from mpp.core import refcache

    cache.clear()
    refcache.forget_generation()  # a process keeps the generation while Redis says nothing
    yield


@pytest.fixture
def bump_elsewhere():  # type: ignore[no-untyped-def]
    """What another worker's change of reference data does to this process: the shared
    generation moves and is announced (core.refcache); returns once this process heard it."""
    import redis
    from django.core.cache import cache

    from mpp.core import refcache

    def bump(generation: str) -> None:
        cache.set(refcache.GENERATION_KEY, generation, timeout=None)
        watch = refcache._watch()
        if watch is not None:
            watch.changes_heard.clear()
            redis.Redis.from_url(watch.url).publish(watch.channel, generation)
            assert watch.changes_heard.wait(10), "the announcement never arrived"

    return bump


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """Load Kukar once into the test database; tests roll back their own changes."""
    from mpp.regions.loader import load_region

    with django_db_blocker.unblock():
        load_region(settings.MPP_REGION)
    yield
    # PostgreSQL: give the pooled connections back before the test database is dropped.
    from django.db import connections

    # An async test's fixtures run in another context, whose connection stays checked out of
    # the pool where this thread cannot close it; end such sessions so the database can go.
    with django_db_blocker.unblock():
        conn = connections["default"]
        if conn.vendor == "postgresql":
            with conn.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
        for conn in connections.all(initialized_only=True):
            conn.close()
            close_pool = getattr(conn, "close_pool", None)
            if close_pool is not None:
                close_pool()


@pytest.fixture
def kukar(db):  # type: ignore[no-untyped-def]
    """Kukar's region, reloaded if a transactional test flushed the database."""
    from mpp.investment.sectors import ensure_sectors
    from mpp.malls.models import Region
    from mpp.regions.loader import load_region
    from mpp.surveys.national import ensure as national_questionnaire

    region = Region.objects.filter(slug="kukar").first()
    if region is None:
        load_region("kukar")
        region = Region.objects.get(slug="kukar")
    ensure_sectors()  # reference data of a migration, gone after a transactional test's flush
    national_questionnaire()
    return region


@pytest.fixture
def cast(kukar):  # type: ignore[no-untyped-def]
    from mpp.accounts.tests.factories import Cast

    return Cast()


@pytest.fixture
def mall_mpp(kukar):  # type: ignore[no-untyped-def]
    from mpp.malls.models import Mall

    return Mall.objects.get(slug="mpp-kukar")


@pytest.fixture
def mall_loakulu(kukar):  # type: ignore[no-untyped-def]
    from mpp.malls.models import Mall

    return Mall.objects.get(slug="mini-mpp-loa-kulu")


@pytest.fixture
def service_by_slug(kukar):  # type: ignore[no-untyped-def]
    from mpp.catalog.models import Service

    return lambda slug: Service.objects.select_related("tenant").get(slug=slug)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
