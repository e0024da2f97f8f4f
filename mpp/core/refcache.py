"""Reference data kept in process memory, dropped everywhere at once when it changes.

The hot paths (issuing a ticket, a kiosk's token) read the same rows on every request: the mall
and its hours, the service and its offering, the queue, the token's owner. Reading them costs
more than the ticket itself (docs/BENCHMARKS.md). They change a few times a day, through the
admin or `load-region`, so each process keeps what it read in memory, tagged with a generation
token stored in the shared cache (Redis when several workers run). A change bumps the
generation and every process reads again on its next request: one cache read per request
instead of ten queries, and no process serves stale reference data after a change commits.

Without Redis (unreachable, docs/adr/0017) nothing is kept: every request reads the rows, so no
process serves data another one changed meanwhile; once Redis answers again, a process that saw it
fail starts a new generation, since a change made meanwhile could not announce itself.

Why bump twice (now and after commit): the immediate bump makes the changing transaction itself
read fresh; the bump after commit stops another process from keeping what it read between the
first bump and the commit (the old rows) under the new generation.
"""

from __future__ import annotations

import contextvars
import functools
import os
import threading
import uuid
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import redis
from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save

from mpp.core import redis_pool

T = TypeVar("T")

GENERATION_KEY = "mpp:ref-generation"
# Redis pub/sub: "read the generation again". Channels are shared by all of a Redis server's
# databases: the database's number keeps two deployments (or test runs) on one server apart.
CHANGED_CHANNEL = "mpp:ref-generation-changed:{db}"
# Entries are few (malls × services, kiosk and console tokens); the bound only stops a leak.
MAX_ENTRIES = 20_000

_lock = threading.Lock()
_memo: dict[Hashable, tuple[str, Any]] = {}
# The generation while Redis is out of reach: nothing is remembered under it.
UNSHARED = "unshared"
# This process saw Redis fail: start a new generation when it answers again.
_missed_changes = False


# One request reads the generation once (RequestGeneration below): a Redis round trip was as
# dear as the queries it saves, and a request sees one consistent set of reference data.
_request: contextvars.ContextVar[dict[str, str] | None] = contextvars.ContextVar(
    "mpp_ref_generation", default=None
)


def generation() -> str:
    """The current generation token (a new one after the cache was emptied or restarted)."""
    held = _request.get()
    if held is not None and "gen" in held:
        return held["gen"]
    found = _shared_generation()
    if held is not None:
        held["gen"] = found
    return found


def _shared_generation() -> str:
    watch = _watch()
    found = watch.current() if watch is not None else None
    if found is not None:
        return found
    if not redis_pool.reachable():
        return UNSHARED
    epoch = watch.epoch if watch is not None else 0
    try:
        found = cache.get(GENERATION_KEY)
        if found is None:
            cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
            found = cache.get(GENERATION_KEY)
    except redis.RedisError as error:
        _lost_redis(error)
        return UNSHARED
    redis_pool.answered()
    if _missed_changes:
        _catch_up()
        return UNSHARED  # this request reads the rows; the next ones use the new generation
    found = str(found)
    if watch is not None:
        watch.remember(found, epoch)
    return found


def _lost_redis(error: Exception) -> None:
    """Redis failed: keep nothing from here on, and catch up once it answers."""
    global _missed_changes
    redis_pool.failed("data rujukan", error)
    _missed_changes = True
    with _lock:
        _memo.clear()


def _catch_up() -> None:
    """A new generation after an outage this process saw: a change made during it (its bump
    lost) must reach the processes that kept their data from before."""
    global _missed_changes
    _missed_changes = False
    _bump()


class RequestGeneration:
    """Middleware: the generation is read at most once per request."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response
        if iscoroutinefunction(get_response):
            markcoroutinefunction(self)

    def __call__(self, request: Any) -> Any:
        if iscoroutinefunction(self):
            return self.__acall__(request)
        token = _request.set({})
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)

    async def __acall__(self, request: Any) -> Any:
        token = _request.set({})
        try:
            return await self.get_response(request)
        finally:
            _request.reset(token)


def remembered(
    key: Hashable, compute: Callable[[], T], *, gen: str | None = None, keep_none: bool = True
) -> T:
    """`compute()`'s value for `key` in this generation; computed once per process.

    Values are shared between requests and threads: treat them as read-only. `gen` lets a caller
    that reads several keys fetch the generation once; `keep_none=False` does not remember a
    miss (keys chosen by outsiders, such as tokens, must not fill the memory)."""
    gen = gen or generation()
    if gen == UNSHARED:  # Redis out of reach: read, keep nothing
        return compute()
    hit = _memo.get(key)
    if hit is not None and hit[0] == gen:
        return hit[1]  # type: ignore[no-any-return]
    value = compute()
    if value is None and not keep_none:
        return value
    with _lock:
        if len(_memo) >= MAX_ENTRIES:
            _memo.clear()
        _memo[key] = (gen, value)
    return value


def invalidate() -> None:
    """Drop every process's reference data now and again when the current transaction commits."""
    _bump()
    transaction.on_commit(_bump)


def _bump() -> None:
    gen = uuid.uuid4().hex
    watch = _watch()
    if watch is not None:
        watch.forget()
    try:
        cache.set(GENERATION_KEY, gen, timeout=None)
        if watch is not None:
            _publisher(watch.url).publish(watch.channel, gen)
    except redis.RedisError as error:  # the change is saved; processes learn of it later
        _lost_redis(error)
        gen = UNSHARED
    held = _request.get()
    if held is not None:  # the changing request reads fresh from here on
        held["gen"] = gen


def _on_change(sender: Any, **kwargs: Any) -> None:
    if kwargs.get("raw"):  # fixtures loading: nothing can be cached yet
        return
    invalidate()


def invalidate_on_change(*models: type[Model]) -> None:
    """Connect the signals that drop reference data when a row of `models` is saved or deleted
    (many-to-many fields included). Changes through QuerySet.update() or bulk_create() send no
    signals: code that uses them calls `invalidate()` itself."""
    for model in models:
        uid = f"refcache:{model._meta.label}"
        post_save.connect(_on_change, sender=model, dispatch_uid=uid + ":save")
        post_delete.connect(_on_change, sender=model, dispatch_uid=uid + ":delete")
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through  # type: ignore[attr-defined]
            m2m_changed.connect(_on_change, sender=through, dispatch_uid=uid + ":" + field.name)


# --- across processes -----------------------------------------------------------------------
# With several workers (REDIS_URL) the generation lives in Redis, and reading it there cost a
# round trip on every request that read reference data: every kiosk ticket and console call
# (docs/adr/0011). Each process instead keeps the generation it last read and subscribes to
# CHANGED_CHANNEL, where every bump is announced; it trusts what it keeps only while that
# subscription stands. Until it is confirmed, and from the moment its connection fails (Redis
# restarted, network), every request reads Redis again, as before.


class GenerationWatch:
    """A process's subscription to generation changes, on a thread of its own."""

    RECONNECT_AFTER = 1.0  # seconds between attempts while Redis cannot be reached

    def __init__(self, url: str) -> None:
        self.url = url
        db = redis.ConnectionPool.from_url(url).connection_kwargs.get("db", 0)
        self.channel = CHANGED_CHANNEL.format(db=db)
        self.name = f"mpp-refcache-watch-{os.getpid()}-{id(self)}"  # CLIENT LIST shows it
        self.epoch = 0  # counts changes heard; a read older than the last change is not kept
        self.changes_heard = threading.Event()  # for tests: set at every change or (re)start
        self._known: str | None = None
        self._subscribed = False
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="refcache-watch", daemon=True)
        self._thread.start()

    def current(self) -> str | None:
        """The generation, if known and still trusted; None means: read Redis."""
        return self._known if self._subscribed else None

    def remember(self, value: str, epoch: int) -> None:
        """Keep `value`, read from Redis when `epoch` was current, unless a change came since."""
        with self._lock:
            if self._subscribed and epoch == self.epoch:
                self._known = value

    def forget(self) -> None:
        with self._lock:
            self.epoch += 1
            self._known = None
        self.changes_heard.set()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        while not self._stop.is_set():
            client = redis.Redis.from_url(
                self.url,
                socket_connect_timeout=5,
                socket_keepalive=True,
                health_check_interval=10,
                client_name=self.name,
            )
            pubsub = client.pubsub()
            try:
                pubsub.subscribe(self.channel)
                while not self._stop.is_set():
                    message = pubsub.get_message(timeout=1.0)
                    if message is None:
                        continue
                    if message["type"] == "subscribe":
                        with self._lock:
                            self._subscribed = True
                        redis_pool.answered()
                        if _missed_changes:
                            _catch_up()
                    self.forget()  # subscribed anew, or a change: read Redis once more
            except redis.RedisError as error:
                # A change made while Redis is away cannot announce itself, even by a process
                # that has since ended (`load-region`): keep nothing, start anew when it is back.
                _lost_redis(error)
            finally:
                with self._lock:
                    self._subscribed = False
                self.forget()
                pubsub.close()
                client.close()
            self._stop.wait(self.RECONNECT_AFTER)


_watches: dict[int, GenerationWatch] = {}
_watches_lock = threading.Lock()


def _watch() -> GenerationWatch | None:
    """This process's watch (started at first use, never across a fork); None without Redis."""
    url = settings.REDIS_URL
    if not url:
        return None
    pid = os.getpid()
    found = _watches.get(pid)
    if found is None:
        with _watches_lock:
            found = _watches.get(pid)
            if found is None:
                found = _watches[pid] = GenerationWatch(url)
    return found


def forget_generation() -> None:
    """Read the generation from the cache again (tests that empty the cache call this)."""
    watch = _watch()
    if watch is not None:
        watch.forget()


@functools.cache
def _publisher(url: str) -> redis.Redis:
    return redis.Redis.from_url(url)
