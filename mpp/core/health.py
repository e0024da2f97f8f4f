"""Health endpoints for monitors and orchestrators (docs/operations.md, docs/adr/0017).

- `/livez`: the process answers (restart it when this fails); touches nothing else.
- `/readyz`: the database and, when configured, Redis answer; 503 naming what is down. Without
  Redis the service still issues and calls numbers (no live events, rate limits per process):
  "unready" means degraded, and says what to repair.
- `/healthz`: kept as before for existing monitors: 200 while the database answers.

They are answered over plain HTTP too (SECURE_REDIRECT_EXEMPT): monitors call them locally.
"""

from __future__ import annotations

import functools

import redis
from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from mpp.core import redis_pool

PROBE_TIMEOUT = 1.0  # seconds: a monitor's own time-out is usually a few seconds


@require_safe
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@require_safe
@never_cache
def livez(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"status": "alive"})


@require_safe
@never_cache
def readyz(request: HttpRequest) -> HttpResponse:
    checks = {"database": _database()}
    if settings.REDIS_URL:
        checks["redis"] = _redis()
    down = [name for name, state in checks.items() if state != "ok"]
    return JsonResponse(
        {"status": "unready" if down else "ready", "checks": checks, "down": down},
        status=503 if down else 200,
    )


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return "down"
    return "ok"


def _redis() -> str:
    try:
        _probe(settings.REDIS_URL).ping()
    except redis.RedisError as error:
        redis_pool.failed("pemeriksaan kesiapan", error)
        return "down"
    redis_pool.answered()
    return "ok"


@functools.cache
def _probe(url: str) -> redis.Redis:
    return redis.Redis.from_url(
        url, socket_connect_timeout=PROBE_TIMEOUT, socket_timeout=PROBE_TIMEOUT
    )
