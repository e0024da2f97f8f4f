"""Websocket routes of every app."""

from django.urls import path

from mpp.malls.consumers import MallConsumer

websocket_urlpatterns = [
    path("ws/mal/<slug:slug>/", MallConsumer.as_asgi()),
]
