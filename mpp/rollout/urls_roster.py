"""The staff roster's pages under /persiapan/pegawai/ (DPMPTSP and BKPSDM only)."""

from __future__ import annotations

from django.urls import URLPattern, path

from mpp.rollout import views_roster

urlpatterns: list[URLPattern] = [
    path("persiapan/pegawai/", views_roster.roster_overview, name="roster"),
    path("persiapan/pegawai/tambah/", views_roster.member_add, name="roster-member-add"),
    path("persiapan/pegawai/mal/<int:mall_id>/", views_roster.roster_mall, name="roster-mall"),
    path("persiapan/pegawai/<int:member_id>/", views_roster.member_detail, name="roster-member"),
    path("persiapan/pegawai/<int:member_id>/tugaskan/", views_roster.assign, name="roster-assign"),
    path(
        "persiapan/pegawai/penugasan/<int:assignment_id>/akhiri/",
        views_roster.end,
        name="roster-end",
    ),
]
