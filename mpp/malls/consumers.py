"""The public websocket of a mall: events about the mall (status, hours) for its screens."""

from __future__ import annotations

from channels.db import database_sync_to_async

from mpp.core.consumers import GroupForwardConsumer
from mpp.core.events import group_name
from mpp.malls.models import Mall


class MallConsumer(GroupForwardConsumer):
    async def resolve_group(self) -> str | None:
        slug = self.scope["url_route"]["kwargs"]["slug"]
        mall_id = await database_sync_to_async(
            lambda: Mall.objects.filter(slug=slug).values_list("pk", flat=True).first()
        )()
        return None if mall_id is None else group_name("mall", mall_id)
