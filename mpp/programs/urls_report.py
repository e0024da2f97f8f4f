"""A programme's report: the page, its PDF and its XLSX."""

from __future__ import annotations

from django.urls import URLPattern, path

from mpp.programs import views_report

urlpatterns: list[URLPattern] = [
    path("program/<slug:slug>/laporan/", views_report.report, name="report"),
    path("program/<slug:slug>/laporan.pdf", views_report.report_pdf, name="report-pdf"),
    path("program/<slug:slug>/laporan.xlsx", views_report.report_xlsx_download, name="report-xlsx"),
]
