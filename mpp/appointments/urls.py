"""Booking's pages: /janji/ (choose, book, the booking's own page) and the staff's list."""

from __future__ import annotations

from django.urls import path

from mpp.appointments import views

app_name = "appointments"

urlpatterns = [
    path("janji/", views.choose, name="choose"),
    path("janji/pesan/", views.book, name="book"),
    path("janji/mal/<id:mall_id>/", views.staff_list, name="staff-list"),
    path("janji/<str:access_key>/", views.booking_page, name="booking"),
    path("janji/<str:access_key>/kalender.ics", views.calendar, name="calendar"),
    path("janji/<str:access_key>/batal/", views.cancel, name="cancel"),
    path("janji/<str:access_key>/pindah/", views.move, name="move"),
]
