"""Production settings pass `mpp check --deploy` without a warning; HTTPS is enforced on a public
host, learnt from the trusted proxy only; health endpoints stay reachable over plain HTTP."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from mpp.core.proxies import TrustedProxyHeaders
from mpp.core.tests.serving import SETTINGS_ENV, Served, serve

PRODUCTION = {
    "ALLOWED_HOSTS": "mpp.kukarkab.go.id",
    "DEBUG": "0",
    "SECRET_KEY": "p" * 20 + "Q7r9S2t4U6v8W0x1Y3z5A7b9C2d4E6f8",  # 52 characters, not the demo's
    "MPP_TRUSTED_PROXIES": "127.0.0.1",
    "CSRF_TRUSTED_ORIGINS": "https://mpp.kukarkab.go.id",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in SETTINGS_ENV}
    return subprocess.run(
        [sys.executable, "-m", "mpp", *args],
        env={**clean, "DJANGO_SETTINGS_MODULE": "mpp.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNINGS" not in result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_enforce_https_and_hsts_for_a_year():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, "
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)"
    )
    clean = {k: v for k, v in os.environ.items() if k not in SETTINGS_ENV}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "DJANGO_SETTINGS_MODULE": "mpp.settings", **PRODUCTION},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.stdout.split() == ["True", "31536000", "True", "True", "True"], result.stderr


def test_serve_refuses_a_public_host_whose_tls_proxy_it_does_not_believe(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.MPP_TRUSTED_PROXIES = []
    with pytest.raises(CommandError, match="MPP_TRUSTED_PROXIES"):
        call_command("serve", port=1)


@pytest.fixture(scope="module")
def production(tmp_path_factory) -> Iterator[Served]:  # type: ignore[no-untyped-def]
    """`mpp serve` with production settings behind a proxy on this machine (an empty database:
    these requests read nothing)."""
    # No job worker beside it: jobs run in the request, and /readyz expects no heartbeat.
    env = {**PRODUCTION, "MPP_JOBS_IMMEDIATE": "1"}
    with serve({**env, "MPP_DATA_DIR": str(tmp_path_factory.mktemp("production"))}) as s:
        yield s


HOST = {"Host": "mpp.kukarkab.go.id"}
FROM_PROXY_OVER_HTTPS = {**HOST, "X-Forwarded-For": "203.0.113.5", "X-Forwarded-Proto": "https"}


def test_plain_http_is_redirected_to_https(production):
    status, headers, _body = production.exchange("GET", "/instansi/", headers=HOST)
    assert status == 301
    assert headers["location"] == "https://mpp.kukarkab.go.id/instansi/"


def test_https_reported_by_the_trusted_proxy_is_served_with_hsts(production):
    status, headers, body = production.exchange("GET", "/livez", headers=FROM_PROXY_OVER_HTTPS)
    assert (status, body) == (200, {"status": "alive"})
    assert headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"


@pytest.mark.parametrize("path", ["/livez", "/readyz", "/healthz"])
@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_monitors_reach_health_endpoints_over_plain_http(production, path, method):
    status, _headers, body = production.exchange(method, path, headers=HOST)
    # Answered, not redirected; /readyz truthfully unready: this database was never migrated.
    assert status == (503 if path == "/readyz" else 200)
    assert (body == "") == (method == "HEAD")
    if path == "/readyz" and method == "GET":
        assert body["down"] == ["migrations"]


def scope_seen(*, peer: str, headers: list[tuple[bytes, bytes]]) -> dict[str, Any]:
    """The scope that reaches the application behind TrustedProxyHeaders."""
    seen: dict[str, Any] = {}

    async def app(scope: Any, receive: Any, send: Any) -> None:
        seen.update(scope)

    scope = {"type": "http", "scheme": "http", "client": (peer, 51000), "headers": headers}
    asyncio.run(TrustedProxyHeaders(app)(scope, None, None))
    return seen


CLAIMS = [(b"x-forwarded-for", b"198.51.100.7"), (b"x-forwarded-proto", b"https")]


def test_without_trusted_proxies_nobody_claims_an_address_or_https(settings):
    settings.MPP_TRUSTED_PROXIES = []
    seen = scope_seen(peer="127.0.0.1", headers=CLAIMS)
    assert (seen["client"][0], seen["scheme"]) == ("127.0.0.1", "http")


def test_only_the_trusted_proxy_is_believed(settings):
    settings.MPP_TRUSTED_PROXIES = ["10.0.0.0/8"]
    believed = scope_seen(peer="10.1.2.3", headers=CLAIMS)
    assert (believed["client"][0], believed["scheme"]) == ("198.51.100.7", "https")
    direct = scope_seen(peer="203.0.113.5", headers=CLAIMS)
    assert (direct["client"][0], direct["scheme"]) == ("203.0.113.5", "http")
