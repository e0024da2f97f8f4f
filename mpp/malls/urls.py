from django.urls import path

from mpp.malls import jobs, views

app_name = "malls"
urlpatterns = [
    path("", views.home, name="home"),
    path("mal/<slug:slug>/", views.mall_detail, name="mall-detail"),
    path("mal/<slug:slug>/logo.svg", views.mall_logo, name="mall-logo"),
    # Background jobs (core/jobs.py): progress page and the file a job made.
    path("tugas/<id:pk>/", jobs.job_page, name="job"),
    path("tugas/<id:pk>/berkas", jobs.job_file, name="job-file"),
]
