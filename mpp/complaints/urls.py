"""Complaints' pages: /pengaduan/ (the form, the complaint's page) and /petugas/pengaduan/."""

from __future__ import annotations

from django.urls import path

from mpp.complaints import views, views_reports

app_name = "complaints"

urlpatterns = [
    path("pengaduan/", views.lookup, name="lookup"),
    path("pengaduan/baru/", views.new, name="new"),
    path("pengaduan/<str:code>/", views.track, name="track"),
    path("petugas/pengaduan/", views.staff_list, name="staff-list"),
    path("petugas/pengaduan/laporan/", views_reports.report, name="report"),
    path("petugas/pengaduan/laporan.xlsx", views_reports.report_xlsx, name="report-xlsx"),
    path("petugas/pengaduan/<id:complaint_id>/", views.staff_detail, name="staff-detail"),
    path("petugas/pengaduan/<id:complaint_id>/verifikasi/", views.verify, name="verify"),
    path("petugas/pengaduan/<id:complaint_id>/tolak/", views.dismiss, name="dismiss"),
    path("petugas/pengaduan/<id:complaint_id>/tanggapi/", views.reply, name="reply"),
    path("petugas/pengaduan/<id:complaint_id>/tutup/", views.close, name="close"),
]
