"""The applications' pages: the citizen's tracking (/permohonan/) and the staff's receipt slip
(views_public); the staff's list and detail under /petugas/permohonan/ (views_staff)."""

from __future__ import annotations

from django.urls import path

from mpp.applications import views_public, views_reports, views_staff

app_name = "applications"

urlpatterns = [
    path("permohonan/", views_public.lookup, name="lookup"),
    path("permohonan/<str:code>/", views_public.track, name="track"),
    path("petugas/permohonan/<str:code>/tanda-terima/", views_public.receipt, name="slip"),
    # Staff (views_staff): the live list, opening at the counter, one application, a step.
    path("petugas/permohonan/", views_staff.staff_list, name="staff-list"),
    path("petugas/permohonan/baru/", views_staff.staff_open, name="staff-open"),
    path("petugas/permohonan/<str:code>/", views_staff.staff_detail, name="staff-detail"),
    path("petugas/permohonan/<str:code>/langkah/", views_staff.staff_move, name="staff-move"),
    # The day's or month's report of a mall (views_reports): on time against the standard.
    path(
        "pengawas/<slug:slug>/permohonan/laporan/",
        views_reports.application_report_page,
        name="report",
    ),
]
