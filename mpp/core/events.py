"""A small technical event bus: typed events, a sequence number per group, sent after commit.

Screens load a snapshot, apply events in sequence order, and reload the snapshot when they see a
gap (a missing sequence number) or reconnect. Events that reach public screens carry no personal
data: callers choose the payload, the bus only numbers and delivers it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.cache import cache
from django.db import transaction

_EVENT_TYPE = re.compile(r"^[a-z_]+\.[a-z_]+$")  # noun.past_verb, e.g. ticket.called


@dataclass(frozen=True)
class Event:
    type: str
    payload: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not _EVENT_TYPE.match(self.type):
            raise ValueError(f"event type {self.type!r} is not noun.past_verb")


def group_name(kind: str, key: object) -> str:
    """Channel-layer group names allow only ASCII letters, digits, '-', '_' and '.'."""
    return f"{kind}.{key}"


def next_sequence(group: str) -> int:
    """The next sequence number of `group` (shared across processes when the cache is Redis)."""
    key = f"mpp:event-seq:{group}"
    cache.add(key, 0, timeout=None)
    return int(cache.incr(key))


def current_sequence(group: str) -> int:
    return int(cache.get(f"mpp:event-seq:{group}", 0))


def publish(group: str, event: Event) -> None:
    """Send `event` to `group` once the current transaction commits (at once outside one)."""

    def send() -> None:
        message = {
            "type": "event.forward",
            "event": event.type,
            "seq": next_sequence(group),
            "payload": event.payload,
        }
        layer = get_channel_layer()
        if layer is not None:
            async_to_sync(layer.group_send)(group, message)

    transaction.on_commit(send)
