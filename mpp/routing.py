"""Websocket routes of every app."""

from django.urls import path, re_path

from mpp.core.consumers import UnknownSocket
from mpp.malls.consumers import MallConsumer
from mpp.metapers.consumers import ChatConsumer, InboxConsumer, PresenceConsumer

websocket_urlpatterns = [
    path("ws/mal/<slug:slug>/", MallConsumer.as_asgi()),
    # Metapers: the fixed paths before the hall's <slug> path, which would swallow them.
    path("ws/metapers/tanya/<id:conversation_id>/", ChatConsumer.as_asgi()),
    path("ws/metapers/petugas/", InboxConsumer.as_asgi()),
    path("ws/metapers/<slug:slug>/", PresenceConsumer.as_asgi()),
    # Last: any other path (or an id past the database's integers) is refused, not an error.
    re_path(r"", UnknownSocket.as_asgi()),
]
