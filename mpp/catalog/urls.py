from django.urls import path

from mpp.catalog import views

app_name = "catalog"
urlpatterns = [
    path("instansi/", views.tenant_list, name="tenant-list"),
    path("instansi/<slug:slug>/", views.tenant_detail, name="tenant-detail"),
    path("layanan/", views.service_search, name="service-search"),
    path("layanan/<id:pk>/", views.service_detail, name="service-detail"),
    path("layanan/<id:pk>/cetak/", views.service_checklist, name="service-checklist"),
]
