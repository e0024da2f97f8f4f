"""A real `mpp worker` process for tests: it reads this test's database (the very file or
database, not a copy: the jobs it runs write there), a queue this test's process sends to (a
SQLite file in the test's folder, or a Redis database), and the test's file storage."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from huey.contrib.djhuey import HUEY
from huey.storage import RedisStorage, SqliteStorage

from mpp.core.tests.serving import SETTINGS_ENV


def wait_for(predicate: Callable[[], Any], *, within: float, what: str) -> Any:
    """Poll `predicate` until it returns something true, for at most `within` seconds."""
    deadline = time.monotonic() + within
    while True:
        found = predicate()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {within} s: {what}")
        time.sleep(0.1)  # a poll interval under a deadline, not a synchronisation


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    return (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


@contextmanager
def job_queue(folder: Path, redis_url: str = "") -> Iterator[dict[str, str]]:
    """Point this process's job queue at a SQLite file in `folder` (or at `redis_url`), and
    give the environment a worker needs to consume it. Immediate mode comes back after."""
    files = Path(settings.STORAGES["default"].get("OPTIONS", {}).get("location", folder))
    files.mkdir(parents=True, exist_ok=True)
    kept = (HUEY.storage_class, HUEY.storage_kwargs)
    if redis_url:
        HUEY.storage_class, HUEY.storage_kwargs = RedisStorage, {"url": redis_url}
    else:
        HUEY.storage_class = SqliteStorage
        HUEY.storage_kwargs = {"filename": str(folder / "jobs.sqlite3")}
    HUEY.immediate = False  # makes the storage anew from the class and arguments above
    if redis_url:
        HUEY.storage.flush_all()
    try:
        yield {
            "MPP_DATA_DIR": str(folder),
            "DATABASE_URL": _database_url(),
            "REDIS_URL": redis_url,
            "MPP_FILES_DIR": str(files),
            "MPP_JOB_RETRY_SECONDS": "1",
        }
    finally:
        HUEY.immediate = True
        HUEY.storage_class, HUEY.storage_kwargs = kept


@contextmanager
def worker(env: dict[str, str]) -> Iterator[list[str]]:
    """`mpp worker` with `env` over a clean environment, until the block ends; yields its log."""
    clean = {k: v for k, v in os.environ.items() if k not in SETTINGS_ENV}
    process = subprocess.Popen(
        [sys.executable, "-m", "mpp", "worker", "--workers", "2"],
        # Where a relative MEDIA_ROOT resolves too: the worker's files are the test's.
        cwd=env["MPP_FILES_DIR"],
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "mpp.settings",
            "PYTHONUNBUFFERED": "1",
            "PYTHONPATH": str(settings.BASE_DIR),
            **env,
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    log: list[str] = []

    def drain() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            log.append(line)

    threading.Thread(target=drain, daemon=True).start()
    try:
        yield log
    finally:
        process.terminate()  # huey: SIGTERM stops at once (an unfinished job stays running)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
