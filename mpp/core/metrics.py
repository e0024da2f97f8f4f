"""Prometheus metrics of the site: requests, their latency, open websockets, the job queue
(docs/adr/0024-observability.md). Tickets issued are counted by the queue (queueing/metrics.py).

`mpp serve` runs several worker processes behind one port, and a scrape reaches one of them:
prometheus-client's multiprocess mode has each process write its values to files in
PROMETHEUS_MULTIPROC_DIR (one folder per app server, emptied when the server starts; `mpp serve`
sets it), and /metrics sums them. Each app server is scraped on its own port: its folder holds
its workers only. Without the folder (tests, `runserver`) the process's own values are served.

Labels are bounded sets: the route's pattern, never the address (`api/v1/malls/<mall_id>`,
not `/api/v1/malls/8812`: no ids, no NIK in a label, no series per citizen), the method among
the ones HTTP names, the status code, the socket's kind, the channel and the mall (21 of them).

/metrics answers only addresses of MPP_METRICS_ALLOWED (loopback by default), and 404 to anyone
else: the client's address is the one core/proxies.py believed, so a citizen behind nginx is
refused, though nginx itself is on the loopback.
"""

from __future__ import annotations

import functools
import ipaddress
import logging
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector, mark_process_dead

from mpp.core.models import Job, JobStatus

logger = logging.getLogger(__name__)

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED = "(unmatched)"  # no route: a 404, or refused by a middleware before routing

HTTP_REQUESTS = Counter(
    "mpp_http_requests_total",
    "HTTP requests answered by Django, by method, route pattern and status.",
    ["method", "route", "status"],
)
# Issuing and calling aim at p99 < 100 ms (issue 17): buckets are fine below that.
HTTP_LATENCY = Histogram(
    "mpp_http_request_duration_seconds",
    "Time from Django receiving a request to its response, by method and route pattern.",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
# livesum: the sockets of the processes alive now; a dead worker's are dropped (see below).
WEBSOCKETS = Gauge(
    "mpp_websocket_connections",
    "Open websocket connections, by kind of consumer.",
    ["kind"],
    multiprocess_mode="livesum",
)


def multiproc_dir() -> Path | None:
    folder = os.environ.get(MULTIPROC_ENV)
    return Path(folder) if folder else None


def prepare_multiproc_dir(folder: Path) -> None:
    """Empty (or make) an app server's metrics folder: what earlier processes wrote there would
    be summed with this server's values, as prometheus-client's documentation warns."""
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.db"):
        stale.unlink()


# --- HTTP -------------------------------------------------------------------------------------


class CountRequests:
    """Django middleware, first in MIDDLEWARE: counts every response and times it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        elapsed = time.perf_counter() - started
        method = request.method if request.method in METHODS else "OTHER"
        match = request.resolver_match
        route = match.route if match is not None and match.route else UNMATCHED
        HTTP_REQUESTS.labels(method, route, str(response.status_code)).inc()
        HTTP_LATENCY.labels(method, route).observe(elapsed)
        return response


# --- websockets -------------------------------------------------------------------------------


def counted_socket(kind: str, app: Any) -> Any:
    """An ASGI websocket app whose accepted connections count in WEBSOCKETS under `kind` until
    they end (mpp/routing.py wraps each consumer). A refused handshake is not counted."""

    async def counting(scope: Any, receive: Any, send: Any) -> None:
        accepted = False

        async def send_counting(message: dict[str, Any]) -> None:
            nonlocal accepted
            await send(message)
            if message["type"] == "websocket.accept" and not accepted:
                accepted = True
                WEBSOCKETS.labels(kind).inc()
                logger.info("websocket %s opened", kind)

        try:
            await app(scope, receive, send_counting)
        finally:
            if accepted:
                WEBSOCKETS.labels(kind).dec()
                logger.info("websocket %s closed", kind)

    return counting


# --- the job queue ----------------------------------------------------------------------------


class JobQueue:
    """Read at each scrape, not kept by a process: the jobs the engine holds for the worker
    (huey's pending count: its SQLite file or Redis list), and the jobs recorded by status (the
    rows the administrator sees; a failed one waits for a rerun). Every app server reports the
    same figures: aggregate them with max(), not sum()."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from huey.contrib.djhuey import HUEY

        if HUEY.immediate:  # jobs run inside the request that asks: there is no queue
            return
        try:
            depth = HUEY.pending_count()
        except Exception:  # its store out of reach: no figure rather than a wrong one
            logger.warning("job queue depth not read", exc_info=True)
        else:
            yield GaugeMetricFamily(
                "mpp_job_queue_depth", "Jobs waiting in the engine's queue.", value=depth
            )
        try:
            recorded = dict(
                Job.objects.order_by().values_list("status").annotate(count=Count("id"))
            )
        except DatabaseError:
            logger.warning("jobs by status not read", exc_info=True)
            return
        family = GaugeMetricFamily(
            "mpp_jobs", "Background jobs recorded, by status.", labels=["status"]
        )
        for status in JobStatus.values:
            family.add_metric([status], recorded.get(status, 0))
        yield family


# --- /metrics ---------------------------------------------------------------------------------


@functools.lru_cache(maxsize=8)
def _networks(
    allowed: tuple[str, ...],
) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(item) for item in allowed)


def may_scrape(address: str) -> bool:
    try:
        client = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(client in network for network in _networks(tuple(settings.MPP_METRICS_ALLOWED)))


def _forget_dead_processes(folder: Path) -> None:
    """A worker killed (kill -9, out of memory) never said its sockets closed: drop the live
    gauges of processes that are gone. Its counters stay: a counter never goes back."""
    for path in folder.glob("gauge_live*_*.db"):
        pid = int(path.stem.rpartition("_")[2])
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            mark_process_dead(pid, str(folder))
        except PermissionError:  # alive, another user's: not ours to judge
            pass


@require_safe
@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    """The Prometheus text exposition, to MPP_METRICS_ALLOWED only (404 to anyone else)."""
    if not may_scrape(request.META.get("REMOTE_ADDR", "")):
        raise Http404
    folder = multiproc_dir()
    if folder is not None:
        _forget_dead_processes(folder)
        summed = CollectorRegistry()
        MultiProcessCollector(summed, path=str(folder))
        body = generate_latest(summed)
    else:
        body = generate_latest(REGISTRY)
    read_now = CollectorRegistry()
    read_now.register(JobQueue())
    return HttpResponse(body + generate_latest(read_now), content_type=CONTENT_TYPE_LATEST)
