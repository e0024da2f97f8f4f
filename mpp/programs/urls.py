"""The programmes' pages: public (programme, registration, the couple's page, the draw), the
KUA's verification and ceremony day, Disdukcapil's follow-up, and the report."""

from django.urls import include, path

app_name = "programs"

urlpatterns = [
    path("", include("mpp.programs.urls_public")),
    path("", include("mpp.programs.urls_kua")),
    path("", include("mpp.programs.urls_civil")),
    path("", include("mpp.programs.urls_draw")),
    path("", include("mpp.programs.urls_report")),
]
