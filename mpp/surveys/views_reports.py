"""Survey results for staff (the report, its PDF and XLSX, the follow-up plan) and the public
transparency page of a mall."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from mpp.accounts.access import staff_profile
from mpp.core import clock
from mpp.malls.access import access_public_mall, malls_visible_to
from mpp.surveys import access, actions, ikm, jobs, report_files, reports
from mpp.surveys.demo import SOURCE as DEMO_SOURCE
from mpp.surveys.exceptions import SurveyError
from mpp.surveys.forms import FollowUpForm, FollowUpStatusForm, ReportForm
from mpp.surveys.models import FollowUpAction, SurveyImport
from mpp.surveys.queries import Period, Scope

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _bad_request(request: HttpRequest, errors: dict[str, Any]) -> HttpResponse:
    named = {(_("periode") if k == "__all__" else k): v for k, v in errors.items()}
    return render(request, "400.html", {"form_errors": named}, status=400)


def _parse(
    request: HttpRequest, data: QueryDict
) -> tuple[ReportForm, Scope, Period] | HttpResponse:
    """The report's form, scope (through `access_results`: 403/404) and period; a 400 page
    naming every bad parameter."""
    form = ReportForm(data)
    if not form.is_valid():
        return _bad_request(request, form.errors)
    mall_id = form.cleaned_data["mall"] or access.default_results_mall(request.user)
    scope = access.access_results(
        request.user,
        mall_id=mall_id,
        tenant_id=form.cleaned_data["tenant"],
        service_id=form.cleaned_data["service"],
    )
    region = scope.mall.region if scope.mall is not None else scope.region
    today = clock.local_now(region.timezone if region else settings.TIME_ZONE).date()
    return form, scope, form.period(today)


def _queries(form: ReportForm, scope: Scope, period: Period) -> tuple[str, str]:
    """(the page's full query string, its period-and-weights part for other scopes' links)."""
    base = form.period_params(period)
    if form.weights_option != ikm.EXACT:
        base["weights"] = form.weights_option
    where = {}
    if scope.mall is not None:
        where["mall"] = str(scope.mall.pk)
    if scope.tenant is not None:
        where["tenant"] = str(scope.tenant.pk)
    if scope.service is not None:
        where["service"] = str(scope.service.pk)
    return urlencode({**where, **base}), urlencode(base)


def _may_keep_plan(user: object, scope: Scope) -> bool:
    if scope.mall is None:
        return False
    try:
        access.access_entry(user, scope.mall.pk)
    except PermissionDenied:
        return False
    return True


def _context(
    request: HttpRequest,
    form: ReportForm,
    scope: Scope,
    period: Period,
    plan_form: FollowUpForm | None = None,
) -> dict[str, Any]:
    query, base_query = _queries(form, scope, period)
    report = reports.build_report(scope, period, weights=form.weights_option, base_query=base_query)
    may_keep_plan = _may_keep_plan(request.user, scope)
    if may_keep_plan and plan_form is None:
        plan_form = FollowUpForm(codes=report.codes, initial={"deadline": period.end})
    elif plan_form is not None:
        plan_form.fields["element_code"].widget.choices = report.codes  # type: ignore[attr-defined]
    profile = staff_profile(request.user)
    audit_query = None
    try:  # the raw rows behind this page, for those who may audit them (never an officer)
        access.access_raw_export(request.user, mall_id=scope.mall.pk if scope.mall else None)
    except PermissionDenied:
        pass
    else:
        if scope.tenant is None:
            where = {"mall": str(scope.mall.pk)} if scope.mall is not None else {}
            dates = {"from": period.start.isoformat(), "to": period.end.isoformat()}
            audit_query = urlencode({**where, **dates})
    return {
        "audit_query": audit_query,
        "report": report,
        "chart": report.chart(),
        "form": form,
        "period": period,
        "query": query,
        "params": dict(form.period_params(period)),
        "malls": list(malls_visible_to(request.user)),
        "regency_choice": bool(profile and profile.sees_whole_region),
        "may_keep_plan": may_keep_plan,
        "plan_form": plan_form,
        "statuses": FollowUpAction.Status.choices,
        "weight_options": ikm.WEIGHT_CHOICES,
        "kinds": [
            ("quarter", _("Triwulan")),
            ("month", _("Bulan")),
            ("semester", _("Semester")),
            ("year", _("Tahun")),
            ("range", _("Rentang tanggal")),
        ],
    }


@login_required
@require_safe
def results(request: HttpRequest) -> HttpResponse:
    """Staff: the index of a scope and period, how it was reached, and the follow-up plan."""
    parsed = _parse(request, request.GET)
    if isinstance(parsed, HttpResponse):
        return parsed
    return render(request, "surveys/results.html", _context(request, *parsed))


def _file_name(form: ReportForm, scope: Scope, period: Period) -> str:
    where = scope.mall.slug if scope.mall else (scope.region.slug if scope.region else "kabupaten")
    if scope.tenant is not None:
        where += f"-{scope.tenant.slug}"
    if scope.service is not None:
        where += f"-layanan-{scope.service.pk}"
    name = f"ikm-{where}-{period.start:%Y%m%d}-{period.end:%Y%m%d}"
    if form.weights_option != ikm.EXACT:
        name += f"-bobot-{form.weights_option}"
    return name


@login_required
@require_safe
def results_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """Staff: the same report as the PDF a unit files, or as an XLSX workbook. The PDF took
    2–3 s to write (WeasyPrint, docs/adr/0020): the background worker writes it, and the
    request sends the person to its job's page, which offers the file when it is ready."""
    parsed = _parse(request, request.GET)
    if isinstance(parsed, HttpResponse):
        return parsed
    form, scope, period = parsed
    name = _file_name(form, scope, period)
    if fmt == "pdf":
        job = jobs.enqueue_report_pdf(
            query=request.GET.urlencode(),
            base_url=request.build_absolute_uri("/"),
            file_name=f"{name}.pdf",
            scope=scope,
            acting_user=request.user,
        )
        return redirect("malls:job", pk=job.pk)
    context = _context(request, form, scope, period)
    response = HttpResponse(report_files.report_xlsx(context["report"]), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def report_pdf_as(user: Any, query: str, base_url: str) -> bytes:
    """The report PDF of `results_export` for `user` and its `query`, as the worker writes it
    (surveys/jobs.py): the same parsing, scope check and context as the page."""
    request = HttpRequest()
    request.method = "GET"
    request.GET = QueryDict(query)
    request.user = user
    parts = urlsplit(base_url)
    request.META = {
        "SERVER_NAME": parts.hostname or "localhost",
        "SERVER_PORT": str(parts.port or (443 if parts.scheme == "https" else 80)),
        "HTTP_HOST": parts.netloc,
    }
    parsed = _parse(request, request.GET)
    if isinstance(parsed, HttpResponse):  # the query was checked when the job was queued
        raise ValueError(f"report parameters refused: {query}")
    form, scope, _period = parsed
    region = scope.mall.region if scope.mall is not None else scope.region
    today = clock.local_now(region.timezone if region else settings.TIME_ZONE).date()
    context = _context(request, *parsed)
    context["letterhead"] = report_files.letterhead(scope, form.cleaned_data, today)
    return report_files.report_pdf(request, context, base_url=base_url)


@login_required
@require_POST
def follow_up_add(request: HttpRequest) -> HttpResponse:
    """A supervisor or regency admin adds a line to the follow-up plan of the period shown."""
    parsed = _parse(request, request.POST)
    if isinstance(parsed, HttpResponse):
        return parsed
    form, scope, period = parsed
    if scope.mall is None:
        return _bad_request(
            request, {"mall": [_("Rencana tindak lanjut disusun per mal: pilih satu mal.")]}
        )
    mall = access.access_entry(request.user, scope.mall.pk)
    plan_form = FollowUpForm(request.POST, codes=[])
    if plan_form.is_valid():
        data = plan_form.cleaned_data
        try:
            actions.plan_follow_up(
                mall=mall,
                tenant=scope.tenant,
                period_start=period.start,
                period_end=period.end,
                element_code=data["element_code"],
                action=data["action"],
                owner=data["owner"],
                deadline=data["deadline"],
                acting_user=request.user,
            )
        except SurveyError as refused:
            where = refused.field if refused.field in plan_form.fields else None
            plan_form.add_error(where, str(refused))
        else:
            messages.success(request, _("Rencana tindak lanjut ditambahkan."))
            query, _base = _queries(form, scope, period)
            return redirect(f"{reverse('surveys:results')}?{query}#rencana")
    context = _context(request, form, scope, period, plan_form=plan_form)
    return render(request, "surveys/results.html", context, status=400)


@login_required
@require_POST
def follow_up_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The keeper of a mall's plan moves one line on (planned, in progress, done)."""
    line = access.access_follow_up(request.user, pk)
    form = FollowUpStatusForm(request.POST)
    if not form.is_valid():
        return _bad_request(request, form.errors)
    actions.set_follow_up_status(
        line=line, status=form.cleaned_data["status"], acting_user=request.user
    )
    messages.success(request, _("Status rencana tindak lanjut diubah."))
    back = form.cleaned_data["next"]
    if not back or not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = f"{reverse('surveys:results')}?mall={line.mall_id}"
    return redirect(back)


@require_safe
@never_cache  # a response stored a moment ago shows at once (issue 4's browser test)
def public(request: HttpRequest, slug: str) -> HttpResponse:
    """Public: a mall's index, grade and respondents per quarter, the trend, the NRR per
    element and the follow-up plan. Counts only: no suggestion text, nothing personal."""
    mall = access_public_mall(slug=slug)
    overview = reports.public_overview(mall, mall.local_now().date())
    synthetic = SurveyImport.objects.filter(mall=mall, file_name=DEMO_SOURCE).exists()
    return render(
        request,
        "surveys/public.html",
        {"mall": mall, "overview": overview, "chart": overview.chart(), "synthetic": synthetic},
    )
