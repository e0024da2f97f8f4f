"""The job worker's heartbeat: `mpp worker` writes the time into the job engine's own store
(huey's key-value store: the SQLite queue file on the embedded default, Redis in production)
every BEAT_SECONDS, and /readyz of every app server reads it (core/health.py).

Why the engine's store: the app servers and the worker share it already, on both set-ups, and
a heartbeat that reached it says the worker is running *and* can reach its queue. Why a thread
of its own, not a periodic task through the queue: a periodic task waits behind a long import,
and a busy worker is not a dead one.

The worker starts the beat once per process through huey's start-up hook, registered when this
module is imported (core/apps.py imports it in every process; only a consumer runs the hook).
"""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings

logger = logging.getLogger(__name__)

KEY = "mpp-worker-heartbeat"
BEAT_SECONDS = 15.0
_started = threading.Event()
_lock = threading.Lock()


def jobs_need_a_worker() -> bool:
    """False when jobs run inside the request that queues them (MPP_JOBS_IMMEDIATE, and the
    tests): then no worker is expected and none is checked. The engine's own flag decides."""
    from huey.contrib.djhuey import HUEY

    return not HUEY.immediate


def max_age() -> float:
    """A heartbeat older than this (seconds) means the worker is gone: three missed beats."""
    return float(getattr(settings, "MPP_WORKER_HEARTBEAT_MAX_AGE", 3 * BEAT_SECONDS))


def beat(now: float | None = None) -> None:
    """Record that the worker is alive (wall-clock time: the readers are other processes)."""
    from huey.contrib.djhuey import HUEY

    HUEY.put(KEY, time.time() if now is None else now)


def last_beat() -> float | None:
    """When the worker last said it was alive (seconds since the epoch), None if never."""
    from huey.contrib.djhuey import HUEY

    found = HUEY.get(KEY, peek=True)
    return float(found) if found is not None else None


def _beat_for_ever() -> None:
    pause = threading.Event()
    while True:
        try:
            beat()
        except Exception:  # the store out of reach: /readyz will say so; try again
            logger.warning("the worker's heartbeat was not written", exc_info=True)
        pause.wait(BEAT_SECONDS)


def start_beating() -> None:
    """Start this process's heartbeat thread (once, however often it is called)."""
    with _lock:
        if _started.is_set():
            return
        _started.set()
    beat()  # at once: a fresh worker is ready before its first interval ends
    threading.Thread(target=_beat_for_ever, name="mpp-heartbeat", daemon=True).start()


def _register() -> None:
    from huey.contrib.djhuey import HUEY

    # Each of the consumer's workers runs the start-up hooks; start_beating() keeps one thread.
    HUEY.on_startup("mpp-heartbeat")(lambda: start_beating())


_register()
