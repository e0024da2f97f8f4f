"""URL map: public pages, staff admin, the JSON API and language switching."""

from django.contrib import admin
from django.urls import include, path

from mpp.api import api
from mpp.core import health, metrics

admin.site.site_header = "Administrasi MPP"
admin.site.site_title = "Administrasi MPP"
admin.site.index_title = "Data rujukan"

urlpatterns = [
    path("", include("mpp.malls.urls")),
    path("", include("mpp.catalog.urls")),
    path("", include("mpp.queueing.urls")),
    path("", include("mpp.displays.urls")),
    path("", include("mpp.investment.urls")),
    path("", include("mpp.surveys.urls")),
    path("", include("mpp.metapers.urls")),
    path("", include("mpp.accounts.urls")),
    path("", include("mpp.start.urls")),
    path("", include("mpp.rollout.urls")),
    path("", include("mpp.programs.urls")),
    path("", include("mpp.appointments.urls")),
    path("", include("mpp.complaints.urls")),
    path("", include("mpp.applications.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    # Monitors (core/health.py): liveness, readiness naming what is down, and the old check.
    path("livez", health.livez, name="livez"),
    path("readyz", health.readyz, name="readyz"),
    path("healthz", health.healthz, name="healthz"),
    # Prometheus, from MPP_METRICS_ALLOWED only (core/metrics.py).
    path("metrics", metrics.metrics, name="metrics"),
]

handler400 = "mpp.core.views.bad_request"
handler403 = "mpp.core.views.forbidden"
handler404 = "mpp.core.views.not_found"
handler500 = "mpp.core.views.server_error"
