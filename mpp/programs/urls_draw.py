"""The door-prize draw: the public proof, its entrants file, the organisers' page."""

from __future__ import annotations

from django.urls import URLPattern, path

from mpp.programs import views_draw

urlpatterns: list[URLPattern] = [
    path("program/<slug:slug>/undian/", views_draw.draw, name="draw"),
    path(
        "program/<slug:slug>/undian/peserta.txt",
        views_draw.draw_entrants,
        name="draw-entrants",
    ),
    path("program/<slug:slug>/undian/kelola/", views_draw.draw_manage, name="draw-manage"),
]
