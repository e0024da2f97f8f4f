from django.urls import path

from mpp.metapers import views, views_3d, views_chat, views_pwa, views_training

app_name = "metapers"

urlpatterns = [
    # "Tanya petugas" (views_chat): the officers' fixed paths before any metapers/<slug>/ path.
    path("metapers/petugas/obrolan/", views_chat.inbox, name="inbox"),
    path("metapers/petugas/obrolan/daftar/", views_chat.inbox_list, name="inbox-list"),
    path("metapers/petugas/obrolan/<id:pk>/", views_chat.officer_chat, name="officer-chat"),
    path("metapers/petugas/obrolan/<id:pk>/ambil/", views_chat.claim, name="chat-claim"),
    path("metapers/petugas/obrolan/<id:pk>/balas/", views_chat.reply, name="chat-reply"),
    path("metapers/petugas/obrolan/<id:pk>/alihkan/", views_chat.hand_over, name="chat-hand-over"),
    path("metapers/petugas/obrolan/<id:pk>/tutup/", views_chat.close, name="chat-close"),
    # Training mode (views_training): fixed paths, before any metapers/<slug>/ path.
    path("metapers/pelatihan/", views_training.training_page, name="training"),
    path("metapers/pelatihan/jawab/", views_training.training_reply, name="training-reply"),
    path("metapers/pelatihan/nomor/", views_training.training_issue, name="training-issue"),
    path("metapers/pelatihan/panggil/", views_training.training_call, name="training-call"),
    path(
        "metapers/pelatihan/mengerti/",
        views_training.training_acknowledge,
        name="training-acknowledge",
    ),
    path("metapers/pelatihan/ulang/", views_training.training_restart, name="training-restart"),
    path("metapers/pelatihan/rekap/", views_training.training_report, name="training-report"),
    path("metapers/tanya/<id:pk>/pesan.json", views_chat.chat_snapshot, name="chat-snapshot"),
    path("metapers/<slug:slug>/instansi/<slug:tenant_slug>/tanya/", views_chat.chat, name="chat"),
    path("metapers/<slug:slug>/scene.json", views.scene, name="scene"),
    # The installable app (views_pwa): served under /metapers/ so the worker's scope covers it.
    path("metapers/sw.js", views_pwa.service_worker, name="sw"),
    path("metapers/manifest.webmanifest", views_pwa.manifest, name="manifest"),
    path("metapers/luring/", views_pwa.offline, name="offline"),
    path("metapers/<slug:slug>/3d/", views_3d.hall_3d, name="hall-3d"),
    path("metapers/", views.index, name="index"),
    path("metapers/<slug:slug>/", views.hall, name="hall"),
    path("metapers/<slug:slug>/peta/", views.floor_map_page, name="map"),
    path("metapers/<slug:slug>/instansi/<slug:tenant_slug>/", views.booth, name="booth"),
]
