"""The ASGI application as `mpp serve` runs it: HTTP through Django's sync handler in a thread
pool, static files answered before Django (docs/adr/0008). `make test` runs collectstatic first."""

from __future__ import annotations

import json
from typing import Any

import pytest
from channels.testing import HttpCommunicator
from django.conf import settings

from mpp.asgi import application
from mpp.core.tests.serving import FIRST_REQUEST_TIMEOUT

# The ASGI application's HTTP threads are shared by the whole test process: one that served a
# database test before keeps its connection, and Django's request_started handler checks it
# (close_old_connections). So these requests need database access allowed, though they read
# nothing.
pytestmark = pytest.mark.django_db


def _headers(response: dict[str, Any]) -> dict[str, str]:
    return {k.decode().lower(): v.decode() for k, v in response["headers"]}


@pytest.mark.anyio
async def test_the_api_answers_through_the_thread_pool():
    response = await HttpCommunicator(application, "GET", "/api/v1/ping").get_response(
        timeout=FIRST_REQUEST_TIMEOUT
    )
    assert response["status"] == 200
    assert json.loads(response["body"]) == {"ok": True}
    assert _headers(response)["content-type"] == "application/json; charset=utf-8"


@pytest.mark.anyio
async def test_an_unknown_address_is_djangos_404_not_a_static_miss():
    response = await HttpCommunicator(application, "GET", "/tidak-ada/").get_response(
        timeout=FIRST_REQUEST_TIMEOUT
    )
    assert response["status"] == 404
    assert "Halaman tidak ditemukan" in response["body"].decode()


@pytest.mark.anyio
async def test_hashed_static_files_are_cached_for_ever_with_djangos_security_headers():
    manifest = json.loads((settings.STATIC_ROOT / "staticfiles.json").read_text())
    hashed = manifest["paths"]["mpp/site.css"]
    response = await HttpCommunicator(
        application, "GET", settings.STATIC_URL + hashed
    ).get_response(timeout=FIRST_REQUEST_TIMEOUT)
    assert response["status"] == 200
    headers = _headers(response)
    assert "immutable" in headers["cache-control"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    # The unhashed name is served too (templates of old pages), but not cached for ever.
    plain = await HttpCommunicator(
        application, "GET", settings.STATIC_URL + "mpp/site.css"
    ).get_response(timeout=FIRST_REQUEST_TIMEOUT)
    assert plain["status"] == 200
    assert "immutable" not in _headers(plain)["cache-control"]
