"""Websocket routes of every app."""

from django.urls import path, re_path

from mpp.core.consumers import UnknownSocket
from mpp.core.metrics import counted_socket
from mpp.malls.consumers import MallConsumer
from mpp.metapers.consumers import ChatConsumer, InboxConsumer, PresenceConsumer

websocket_urlpatterns = [
    # Each kind's open sockets are counted for /metrics (core/metrics.py).
    path("ws/mal/<slug:slug>/", counted_socket("mall", MallConsumer.as_asgi())),
    # Metapers: the fixed paths before the hall's <slug> path, which would swallow them.
    path(
        "ws/metapers/tanya/<id:conversation_id>/",
        counted_socket("chat", ChatConsumer.as_asgi()),
    ),
    path("ws/metapers/petugas/", counted_socket("inbox", InboxConsumer.as_asgi())),
    path("ws/metapers/<slug:slug>/", counted_socket("presence", PresenceConsumer.as_asgi())),
    # Last: any other path (or an id past the database's integers) is refused, not an error.
    re_path(r"", UnknownSocket.as_asgi()),
]
