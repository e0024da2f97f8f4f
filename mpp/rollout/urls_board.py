"""Rollout pages: the board, each owner agency's open items, the weekly PDF (see urls.py)."""

from __future__ import annotations

from django.urls import URLPattern, path

from mpp.rollout import views_board

urlpatterns: list[URLPattern] = [
    path("persiapan/", views_board.board, name="board"),
    path("persiapan/instansi/<slug:code>/", views_board.agency, name="agency"),
    path("persiapan/laporan-mingguan.pdf", views_board.weekly_pdf, name="weekly-pdf"),
]
