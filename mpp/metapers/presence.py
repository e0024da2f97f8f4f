"""Who is in a virtual hall, counted and never identified; and which officers have their inbox open.

Counts live in the shared cache (Redis in production, locmem in tests), never in the database:
they are worth seconds, not records. A roster is one cache entry per hall, mapping a websocket
connection's channel name (random, never linked to a person) to where it is and until when it
counts. Every entry expires `ROSTER_TTL` seconds after its last refresh, so a tab closed without
saying goodbye (phone locked, signal lost) drops out by itself.

One client address counts at most `MPP_PRESENCE_PER_ADDRESS` sockets in a hall: 200 idle sockets
from one machine made every visitor see "200 in the hall". Further sockets from that address
still receive the counts; they are counted when one of the others leaves or expires. The roster
keeps a hash of the address (compared, never shown), so it still names nobody.

Wire format of `/ws/metapers/<mall slug>/` (the 3D hall and the list page connect to it):

- visitor → server, on opening or approaching a booth, on leaving it (null), and at least every
  `HEARTBEAT_SECONDS` as a keep-alive::

      {"type": "at", "booth": 12}        # a Booth id of this hall, or null (in the hall)

- server → visitor, at most once per second per hall, only booths with someone at them::

      {"type": "presence", "hall": 7, "booths": {"12": 2, "15": 1}}

- server → visitor on a message it refuses (unknown booth, too many messages)::

      {"type": "error", "message": "<Indonesian text>"}

Traffic: one frame is about 60 bytes plus about 9 bytes per occupied booth (the MPP hall has
fewer than 30 booths: under 350 bytes), and at most one arrives per second, so a visitor
receives well under 1 KB/s however many others move (test_presence measures a burst of 50).

Races: a roster is read, changed and written back. Within one process the consumers run on one
event loop and these functions never await in between, so nothing interleaves; across workers
(Redis) two simultaneous changes may lose one, which the next heartbeat (≤ 30 s) repairs — an
approximate count is what a public counter needs, and it costs no lock.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache

from mpp.core.events import group_name

ROSTER_TTL = 75  # seconds a connection counts after its last message
HEARTBEAT_SECONDS = 30  # how often clients refresh (chat.js, inbox.js, the 3D hall)
BROADCAST_INTERVAL = 1.0  # at most one presence frame per hall per this many seconds

# channel name -> [place (booth id or None), expires at (epoch s), client address's hash]
Roster = dict[str, list[Any]]


def _key(kind: str, key: object) -> str:
    return f"mpp:presence:{kind}:{key}"


def _load(cache_key: str) -> Roster:
    now = time.time()
    roster: Roster = cache.get(cache_key) or {}
    return {member: entry for member, entry in roster.items() if entry[1] > now}


def address_tag(address: str) -> str:
    """What the roster keeps of a client address: enough to compare two, not to read one."""
    return hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()[:16]


def _place(
    kind: str, key: object, member: str, where: int | None, *, address: str | None = None
) -> bool:
    """Record `member` at `where`; True when the counts changed (a newcomer or a move).

    A newcomer whose `address` already has MPP_PRESENCE_PER_ADDRESS members is not recorded."""
    cache_key = _key(kind, key)
    roster = _load(cache_key)
    before = roster.get(member)
    tag = None if address is None else address_tag(address)
    if before is None and tag is not None:
        same_address = sum(1 for entry in roster.values() if entry[2:3] == [tag])
        if same_address >= settings.MPP_PRESENCE_PER_ADDRESS:
            return False
    roster[member] = [where, time.time() + ROSTER_TTL, tag]
    cache.set(cache_key, roster, timeout=ROSTER_TTL)
    return before is None or before[0] != where


def _leave(kind: str, key: object, member: str) -> bool:
    cache_key = _key(kind, key)
    roster = _load(cache_key)
    if roster.pop(member, None) is None:
        return False
    cache.set(cache_key, roster, timeout=ROSTER_TTL)
    return True


# -- visitors in a hall ------------------------------------------------------------------------


def hall_group(mall_id: int) -> str:
    return group_name("presence", mall_id)


def visitor_at(
    mall_id: int, member: str, booth_id: int | None, *, address: str | None = None
) -> bool:
    """The connection `member`, from client `address`, is in the hall of `mall_id`, at
    `booth_id` (None: walking); not counted past the address's cap (no cap without an
    address: a server on a Unix socket without a trusted proxy cannot tell one)."""
    return _place("hall", mall_id, member, booth_id, address=address)


def visitor_left(mall_id: int, member: str) -> bool:
    return _leave("hall", mall_id, member)


def hall_frame(mall_id: int) -> dict[str, Any]:
    """The presence frame of a hall: visitors in it, and at each booth with anyone there."""
    roster = _load(_key("hall", mall_id))
    booths: dict[str, int] = {}
    for where, *_ in roster.values():
        if where is not None:
            booths[str(where)] = booths.get(str(where), 0) + 1
    return {"type": "presence", "hall": len(roster), "booths": booths}


_pending: set[asyncio.Task[None]] = set()  # strong references: the loop keeps only weak ones


async def announce(mall_id: int, layer: Any) -> None:
    """Send the hall's counts to its group now, or once when the interval allows.

    The first change after a quiet second goes out at once (leading edge); changes within the
    second are folded into one trailing frame with the counts of that moment, so a burst of
    moves costs each visitor at most one frame a second and the last state is never lost."""
    next_key = _key("next", mall_id)
    now = time.time()
    next_at = float(cache.get(next_key) or 0)
    if now >= next_at:
        cache.set(next_key, now + BROADCAST_INTERVAL, timeout=10)
        await layer.group_send(
            hall_group(mall_id), {"type": "presence.frame", "frame": hall_frame(mall_id)}
        )
        return
    if cache.add(_key("pending", mall_id), 1, timeout=10):  # one trailing frame per window
        task = asyncio.get_running_loop().create_task(_trailing(mall_id, layer, next_at - now))
        _pending.add(task)
        task.add_done_callback(_pending.discard)


async def _trailing(mall_id: int, layer: Any, delay: float) -> None:
    await asyncio.sleep(delay)  # the rate limit itself, not a synchronisation
    cache.delete(_key("pending", mall_id))
    await announce(mall_id, layer)


# -- officers with their inbox open ------------------------------------------------------------


def _desk(tenant_id: int, mall_id: int) -> str:
    return f"{tenant_id}-{mall_id}"


def officer_connected(tenant_id: int, mall_id: int, member: str) -> None:
    """An officer's inbox socket (`member`) is open for the tenant's chats at the mall."""
    _place("officers", _desk(tenant_id, mall_id), member, None)


def officer_disconnected(tenant_id: int, mall_id: int, member: str) -> None:
    _leave("officers", _desk(tenant_id, mall_id), member)


def officers_connected(tenant_id: int, mall_id: int) -> int:
    """How many inbox sockets of the tenant's officers at the mall are open (not expired)."""
    return len(_load(_key("officers", _desk(tenant_id, mall_id))))
