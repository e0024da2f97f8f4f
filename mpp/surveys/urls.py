from django.urls import path, re_path

from mpp.surveys import views, views_audit, views_paper, views_reports

app_name = "surveys"

urlpatterns = [
    # Citizens: the survey of a finished ticket (by its phone page's code, then by its token).
    path("antrean/<str:code>/survei/", views.from_ticket, name="from-ticket"),
    path("survei/isi/<str:token>/", views.survey, name="survey"),
    path("survei/isi/<str:token>/terima-kasih/", views.thanks, name="thanks"),
    path("survei/tablet/loket/<id:counter_id>/", views.tablet, name="tablet"),
    # Staff: paper sheets typed in one by one, or imported from a spreadsheet.
    path("survei/kertas/<id:mall_id>/", views_paper.paper, name="paper"),
    path("survei/impor/<id:mall_id>/", views_paper.import_file, name="import"),
    path("survei/impor/templat.<str:fmt>", views_paper.import_template, name="import-template"),
    # Staff: raw anonymised responses and their manifest, for an independent audit.
    path("survei/audit/unduh.zip", views_audit.export, name="audit-export"),
    # Staff: results and the report a unit files; the follow-up plan. Public: a mall's index.
    path("survei/hasil/", views_reports.results, name="results"),
    re_path(
        r"^survei/hasil/unduh\.(?P<fmt>pdf|xlsx)$",
        views_reports.results_export,
        name="results-export",
    ),
    path("survei/hasil/rencana/", views_reports.follow_up_add, name="follow-up-add"),
    path(
        "survei/hasil/rencana/<id:pk>/status/",
        views_reports.follow_up_status,
        name="follow-up-status",
    ),
    path("mal/<slug:slug>/ikm/", views_reports.public, name="public"),
]
