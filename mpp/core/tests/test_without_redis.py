"""Redis out of reach: `mpp serve` with REDIS_URL on a closed port still hands out API tokens,
issues and calls numbers and shows the phone page, and screens' sockets are refused (they poll);
readiness says 503 naming Redis, liveness 200;
the log says so once, without tracebacks (docs/adr/0017).

The server is a real `mpp serve` process on a copy of the test database: Redis' state (the outage)
must not leak into the other tests of this process."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from mpp.accounts.models import Role
from mpp.accounts.tests.factories import PASSWORD, make_staff
from mpp.catalog.models import Service
from mpp.core.tests.serving import Served, database_env, free_port, serve
from mpp.malls.models import Mall
from mpp.queueing.models import Counter


@pytest.fixture
def officer(transactional_db, kukar, settings):  # type: ignore[no-untyped-def]
    """A Disdukcapil officer at MPP Kukar, committed, with a password the server can check."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    return make_staff(
        Role.TENANT_OFFICER, tenant="disdukcapil", malls=("mpp-kukar",), username="petugas.x"
    )


@pytest.fixture
def server_without_redis(officer, tmp_path) -> Iterator[Served]:  # type: ignore[no-untyped-def]
    """`mpp serve` on this test's data, REDIS_URL pointing at a port where nothing listens."""
    env = {
        **database_env(tmp_path),
        "REDIS_URL": f"redis://127.0.0.1:{free_port()}/5",  # closed: nothing listens there
        "MPP_DEMO_ALWAYS_OPEN": "1",  # the malls take numbers at whatever hour the test runs
        "DEBUG": "1",  # pages find static files without `collectstatic` having run
    }
    with serve(env) as served:
        yield served


def test_without_redis_numbers_are_issued_and_called_and_readiness_names_redis(
    server_without_redis,
):
    served = server_without_redis
    mall = Mall.objects.get(slug="mpp-kukar")
    akta = Service.objects.get(slug="akta-kelahiran")
    counter = Counter.objects.filter(mall=mall, tenant__slug="disdukcapil").order_by("pk")[0]

    assert served.request("GET", "/livez") == (200, {"status": "alive"})
    status, ready = served.request("GET", "/readyz")
    assert status == 503
    # The job worker's heartbeat is kept in Redis too (core/heartbeat.py): it cannot be read.
    assert ready["down"] == ["redis", "worker"]
    assert ready["checks"] == {
        "database": "ok",
        "migrations": "ok",
        "redis": "down",
        "worker": "down",
    }

    status, issued = served.request(
        "POST", f"/api/v1/malls/{mall.pk}/tickets", {"service_id": akta.pk}
    )
    assert status == 201, issued
    status, signed_in = served.request(
        "POST", "/api/v1/auth/token", {"username": "petugas.x", "password": PASSWORD}
    )
    assert status == 200, signed_in
    token = signed_in["token"]
    status, opened = served.request(
        "POST", f"/api/v1/counters/{counter.pk}/status", {"status": "open"}, token=token
    )
    assert status == 200, opened
    status, called = served.request(
        "POST", f"/api/v1/counters/{counter.pk}/call-next", {}, token=token
    )
    assert status == 200, called
    assert called["number"] == issued["number"]
    status, phone = served.request("GET", f"/api/v1/tickets/{issued['code']}")
    assert (status, phone["status"]) == (200, "called")
    status, page = served.request("GET", f"/antrean/{issued['code']}/")
    assert status == 200, "".join(served.log)
    assert issued["number"] in page
    # The board's socket is refused (it cannot join its group), so the board polls its snapshot.
    status, board = served.request("GET", f"/api/v1/malls/{mall.pk}/board")
    assert status == 200, "".join(served.log)
    assert board["seq"] == 0  # unknown: the first event after Redis returns makes boards reload
    assert served.request("GET", "/papan/mpp-kukar/")[0] == 200
    with pytest.raises(InvalidStatus) as refused:
        connect(f"ws://127.0.0.1:{served.port}/ws/mal/mpp-kukar/", open_timeout=30)
    assert refused.value.response.status_code == 403

    served.process.terminate()
    served.process.wait(timeout=30)
    log = "".join(served.log)
    assert log.count("Redis unreachable") == 1, log
    assert "Traceback" not in log, log
