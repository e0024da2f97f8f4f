from django.contrib.auth import views as auth_views
from django.urls import path

from mpp.accounts import views

app_name = "accounts"
urlpatterns = [
    path("petugas/", views.staff_home, name="staff-home"),
    # Django's LogoutView (POST only since Django 5), then the sign-in page for the next person.
    path("keluar/", auth_views.LogoutView.as_view(next_page="admin:login"), name="logout"),
]
