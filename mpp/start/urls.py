from django.urls import path

from mpp.start import views

app_name = "start"
urlpatterns = [
    path("petugas/mulai/", views.start, name="home"),
]
