"""Liveness and readiness tell the truth: /livez while the process answers, /readyz naming what
is down with a 503 (docs/adr/0017). Redis out of reach: test_without_redis.py."""

from __future__ import annotations

from mpp.core.tests.serving import free_port, serve


def test_liveness_answers_and_touches_nothing(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/livez")
    assert (response.status_code, response.json()) == (200, {"status": "alive"})
    assert "no-cache" in response["Cache-Control"]


def test_readiness_checks_the_database_and_redis_when_it_is_configured(client, db, settings):
    response = client.get("/readyz")
    assert response.status_code == 200
    checks = {"database": "ok", **({"redis": "ok"} if settings.REDIS_URL else {})}
    assert response.json() == {"status": "ready", "checks": checks, "down": []}


def test_health_endpoints_only_read(client, db):
    for path in ("/livez", "/readyz", "/healthz"):
        assert client.post(path).status_code == 405


def test_readiness_names_the_database_when_it_is_down():
    """A server whose PostgreSQL does not answer: alive, not ready, and says which part."""
    closed = f"postgres://mpp@127.0.0.1:{free_port()}/mpp"
    with serve({"DATABASE_URL": closed}) as served:
        assert served.request("GET", "/livez") == (200, {"status": "alive"})
        status, ready = served.request("GET", "/readyz")
    assert status == 503
    assert ready == {"status": "unready", "checks": {"database": "down"}, "down": ["database"]}
