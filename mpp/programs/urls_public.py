"""The programmes' public pages (views_public): a programme, registration online and at the
counter, the couple's own page (reached by its secret key), its documents and its receipt."""

from __future__ import annotations

from django.urls import URLPattern, path

from mpp.programs import views_public as views

urlpatterns: list[URLPattern] = [
    path("program/", views.index, name="index"),
    # Before <slug:slug>/: "pendaftaran" is this path's word, never a programme's slug.
    path("program/pendaftaran/<str:access_key>/", views.registration, name="registration"),
    path(
        "program/pendaftaran/<str:access_key>/tanda-terima.pdf",
        views.receipt_pdf,
        name="receipt",
    ),
    path(
        "program/pendaftaran/<str:access_key>/dokumen/<id:pk>/unggah/",
        views.document_upload,
        name="document-upload",
    ),
    path(
        "program/pendaftaran/<str:access_key>/dokumen/<id:pk>/dibawa/",
        views.document_brought,
        name="document-brought",
    ),
    path("program/pendaftaran/<str:access_key>/kirim-ulang/", views.resubmit, name="resubmit"),
    path("program/<slug:slug>/", views.programme, name="programme"),
    path("program/<slug:slug>/daftar/", views.register, name="register"),
    path("program/<slug:slug>/daftar-loket/", views.register_counter, name="register-counter"),
]
