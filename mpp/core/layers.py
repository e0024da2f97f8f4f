"""The channel layer of the embedded default (one process, no Redis): Channels' in-memory
layer with two costs of the board fan-out removed (docs/adr/0011).

- Every send and every receive scanned all channels and groups for expired entries. With 200
  screens, one event meant 200 receives, each scanning 200 channels. The scan now runs at most
  once a second: entries expire after a minute (messages) or a day (group memberships), so a
  second more changes nothing a screen can see.
- `group_send` started a task per member and waited for them all, although each member's queue
  is in this process and a put never waits. Now it puts the message on each queue directly. The
  members share one copy, taken once, as our consumers only read messages.

Everything else, including capacity (a full channel misses the message, as in Channels), is
Channels' own.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from copy import deepcopy
from typing import Any

from channels.layers import InMemoryChannelLayer


class InProcessChannelLayer(InMemoryChannelLayer):  # type: ignore[misc]
    CLEAN_EVERY = 1.0  # seconds between scans for expired messages and memberships

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._cleaned_at = float("-inf")

    def _clean_expired(self) -> None:
        now = time.monotonic()
        if now - self._cleaned_at < self.CLEAN_EVERY:
            return
        self._cleaned_at = now
        super()._clean_expired()

    async def group_send(self, group: str, message: dict[str, Any]) -> None:
        if not isinstance(message, dict):
            raise TypeError("Message is not a dict")
        self.require_valid_group_name(group)
        self._clean_expired()
        members = self.groups.get(group)
        if not members:
            return
        shared = deepcopy(message)  # the sender's dict may change after this call; ours does not
        expires = time.time() + self.expiry
        for channel in list(members):
            queue = self.channels.setdefault(
                channel, asyncio.Queue(maxsize=self.get_capacity(channel))
            )
            # As in Channels, a screen that stopped reading (its queue full) misses the message.
            with contextlib.suppress(asyncio.QueueFull):
                queue.put_nowait((expires, shared))
