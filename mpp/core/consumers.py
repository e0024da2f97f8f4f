"""Base websocket consumer: join one group, forward its events; never write anything. And the
consumer of every address no route names: it refuses the socket."""

from __future__ import annotations

import json
from typing import Any

from channels.generic.websocket import AsyncJsonWebsocketConsumer, AsyncWebsocketConsumer

NOT_FOUND = 4404  # close code: no such socket


class UnknownSocket(AsyncWebsocketConsumer):
    """The last route (mpp/routing.py): any other path is refused with close code 4404, which a
    browser sees as a failed handshake. Channels' router raised instead, which the server turned
    into an HTTP 500 and a logged traceback for every probe."""

    async def connect(self) -> None:
        await self.close(code=NOT_FOUND)


class GroupForwardConsumer(AsyncJsonWebsocketConsumer):
    """Subclasses set `group` in `resolve_group` (returning None refuses the connection)."""

    group: str | None = None

    async def resolve_group(self) -> str | None:  # pragma: no cover - overridden
        raise NotImplementedError

    async def connect(self) -> None:
        self.group = await self.resolve_group()
        if self.group is None:
            await self.close(code=NOT_FOUND)
            return
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        if self.group is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        """A frame that is not JSON text is ignored, quietly: Channels' JSON consumer raised on
        it, and every garbled frame logged a traceback."""
        if text_data is None:
            return
        try:
            content = json.loads(text_data)
        except ValueError:
            return
        await self.receive_json(content)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        """Screens only listen; anything they send is ignored."""

    async def dispatch(self, message: dict[str, Any]) -> None:
        """Events go straight to the socket. Channels' dispatch first hands every message to a
        worker thread to close old database connections, which forwarding never opens: with
        200 screens that was 200 thread hand-offs in a row per event (bench/fanout_bench.py:
        p99 from about 200 ms to about 60 ms)."""
        if message["type"] == "event.forward":
            await self.event_forward(message)
        else:
            await super().dispatch(message)

    async def event_forward(self, message: dict[str, Any]) -> None:
        await self.send_json(
            {
                "event": message["event"],
                "seq": message["seq"],
                "payload": message["payload"],
                "sent_at": message.get("sent_at"),  # commit time (wall clock, seconds)
            }
        )
