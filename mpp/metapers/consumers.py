"""Metapers websockets: a conversation, an officers' inbox, and a hall's presence counts.

The chat sockets deliver only. Messages are posted over HTTP (`views_chat`), because the same
form then works without JavaScript, CSRF and the rate limit (429) apply as to any other form,
and the consumers stay free of writes: they authenticate, join groups and forward events, whose
payloads carry ids and states, never text (the page fetches the snapshot on each one).

Presence is the one socket that listens: a visitor says where they are, which changes a count in
the cache (presence.py), not a record.
"""

from __future__ import annotations

import json
import time
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.utils.translation import gettext as _

from mpp.core.consumers import GroupForwardConsumer
from mpp.malls.models import Mall
from mpp.metapers import presence
from mpp.metapers.access import inbox_scope_of, may_join_conversation
from mpp.metapers.chat import chat_group, inbox_group, mall_inbox_group
from mpp.metapers.models import Booth

REFUSED = 4403  # close code: not yours to read
NOT_FOUND = 4404


class ChatConsumer(GroupForwardConsumer):
    """`/ws/metapers/tanya/<conversation id>/`: the conversation's visitor (by the signed
    cookie of their key) or staff who may read it (by their session)."""

    async def resolve_group(self) -> str | None:
        conversation_id = int(self.scope["url_route"]["kwargs"]["conversation_id"])
        allowed = await database_sync_to_async(may_join_conversation)(
            self.scope.get("user"), self.scope.get("cookies", {}), conversation_id
        )
        return chat_group(conversation_id) if allowed else None

    async def connect(self) -> None:
        self.group = await self.resolve_group()
        if self.group is None:
            await self.close(code=REFUSED)
            return
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        """Writes go through the form (see the module's docstring); say so, store nothing."""
        if isinstance(content, dict) and content.get("type") == "ping":
            return
        await self.send_json(
            {"type": "error", "message": _("Kirim pesan melalui formulir di halaman.")}
        )


class InboxConsumer(GroupForwardConsumer):
    """`/ws/metapers/petugas/`: the inboxes of a tenant officer (their tenant at each of their
    malls) or a supervisor (their mall). An officer's open socket counts them as online, so
    visitors get a person rather than the catalogue's automatic answer."""

    groups_joined: list[str]
    desks: list[tuple[int, int]]

    async def connect(self) -> None:
        scope = await database_sync_to_async(inbox_scope_of)(self.scope.get("user"))
        self.groups_joined, self.desks = [], []
        if scope is None:
            await self.close(code=REFUSED)
            return
        if scope.tenant_id is None:
            self.groups_joined = [mall_inbox_group(m) for m in scope.mall_ids]
        else:
            self.desks = [(scope.tenant_id, m) for m in scope.mall_ids]
            self.groups_joined = [inbox_group(t, m) for t, m in self.desks]
        for group in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()
        self._mark_online()

    def _mark_online(self) -> None:
        for tenant_id, mall_id in self.desks:
            presence.officer_connected(tenant_id, mall_id, self.channel_name)

    async def disconnect(self, code: int) -> None:
        for group in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)
        for tenant_id, mall_id in getattr(self, "desks", []):
            presence.officer_disconnected(tenant_id, mall_id, self.channel_name)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        """A ping (every HEARTBEAT_SECONDS) keeps the officer counted as online."""
        if isinstance(content, dict) and content.get("type") == "ping":
            self._mark_online()


# A visitor says where they are when they move: a few times a minute. More than this in ten
# seconds is a script; its messages are refused without touching the roster.
MOVES_PER_10_SECONDS = 20


class PresenceConsumer(AsyncJsonWebsocketConsumer):
    """`/ws/metapers/<mall slug>/`: counts of visitors in the hall and at each booth (the
    frame format is in presence.py's docstring). Nobody is identified: the roster holds the
    connection's random channel name, nothing about the person."""

    mall_id: int | None = None
    booth_ids: frozenset[int] = frozenset()

    async def connect(self) -> None:
        slug = self.scope["url_route"]["kwargs"]["slug"]
        found = await database_sync_to_async(_hall_of)(slug)
        if found is None:
            await self.close(code=NOT_FOUND)
            return
        self.mall_id, self.booth_ids = found
        self.moves: list[float] = []
        await self.channel_layer.group_add(presence.hall_group(self.mall_id), self.channel_name)
        await self.accept()
        await self.send_json(presence.hall_frame(self.mall_id))  # the snapshot, at once
        if presence.visitor_at(self.mall_id, self.channel_name, None, address=self.address):
            await presence.announce(self.mall_id, self.channel_layer)

    @property
    def address(self) -> str | None:
        """The client's address, if the server knows it: a proxy's word for it only from a
        trusted proxy (core/proxies.py rewrites the scope)."""
        client = self.scope.get("client")
        return str(client[0]) if client else None

    async def disconnect(self, code: int) -> None:
        if self.mall_id is None:
            return
        await self.channel_layer.group_discard(presence.hall_group(self.mall_id), self.channel_name)
        if presence.visitor_left(self.mall_id, self.channel_name):
            await presence.announce(self.mall_id, self.channel_layer)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        """Malformed JSON gets an error frame instead of closing the visitor's socket."""
        try:
            content = json.loads(text_data or "")
        except ValueError:
            await self._error(_("Pesan bukan JSON."))
            return
        await self.receive_json(content)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        assert self.mall_id is not None
        now = time.monotonic()
        self.moves = [t for t in self.moves if now - t < 10] + [now]
        if len(self.moves) > MOVES_PER_10_SECONDS:
            await self._error(_("Terlalu banyak pesan posisi; tunggu sebentar."))
            return
        if not isinstance(content, dict) or content.get("type") != "at":
            await self._error(_('Pesan tidak dikenal: kirim {"type": "at", "booth": …}.'))
            return
        booth = content.get("booth")
        if booth is not None and (type(booth) is not int or booth not in self.booth_ids):
            await self._error(_("Gerai %(b)s tidak ada di aula ini.") % {"b": str(booth)[:20]})
            return
        if presence.visitor_at(self.mall_id, self.channel_name, booth, address=self.address):
            await presence.announce(self.mall_id, self.channel_layer)

    @classmethod
    async def encode_json(cls, content: Any) -> str:
        return json.dumps(content, separators=(",", ":"), ensure_ascii=False)  # small frames

    async def _error(self, message: str) -> None:
        await self.send_json({"type": "error", "message": message})

    async def presence_frame(self, message: dict[str, Any]) -> None:
        await self.send_json(message["frame"])


def _hall_of(slug: str) -> tuple[int, frozenset[int]] | None:
    """The mall's id and its booths' ids, or None for an unknown mall."""
    mall_id = Mall.objects.filter(slug=slug).values_list("pk", flat=True).first()
    if mall_id is None:
        return None
    booths = Booth.objects.filter(room__hall__mall_id=mall_id).values_list("pk", flat=True)
    return mall_id, frozenset(booths)
