"""Reference data kept in process memory, dropped everywhere at once when it changes.

The hot paths (issuing a ticket, a kiosk's token) read the same rows on every request: the mall
and its hours, the service and its offering, the queue, the token's owner. Reading them costs
more than the ticket itself (docs/BENCHMARKS.md). They change a few times a day, through the
admin or `load-region`, so each process keeps what it read in memory, tagged with a generation
token stored in the shared cache (Redis when several workers run). A change bumps the
generation and every process reads again on its next request: one cache read per request
instead of ten queries, and no process serves stale reference data after a change commits.

Why bump twice (now and after commit): the immediate bump makes the changing transaction itself
read fresh; the bump after commit stops another process from keeping what it read between the
first bump and the commit (the old rows) under the new generation.
"""

from __future__ import annotations

import contextvars
import threading
import uuid
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.core.cache import cache
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save

T = TypeVar("T")

GENERATION_KEY = "mpp:ref-generation"
# Entries are few (malls × services, kiosk and console tokens); the bound only stops a leak.
MAX_ENTRIES = 20_000

_lock = threading.Lock()
_memo: dict[Hashable, tuple[str, Any]] = {}


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
    found = cache.get(GENERATION_KEY)
    if found is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        found = cache.get(GENERATION_KEY)
    if held is not None:
        held["gen"] = str(found)
    return str(found)


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
    cache.set(GENERATION_KEY, gen, timeout=None)
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
