from django.urls import path

from mpp.malls import views

app_name = "malls"
urlpatterns = [
    path("", views.home, name="home"),
    path("mal/<slug:slug>/", views.mall_detail, name="mall-detail"),
    path("mal/<slug:slug>/logo.svg", views.mall_logo, name="mall-logo"),
]
