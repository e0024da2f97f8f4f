from django.urls import path

from mpp.displays import views

app_name = "displays"
urlpatterns = [path("papan/<slug:slug>/", views.board, name="board")]
