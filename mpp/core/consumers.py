"""Base websocket consumer: join one group, forward its events; never write anything."""

from __future__ import annotations

from typing import Any

from channels.generic.websocket import AsyncJsonWebsocketConsumer


class GroupForwardConsumer(AsyncJsonWebsocketConsumer):
    """Subclasses set `group` in `resolve_group` (returning None refuses the connection)."""

    group: str | None = None

    async def resolve_group(self) -> str | None:  # pragma: no cover - overridden
        raise NotImplementedError

    async def connect(self) -> None:
        self.group = await self.resolve_group()
        if self.group is None:
            await self.close(code=4404)
            return
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        if self.group is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)

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
