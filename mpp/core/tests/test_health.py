"""Liveness and readiness tell the truth: /livez while the process answers, /readyz naming what
is down with a 503 (docs/adr/0017, 0024): the database, its migrations, Redis when configured,
the job worker's heartbeat when jobs need a worker. Redis out of reach: test_without_redis.py."""

from __future__ import annotations

import time

import pytest
from django.db.migrations.recorder import MigrationRecorder
from huey.contrib.djhuey import HUEY
from huey.storage import MemoryStorage

from mpp.core import health, heartbeat
from mpp.core.tests.serving import free_port, serve


def test_liveness_answers_and_touches_nothing(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/livez")
    assert (response.status_code, response.json()) == (200, {"status": "alive"})
    assert "no-cache" in response["Cache-Control"]


def test_readiness_checks_the_database_and_redis_when_it_is_configured(client, db, settings):
    response = client.get("/readyz")
    assert response.status_code == 200
    checks = {
        "database": "ok",
        "migrations": "ok",
        **({"redis": "ok"} if settings.REDIS_URL else {}),
    }
    assert response.json() == {"status": "ready", "checks": checks, "down": []}


def test_health_endpoints_only_read(client, db):
    for path in ("/livez", "/readyz", "/healthz"):
        assert client.post(path).status_code == 405


def test_readiness_names_the_database_when_it_is_down():
    """A server whose PostgreSQL does not answer: alive, not ready, and says which part."""
    closed = f"postgres://mpp@127.0.0.1:{free_port()}/mpp"
    with serve({"DATABASE_URL": closed, "MPP_JOBS_IMMEDIATE": "1"}) as served:
        assert served.request("GET", "/livez") == (200, {"status": "alive"})
        status, ready = served.request("GET", "/readyz")
    assert status == 503
    assert ready == {"status": "unready", "checks": {"database": "down"}, "down": ["database"]}


def test_readiness_says_migrations_are_pending_while_one_is_not_applied(client, db, monkeypatch):
    """New code started before `mpp migrate`: unready, naming the migrations."""
    monkeypatch.setattr(health, "_migrated", False)
    latest = MigrationRecorder.Migration.objects.filter(app="core").latest("id")
    latest.delete()  # rolled back with the test
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == "pending"
    assert response.json()["down"] == ["migrations"]
    assert client.get("/livez").status_code == 200  # alive all the same: restarting won't help


@pytest.fixture
def jobs_with_a_worker():  # type: ignore[no-untyped-def]
    """Jobs queued for a worker (not run in the request), on a queue of this test's own."""
    HUEY.immediate = False
    HUEY.storage = MemoryStorage(HUEY.name)
    yield
    HUEY.immediate = True  # conftest's default; huey makes a fresh in-memory store


def test_readiness_names_the_worker_until_it_beats_and_after_it_stops(
    client, db, jobs_with_a_worker
):
    never = client.get("/readyz")
    assert (never.status_code, never.json()["checks"]["worker"]) == (503, "down")
    assert never.json()["down"] == ["worker"]

    heartbeat.beat()
    ready = client.get("/readyz")
    assert (ready.status_code, ready.json()["checks"]["worker"]) == (200, "ok")

    heartbeat.beat(time.time() - heartbeat.max_age() - 1)  # its last beat, then silence
    stale = client.get("/readyz")
    assert (stale.status_code, stale.json()["checks"]["worker"]) == (503, "down")


def test_jobs_run_in_the_request_need_no_worker(client, db):
    assert HUEY.immediate  # conftest: as MPP_JOBS_IMMEDIATE=1
    assert "worker" not in client.get("/readyz").json()["checks"]


def test_the_worker_starts_its_heartbeat_once_when_huey_starts_it(jobs_with_a_worker):
    """`mpp worker` imports core.heartbeat; huey runs its start-up hook in each worker thread."""
    assert "mpp-heartbeat" in HUEY._startup
    HUEY._startup["mpp-heartbeat"]()
    HUEY._startup["mpp-heartbeat"]()
    assert heartbeat.last_beat() is not None
    assert time.time() - heartbeat.last_beat() < heartbeat.max_age()


def test_liveness_holds_while_the_database_and_redis_are_both_out_of_reach():
    """A process that answers is alive: restarting it would not bring the database back."""
    closed = f"postgres://mpp@127.0.0.1:{free_port()}/mpp"
    env = {"DATABASE_URL": closed, "REDIS_URL": f"redis://127.0.0.1:{free_port()}/4"}
    with serve(env) as served:
        assert served.request("GET", "/livez") == (200, {"status": "alive"})
        status, ready = served.request("GET", "/readyz")
    assert status == 503
    assert {"database", "redis"} <= set(ready["down"])
