"""Rollout pages: see mpp/rollout/urls.py. Operator training under /persiapan/pelatihan/, and
the certificate's public verification page /sertifikat/<code>/ (views_training.py)."""

from __future__ import annotations

from django.urls import URLPattern, path, re_path

from mpp.rollout import views_training as views

urlpatterns: list[URLPattern] = [
    path("persiapan/pelatihan/", views.curriculum, name="training"),
    path("persiapan/pelatihan/sesi/baru/", views.session_new, name="training-session-new"),
    path(
        "persiapan/pelatihan/sesi/<id:session_id>/",
        views.session_detail,
        name="training-session",
    ),
    path(
        "persiapan/pelatihan/sesi/<id:session_id>/peserta/",
        views.session_participants,
        name="training-participants",
    ),
    path(
        "persiapan/pelatihan/sesi/<id:session_id>/peserta/<id:member_id>/keluarkan/",
        views.session_participant_remove,
        name="training-participant-remove",
    ),
    path(
        "persiapan/pelatihan/sesi/<id:session_id>/kehadiran/",
        views.session_attendance,
        name="training-attendance",
    ),
    path(
        "persiapan/pelatihan/sesi/<id:session_id>/nilai/",
        views.session_scores,
        name="training-scores",
    ),
    path(
        "persiapan/pelatihan/sesi/<id:session_id>/sertifikat/<id:member_id>/",
        views.certificate_issue,
        name="training-certificate-issue",
    ),
    path(
        "persiapan/pelatihan/peserta/<id:member_id>/",
        views.member_record,
        name="training-member",
    ),
    path(
        "persiapan/pelatihan/sertifikat/<id:certificate_id>.pdf",
        views.certificate_download,
        name="training-certificate-pdf",
    ),
    re_path(
        r"^sertifikat/(?P<code>[A-Za-z0-9]{1,32})/$",
        views.certificate_check,
        name="certificate-check",
    ),
]
