"""The client's address behind a proxy, through the real server as `mpp serve` runs it: no one
chooses their own address with X-Forwarded-For, and behind a configured proxy each citizen keeps
their own rate limit (docs/adr/0017)."""

from __future__ import annotations

import datetime as dt
import http.client
import json
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
import time_machine
import uvicorn

from mpp.catalog.models import Service
from mpp.core.management.commands.serve import server_options
from mpp.malls.models import Mall
from mpp.queueing.actions import PHONE_ISSUES_PER_MINUTE

MONDAY_9 = dt.datetime(2026, 11, 30, 9, 0, tzinfo=ZoneInfo("Asia/Makassar"))


@pytest.fixture
def server(transactional_db, kukar, settings) -> Iterator[tuple[str, int]]:  # type: ignore[no-untyped-def]
    """`mpp serve`'s uvicorn, with its options, on a free port of 127.0.0.1 in a thread of this
    process (the test database, committed rows); a Monday morning, the clock standing still."""
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    options = {**server_options(host="127.0.0.1", port=port, workers=1), "log_level": "warning"}
    srv = uvicorn.Server(uvicorn.Config(**options))
    with time_machine.travel(MONDAY_9, tick=False):
        thread = threading.Thread(target=srv.run, daemon=True)
        thread.start()
        bound = threading.Event()
        while not srv.started and thread.is_alive():
            bound.wait(0.05)  # polling uvicorn's own flag while it binds, not test timing
        assert srv.started, "the server did not start"
        yield ("127.0.0.1", port)
        srv.should_exit = True
        thread.join(timeout=10)


def take_numbers(server: tuple[str, int], forwarded_for: list[str]) -> list[int]:
    """A phone ticket per entry, each request carrying that X-Forwarded-For; the statuses."""
    mall_id = Mall.objects.get(slug="mpp-kukar").pk
    body = json.dumps({"service_id": Service.objects.get(slug="akta-kelahiran").pk})
    connection = http.client.HTTPConnection(*server, timeout=30)
    statuses = []
    try:
        for phone, value in enumerate(forwarded_for):
            # Each request a different phone's browser (its cookie): one phone holds only a few
            # numbers (queueing.limits); what is counted here is the address's flood ceiling.
            connection.request(
                "POST",
                f"/api/v1/malls/{mall_id}/tickets",
                body=body,
                headers={
                    "Content-Type": "application/json",
                    "X-Forwarded-For": value,
                    "Cookie": f"csrftoken={phone:032d}",
                },
            )
            response = connection.getresponse()
            response.read()
            statuses.append(response.status)
    finally:
        connection.close()
    return statuses


def test_a_client_cannot_escape_the_rate_limit_by_rotating_x_forwarded_for(server):
    statuses = take_numbers(server, [f"198.51.100.{i}" for i in range(1, 61)])
    assert statuses.count(201) == PHONE_ISSUES_PER_MINUTE
    assert statuses[PHONE_ISSUES_PER_MINUTE:] == [429] * (60 - PHONE_ISSUES_PER_MINUTE)


def test_citizens_behind_a_trusted_proxy_have_their_own_limits(server, settings):
    from mpp.queueing.models import QueueSettings

    settings.MPP_TRUSTED_PROXIES = ["127.0.0.1"]
    # Room for both addresses' numbers in the one queue (its cap of remote numbers waiting).
    QueueSettings.objects.update_or_create(
        mall=Mall.objects.get(slug="mpp-kukar"), defaults={"online_waiting_max": 100}
    )
    over = PHONE_ISSUES_PER_MINUTE + 2
    first = take_numbers(server, ["203.0.113.7"] * over)
    second = take_numbers(server, ["203.0.113.8"] * over)
    expected = [201] * PHONE_ISSUES_PER_MINUTE + [429, 429]
    assert first == expected
    assert second == expected


def test_behind_a_proxy_the_right_most_untrusted_address_is_the_client(server, settings):
    """A proxy that appends (nginx's $proxy_add_x_forwarded_for) keeps what the client wrote on
    the left: rotating it changes nothing; a second trusted proxy in the chain is skipped."""
    settings.MPP_TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    chain = [
        f"198.51.100.{i}, 203.0.113.9, 10.0.0.2" for i in range(1, PHONE_ISSUES_PER_MINUTE + 11)
    ]
    statuses = take_numbers(server, chain)
    assert statuses.count(201) == PHONE_ISSUES_PER_MINUTE


@pytest.mark.parametrize("value", ["nginx", "*", "127.0.0.1/33"])
def test_a_trusted_proxy_must_be_an_address_or_a_network(value):
    """Anything else (uvicorn would take "*" as everyone) stops the process at start."""
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "mpp.settings", "MPP_TRUSTED_PROXIES": value},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "MPP_TRUSTED_PROXIES" in result.stderr
