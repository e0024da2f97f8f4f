"""Health endpoints for monitors and orchestrators (docs/operations.md, docs/adr/0017).

- `/livez`: the process answers (restart it when this fails); touches nothing else.
- `/readyz`: the database answers and has every migration applied, Redis answers when
  configured, and the job worker beat within its limit when jobs need one (core/heartbeat.py);
  503 naming what is down. Without Redis the service still issues and calls numbers (no live
  events, rate limits per process), without the worker it serves but imports and exports wait:
  "unready" means degraded, and says what to repair (docs/adr/0024).
- `/healthz`: kept as before for existing monitors: 200 while the database answers.

They are answered over plain HTTP too (SECURE_REDIRECT_EXEMPT): monitors call them locally.
"""

from __future__ import annotations

import functools
import time

import redis
from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from mpp.core import heartbeat, redis_pool

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
    if checks["database"] == "ok":
        checks["migrations"] = _migrations()
    if settings.REDIS_URL:
        checks["redis"] = _redis()
    if heartbeat.jobs_need_a_worker():
        checks["worker"] = _worker()
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


_migrated = False  # once every migration is applied, it stays so for this process


def _migrations() -> str:
    """ "pending" while the code has migrations the database lacks (a deploy that started the
    new code before `mpp migrate`): pages would fail on missing columns. Loading the migration
    graph takes tens of milliseconds, so an "ok" is remembered."""
    global _migrated
    if _migrated:
        return "ok"
    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        return "down"
    _migrated = not pending
    return "pending" if pending else "ok"


def _worker() -> str:
    """ "down" when the worker's last heartbeat is older than its limit, or never came."""
    try:
        last = heartbeat.last_beat()
    except Exception:  # the engine's store out of reach (Redis down, a locked SQLite file)
        return "down"
    if last is None or time.time() - last > heartbeat.max_age():
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
