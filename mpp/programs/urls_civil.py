"""Disdukcapil's follow-up of a programme's married couples: see views_civil.py."""

from __future__ import annotations

from django.urls import URLPattern, path

from mpp.programs import views_civil as views

urlpatterns: list[URLPattern] = [
    path("program/<slug:slug>/dukcapil/", views.tasks, name="civil"),
    path("program/<slug:slug>/dukcapil/tugas/<id:pk>/", views.task_update, name="civil-task"),
]
