"""/metrics: Prometheus figures of requests, latency and open sockets, labelled by route pattern
(no ids), to MPP_METRICS_ALLOWED only; and summed over the real server's worker processes
(docs/adr/0024)."""

from __future__ import annotations

import contextlib
import os
import re
import signal
from pathlib import Path

import pytest
from channels.testing import WebsocketCommunicator
from prometheus_client import REGISTRY
from websockets.sync.client import connect
from websockets.typing import Origin

from mpp.asgi import application
from mpp.core.tests.serving import Served, database_env, serve
from mpp.core.tests.test_supervised_workers import wait_for_workers


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def scraped(text: str, name: str, **labels: str) -> float:
    """The value of one series in a Prometheus text exposition (0 when absent)."""
    wanted = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    for line in text.splitlines():
        series, _, value = line.rpartition(" ")
        metric, _, label_text = series.partition("{")
        if metric != name:
            continue
        found = ",".join(sorted(re.findall(r'\w+="[^"]*"', label_text.rstrip("}"))))
        if found == wanted:
            return float(value)
    return 0.0


def test_metrics_answer_the_loopback_and_count_requests_by_route_pattern(client, db):
    ping = {"method": "GET", "route": "api/v1/ping", "status": "200"}
    before = sample("mpp_http_requests_total", **ping)
    assert client.get("/api/v1/ping").status_code == 200
    assert sample("mpp_http_requests_total", **ping) == before + 1
    assert sample("mpp_http_request_duration_seconds_count", method="GET", route="api/v1/ping")

    response = client.get("/metrics")  # the test client's address is 127.0.0.1
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    text = response.content.decode()
    assert scraped(text, "mpp_http_requests_total", **ping) == before + 1
    assert "mpp_http_request_duration_seconds_bucket" in text


def test_an_address_with_an_id_is_counted_under_its_pattern_not_its_id(client, db):
    client.get("/api/v1/malls/987654321")
    client.get("/6402064708950001/")  # a NIK typed into the address bar: no route
    text = client.get("/metrics").content.decode()
    assert "987654321" not in text
    assert "6402064708950001" not in text
    assert 'route="(unmatched)"' in text


@pytest.mark.parametrize("address", ["203.0.113.9", "10.1.2.3", "::ffff:8.8.8.8"])
def test_metrics_are_a_404_for_anyone_else(client, db, address):
    response = client.get("/metrics", REMOTE_ADDR=address)
    assert response.status_code == 404
    assert b"mpp_http" not in response.content


def test_the_allowed_networks_are_a_setting(client, db, settings):
    settings.MPP_METRICS_ALLOWED = ["10.0.0.0/8"]
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get("/metrics").status_code == 404  # the loopback is no longer in it


@pytest.mark.anyio
@pytest.mark.django_db(transaction=True)
async def test_open_board_sockets_are_counted_until_they_close(kukar):
    before = sample("mpp_websocket_connections", kind="mall")
    board = WebsocketCommunicator(
        application,
        "/ws/mal/mpp-kukar/",
        headers=[(b"origin", b"http://127.0.0.1"), (b"host", b"127.0.0.1")],
    )
    assert (await board.connect())[0]
    assert sample("mpp_websocket_connections", kind="mall") == before + 1
    await board.disconnect()
    assert sample("mpp_websocket_connections", kind="mall") == before
    # A refused handshake (no such mall) is never counted.
    refused = WebsocketCommunicator(
        application,
        "/ws/mal/tidak-ada/",
        headers=[(b"origin", b"http://127.0.0.1"), (b"host", b"127.0.0.1")],
    )
    assert not (await refused.connect())[0]
    assert sample("mpp_websocket_connections", kind="mall") == before


# --- the real server: two worker processes, one figure ----------------------------------------


def ping_times(served: Served, count: int) -> None:
    for _ in range(count):
        assert served.request("GET", "/api/v1/ping")[0] == 200  # a new connection each


def test_two_workers_counts_are_summed_and_the_folder_is_emptied_at_start(
    transactional_db, tmp_path
):
    """Each worker writes its own file; /metrics, whichever worker answers, sums them. A worker
    stopped (SIGSTOP) takes no connection, so each one's share is known."""
    folder = tmp_path / "metrics"
    folder.mkdir()
    (folder / "counter_999999.db").write_bytes(b"an earlier run's file")
    env = {
        **database_env(tmp_path),
        "WORKERS": "2",
        "PROMETHEUS_MULTIPROC_DIR": str(folder),
        "MPP_TRUSTED_PROXIES": "127.0.0.1",
        "MPP_JOBS_IMMEDIATE": "1",
    }
    with serve(env) as served:
        first, second = sorted(wait_for_workers(served, 2))
        assert not (folder / "counter_999999.db").exists()
        os.kill(second, signal.SIGSTOP)
        try:
            ping_times(served, 3)  # all to the first worker
        finally:
            os.kill(second, signal.SIGCONT)
        os.kill(first, signal.SIGSTOP)
        try:
            ping_times(served, 4)  # all to the second
        finally:
            os.kill(first, signal.SIGCONT)
        status, text = served.request("GET", "/metrics")
        # Through the proxy for a citizen: refused, though the proxy is on the loopback.
        refused, _ = served.request("GET", "/metrics", headers={"X-Forwarded-For": "203.0.113.9"})
    assert status == 200, text
    ping = {"method": "GET", "route": "api/v1/ping", "status": "200"}
    assert scraped(text, "mpp_http_requests_total", **ping) == 7
    assert {path.name for path in Path(folder).glob("counter_*.db")} == {
        f"counter_{first}.db",
        f"counter_{second}.db",
    }
    assert refused == 404


def test_a_killed_workers_open_sockets_leave_the_figure(transactional_db, kukar, tmp_path):
    """kill -9 never lets a worker say its sockets closed: the next scrape drops its gauge."""
    folder = tmp_path / "metrics"
    env = {
        **database_env(tmp_path),
        "WORKERS": "2",
        "PROMETHEUS_MULTIPROC_DIR": str(folder),
        "MPP_JOBS_IMMEDIATE": "1",
    }
    with serve(env) as served, contextlib.ExitStack() as sockets:
        first, second = sorted(wait_for_workers(served, 2))
        os.kill(second, signal.SIGSTOP)
        try:  # the board's socket goes to the first worker
            board = sockets.enter_context(
                connect(
                    f"ws://127.0.0.1:{served.port}/ws/mal/mpp-kukar/",
                    origin=Origin("http://127.0.0.1"),
                )
            )
            board.ping().wait(timeout=10)
        finally:
            os.kill(second, signal.SIGCONT)
        _status, text = served.request("GET", "/metrics")
        assert scraped(text, "mpp_websocket_connections", kind="mall") == 1
        os.kill(first, signal.SIGKILL)
        wait_for_workers(served, 2, other_than=frozenset({first}))
        _status, after = served.request("GET", "/metrics")
    assert scraped(after, "mpp_websocket_connections", kind="mall") == 0


def test_the_job_queue_is_read_at_each_scrape(client, db):
    """Jobs waiting in the engine's queue, and the job rows by status, as they are now."""
    from huey.contrib.djhuey import HUEY
    from huey.storage import MemoryStorage

    from mpp.core.jobs import run_job
    from mpp.core.models import Job, JobStatus

    HUEY.immediate = False  # queued for a worker, on a queue of this test's own
    HUEY.storage = MemoryStorage(HUEY.name)
    try:
        waiting = Job.objects.create(kind="uji")
        Job.objects.create(kind="uji", status=JobStatus.FAILED, error="rusak")
        run_job(waiting.pk)  # handed to the engine; no worker takes it here
        text = client.get("/metrics").content.decode()
    finally:
        HUEY.immediate = True  # conftest's default; huey makes a fresh in-memory store
    assert scraped(text, "mpp_job_queue_depth") == 1
    assert scraped(text, "mpp_jobs", status="queued") == 1
    assert scraped(text, "mpp_jobs", status="failed") == 1
    assert scraped(text, "mpp_jobs", status="done") == 0
    # Jobs run inside the request (MPP_JOBS_IMMEDIATE, the tests): no queue to report.
    assert "mpp_job_queue_depth" not in client.get("/metrics").content.decode()
