"""The suite on several processes (`make test-unit`: pytest-xdist's workers gw0, gw1): each
worker has its own test database (pytest-django names it `<name>_gw0`, `<name>_gw1`) and its own
Redis database, counted down from the one a URL names, so a test's `cache.clear()` (a FLUSHDB)
or the channel layer's flush never empties what a test of the other worker is using (ADR 0027).
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit, urlunsplit

REDIS_DATABASES = 16  # a Redis server's default `databases`


def worker_number(worker: str | None = None) -> int:
    """0 for gw0 and for a run in one process, 1 for gw1, …"""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "") if worker is None else worker
    return int(worker[2:]) if worker.startswith("gw") and worker[2:].isdigit() else 0


def redis_url_of_this_worker(url: str, worker: str | None = None) -> str:
    """`url` with its database moved down by the worker's number: redis://h:6379/15 is /15 for
    gw0 and /14 for gw1 (below /0 it wraps to /15). The first worker keeps the URL as given."""
    number = worker_number(worker)
    if not number:
        return url
    parts = urlsplit(url)
    path = parts.path.strip("/")
    base = int(path) if path.isdigit() else 0
    database = (base - number) % REDIS_DATABASES
    return urlunsplit(parts._replace(path=f"/{database}"))
