"""The KUA's pages (issue 20, items 3–5): see mpp/programs/views_kua.py. The ceremony day's
addresses come before the couple's, whose code would otherwise match "hari-akad"."""

from __future__ import annotations

from django.urls import URLPattern, path

from mpp.programs import views_kua as views

urlpatterns: list[URLPattern] = [
    path("kua/", views.home, name="kua-home"),
    path("kua/<slug:slug>/", views.programme, name="kua-programme"),
    path("kua/<slug:slug>/hari-akad/", views.ceremony_day, name="kua-ceremony"),
    path("kua/<slug:slug>/hari-akad/angka/", views.day_count, name="kua-ceremony-count"),
    path("kua/<slug:slug>/hari-akad/<str:code>/hadir/", views.check_in, name="kua-check-in"),
    path("kua/<slug:slug>/hari-akad/<str:code>/akad/", views.marry, name="kua-marry"),
    path("kua/<slug:slug>/<str:code>/", views.registration, name="kua-registration"),
    path("kua/<slug:slug>/<str:code>/nik/", views.reveal_nik, name="kua-nik"),
    path("kua/<slug:slug>/<str:code>/setujui/", views.approve, name="kua-approve"),
    path("kua/<slug:slug>/<str:code>/kembalikan/", views.return_, name="kua-return"),
    path("kua/<slug:slug>/<str:code>/batalkan/", views.cancel, name="kua-cancel"),
    path("kua/<slug:slug>/<str:code>/jadwal/", views.schedule, name="kua-schedule"),
    path("kua/<slug:slug>/<str:code>/biaya/", views.fee, name="kua-fee"),
    path("kua/<slug:slug>/<str:code>/dokumen/<id:pk>/", views.document_file, name="kua-document"),
    path(
        "kua/<slug:slug>/<str:code>/dokumen/<id:pk>/periksa/",
        views.document_check,
        name="kua-document-check",
    ),
]
