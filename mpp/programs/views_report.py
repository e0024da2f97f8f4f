"""A programme's report (issue 20, item 8): the page, the PDF (written by the background
worker: WeasyPrint takes seconds, docs/adr/0020) and the XLSX (in the request: a few cells)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from mpp.programs.access_report import access_report_reader
from mpp.programs.jobs import enqueue_report_pdf
from mpp.programs.report import file_stem, report_context, report_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_safe
def report(request: HttpRequest, slug: str) -> HttpResponse:
    """The figures, fees by who bore them, the draw's winners, and the files' links."""
    _profile, programme = access_report_reader(request.user, slug)
    return render(request, "programs/report.html", report_context(programme))


@login_required
@require_safe
def report_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """Queue the PDF; the reader follows its job's page, which offers the file when ready."""
    _profile, programme = access_report_reader(request.user, slug)
    job = enqueue_report_pdf(
        programme=programme,
        base_url=request.build_absolute_uri("/"),
        acting_user=request.user,
    )
    return redirect("malls:job", pk=job.pk)


@login_required
@require_safe
def report_xlsx_download(request: HttpRequest, slug: str) -> HttpResponse:
    """The same figures as a workbook (text cells stay text: core.sheets)."""
    _profile, programme = access_report_reader(request.user, slug)
    context = report_context(programme)
    response = HttpResponse(report_xlsx(context), content_type=XLSX)
    name = file_stem(programme, context["today"]) + ".xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
