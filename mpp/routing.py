"""Websocket routes of every app."""

from django.urls import path

from mpp.malls.consumers import MallConsumer
from mpp.metapers.consumers import ChatConsumer, InboxConsumer, PresenceConsumer

websocket_urlpatterns = [
    path("ws/mal/<slug:slug>/", MallConsumer.as_asgi()),
    # Metapers: the fixed paths before the hall's <slug> path, which would swallow them.
    path("ws/metapers/tanya/<int:conversation_id>/", ChatConsumer.as_asgi()),
    path("ws/metapers/petugas/", InboxConsumer.as_asgi()),
    path("ws/metapers/<slug:slug>/", PresenceConsumer.as_asgi()),
]
