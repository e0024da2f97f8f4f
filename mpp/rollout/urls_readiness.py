"""Rollout pages: see mpp/rollout/urls.py. Readiness, status and trial day of each mall."""

from __future__ import annotations

from django.urls import URLPattern, path

from mpp.rollout import views_readiness as views

urlpatterns: list[URLPattern] = [
    path("persiapan/kesiapan/", views.index, name="readiness-index"),
    path("persiapan/kesiapan/<slug:slug>/", views.page, name="readiness"),
    path("persiapan/kesiapan/<slug:slug>/status/", views.status_change, name="readiness-status"),
    path("persiapan/kesiapan/<slug:slug>/uji-coba/", views.trial_start, name="readiness-trial"),
    path("persiapan/kesiapan/<slug:slug>/butir/<id:pk>/", views.item_update, name="readiness-item"),
    path(
        "persiapan/kesiapan/<slug:slug>/butir/<id:pk>/rencana/",
        views.item_plan,
        name="readiness-plan",
    ),
    path(
        "persiapan/kesiapan/<slug:slug>/butir/<id:pk>/bukti/",
        views.evidence,
        name="readiness-evidence",
    ),
]
