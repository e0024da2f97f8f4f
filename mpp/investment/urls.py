from django.urls import path, re_path

from mpp.investment import views

app_name = "investment"

urlpatterns = [
    path("investasi/", views.dashboard, name="dashboard"),
    re_path(r"^investasi/unduh\.(?P<fmt>xlsx|pdf)$", views.export, name="export"),
    re_path(r"^investasi/templat\.(?P<fmt>csv|xlsx)$", views.template, name="template"),
    path("investasi/internal/", views.internal, name="internal"),
    path("investasi/internal/unduh.xlsx", views.internal_export, name="internal-export"),
    path("investasi/impor/", views.import_file, name="import"),
    path("investasi/final/", views.final_period, name="final-period"),
    path("investasi/klasifikasi/", views.classification, name="classification"),
]
