"""Shared test fixtures: Kukar's data loaded once per test database, and the named cast."""

from __future__ import annotations

import os

import pytest
from django.conf import settings


def pytest_configure(config: pytest.Config) -> None:
    """On pytest-xdist's workers (`make test-unit` runs two), each worker its own Redis database
    (mpp/core/tests/parallel.py): gw1 of REDIS_URL=…/15 uses …/14. Every test empties the cache
    (`_fresh_cache`, a FLUSHDB), which on a shared database would wipe the rate limits, event
    numbers and channel groups of the test the other worker is running. Set before any test
    module is imported (some read REDIS_URL at import) and before the first cache, channel
    layer or job queue connects; the environment carries it to the servers tests start."""
    worker = getattr(config, "workerinput", {}).get("workerid")
    url = os.environ.get("REDIS_URL", "")
    if not worker or not url:
        return
    from huey.contrib.djhuey import HUEY

    from mpp.core.tests.parallel import redis_url_of_this_worker
    from mpp.settings import redis_channel_layer_config

    own = redis_url_of_this_worker(url, worker)
    os.environ["REDIS_URL"] = settings.REDIS_URL = own
    settings.CACHES["default"]["LOCATION"] = own
    settings.CHANNEL_LAYERS["default"]["CONFIG"] = redis_channel_layer_config(own)
    settings.HUEY["url"] = own
    HUEY.storage_kwargs["url"] = own  # made at start-up from REDIS_URL (djhuey)
    HUEY.storage = HUEY.create_storage()


def pytest_sessionstart(session: pytest.Session) -> None:
    """With REDIS_URL set the suite needs that Redis (cache, channel layer, rate limits): when it
    does not answer, stop before the first test with the command that starts it, instead of
    hundreds of failures or the Redis-down fallbacks passing for the Redis path (ADR 0027)."""
    url = os.environ.get("REDIS_URL", "")
    if not url:
        return
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        kwargs = client.connection_pool.connection_kwargs
        host, port = kwargs.get("host", "127.0.0.1"), kwargs.get("port", 6379)
        pytest.exit(
            f"REDIS_URL={url} is set but Redis does not answer ({exc}).\n"
            f"Start it:  redis-server --daemonize yes --bind {host} --port {port} --save ''\n"
            "(.ci/run starts it too), or unset REDIS_URL to test the embedded default.",
            returncode=3,
        )
    finally:
        client.close()


@pytest.fixture(autouse=True)
def _plain_static_storage(settings, tmp_path):  # type: ignore[no-untyped-def]
    """Tests render templates without running collectstatic first: no manifest needed. Files
    a test stores (uploads, job results) go to its own folder, not the checkout's var/files."""
    # A fast hasher: production's PBKDF2 costs ~0.5 s per demo account and login here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "files")},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _fresh_cache():  # type: ignore[no-untyped-def]
    """Rate limits and event sequences live in the cache: every test starts with an empty one."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _default_language():  # type: ignore[no-untyped-def]
    """Every test starts in the site's language (Indonesian). A request in English leaves its
    language active in the thread (LocaleMiddleware does not undo it), and on a test process
    of pytest-xdist any test file may follow one."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _jobs_run_in_the_test(settings, tmp_path):  # type: ignore[no-untyped-def]
    """Background jobs run in the test's own process and transaction, when the transaction
    commits (`django_capture_on_commit_callbacks(execute=True)`), on huey's in-memory queue:
    never the developer's queue file or Redis; the files they store go to the test's own
    folder. Tests of the real worker (core/tests/test_worker.py) point the queue at their own."""
    from huey.contrib.djhuey import HUEY

    settings.MEDIA_ROOT = tmp_path / "files"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "files")},
        },
    }
    HUEY.immediate = True
    yield
    HUEY.immediate = True


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
    from mpp.regions.tests.kukar import kukar_loaded

    return kukar_loaded()


@pytest.fixture
def uji(db):  # type: ignore[no-untyped-def]
    """Kabupaten Uji, a small synthetic region (mpp/regions/tests/fixtures/uji: two kecamatan,
    an MPP and a Mini MPP, three tenants, five services) loaded through the region loader inside
    the test: for tests that need a region, not Kukar's data, so editing Kukar's files breaks
    none of them. Its codes and slugs are no real region's; Kukar stays loaded beside it."""
    from pathlib import Path

    from mpp.malls.models import Region
    from mpp.regions.loader import load_region

    load_region("uji", root=Path(__file__).parent / "mpp/regions/tests/fixtures/uji")
    return Region.objects.get(slug="uji")


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
