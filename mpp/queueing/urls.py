from django.urls import path

from mpp.queueing import views, views_alerts, views_checkin

app_name = "queueing"
urlpatterns = [
    path("layanan/<id:pk>/antrean/", views.take_number, name="take-number"),
    path("antrean/<str:code>/", views.ticket_page, name="ticket"),
    path("antrean/<str:code>/batal/", views.ticket_cancel, name="ticket-cancel"),
    path("antrean/<str:code>/pemberitahuan/", views_alerts.alert_on, name="ticket-alert"),
    path(
        "antrean/<str:code>/pemberitahuan/matikan/", views_alerts.alert_off, name="ticket-alert-off"
    ),
    path("pengawas/<slug:slug>/", views.supervisor, name="supervisor"),
    path("pengawas/<slug:slug>/laporan/", views.daily_report, name="report"),
    path("pengawas/<slug:slug>/ketepatan/", views.estimate_accuracy, name="accuracy"),
    path(
        "pengawas/<slug:slug>/loket/<id:counter_id>/",
        views.reassign_counter,
        name="reassign-counter",
    ),
    path("konsol/", views.console_home, name="console-home"),
    path("konsol/loket/<id:counter_id>/", views.console, name="console"),
    path("konsol/loket/<id:counter_id>/<slug:step>/", views.console_step, name="console-step"),
    path("kios/<slug:slug>/", views.kiosk_home, name="kiosk"),
    path("kios/<slug:slug>/instansi/<slug:tenant>/", views.kiosk_tenant, name="kiosk-tenant"),
    path("kios/<slug:slug>/layanan/<id:pk>/", views.kiosk_issue, name="kiosk-issue"),
    path(
        "kios/<slug:slug>/layanan/<id:pk>/prioritas/", views.kiosk_priority, name="kiosk-priority"
    ),
    path("kios/<slug:slug>/tiket/<str:code>/", views.kiosk_slip, name="kiosk-slip"),
    path("kios/<slug:slug>/janji-temu/", views_checkin.kiosk_checkin, name="kiosk-checkin"),
]
