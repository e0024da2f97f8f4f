"""Investment pages: the public dashboard and its exports; for DPMPTSP staff the company list,
the import of LKPM files and the classification of sectors."""

from __future__ import annotations

from typing import Any, NamedTuple

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from mpp.core import clock
from mpp.investment import actions, queries
from mpp.investment.access import access_investment_editor, access_investment_reader, public_region
from mpp.investment.charts import (
    GREEN,
    GREY,
    cumulative_lines,
    hbars,
    nature_stack,
    quarter_bars,
    split_bar,
)
from mpp.investment.exports import dashboard_xlsx, template_csv, template_xlsx
from mpp.investment.forms import ClassificationForm, FinalPeriodForm, ImportForm, PeriodForm
from mpp.investment.jobs import IMPORT, dashboard_pdf_path, enqueue_dashboard_pdf, enqueue_import
from mpp.investment.models import Dataset, DownstreamKbli, Nature, Sector, Target
from mpp.malls.jobs import access_job, job_state
from mpp.malls.models import Region

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class Period(NamedTuple):
    year: int
    through: int
    years: list[int]
    asked: int | None  # the quarter asked for, when no report reaches it yet (through is less)


def _period(request: HttpRequest, region: Region) -> Period | HttpResponse | None:
    """(year, through) from ?tahun=&sd=, the latest period marked final by default (a year
    alone: its final quarter, else its latest); a 400 page for bad
    parameters; None when the region has no data at all. A quarter no report reaches yet is
    shown through the last one reported, and said so: counting it as Rp0 would halve a year's
    figure against the year before."""
    form = PeriodForm(request.GET)
    if not form.is_valid():
        return render(request, "400.html", {"form_errors": form.errors}, status=400)
    years = queries.years_with_data(region)
    if not years:
        return None
    if not form.cleaned_data["tahun"] and not form.cleaned_data["sd"]:
        # Never a provisional quarter by default: 3 early rows of a new quarter made the page
        # say "s.d. triwulan 4, -32,9 %" (issue 18).
        year, through = queries.default_period(region, years)
        return Period(year, through, years, None)
    year = form.cleaned_data["tahun"] or years[-1]
    latest = queries.latest_quarter(region, year)
    if latest is None:
        raise Http404(_("Belum ada data realisasi investasi untuk tahun %(y)d.") % {"y": year})
    final = queries.final_through(region, year)
    asked = form.cleaned_data["sd"] or (min(final, latest) if final else latest)
    return Period(year, min(asked, latest), years, asked if asked > latest else None)


def dashboard_context(
    region: Region, year: int, through: int, years: list[int] | None = None
) -> dict[str, Any]:
    """The dashboard's figures and charts, shared by the page, the staff page and the PDF."""
    board = queries.dashboard(region, year, through, years)
    targets = [
        (str(t.get_level_display()), t.amount_idr)
        for t in sorted(board.targets.values(), key=lambda t: t.level)
    ]
    nature_rows = [
        (
            y.year,
            {n: y.share(n) for n in y.by_nature},
            y.downstream_share,
            "" if y.through == 4 else _("s.d. TW %(q)d") % {"q": y.through},
        )
        for y in board.trend
    ]
    top_sectors = board.by_sector[:8]
    return {
        "board": board,
        "year": year,
        "through": through,
        "quarters": range(1, 5),
        "quarter_rows": [
            {
                "q": q + 1,
                "current": board.quarters[q] if q < through else None,
                "previous": board.previous_quarters[q],
                "cumulative": board.cumulative[q] if q < through else None,
            }
            for q in range(4)
        ],
        "trend_rows": [
            {
                "year": y.year,
                "through": y.through,
                "extractive": y.share(Nature.EXTRACTIVE),
                "resource": y.share(Nature.RESOURCE_BASED),
                "other": y.share(Nature.NON_EXTRACTIVE),
                "downstream": y.downstream_share,
            }
            for y in board.trend
        ],
        "targets": sorted(board.targets.values(), key=lambda t: t.level),
        "chart_quarters": quarter_bars(
            board.quarters,
            board.previous_quarters,
            year,
            label=_("Realisasi per triwulan %(y)d dibanding %(p)d") % {"y": year, "p": year - 1},
        ),
        "chart_cumulative": cumulative_lines(
            board.cumulative,
            board.previous_cumulative,
            targets,
            label=_("Realisasi kumulatif %(y)d terhadap %(p)d dan target")
            % {"y": year, "p": year - 1},
        ),
        "chart_nature": nature_stack(
            nature_rows,
            queries.POLICY_SHIFT_YEAR,
            label=_("Porsi ekstraktif dan non-ekstraktif per tahun"),
        ),
        "chart_sectors": hbars(
            [(s["name"], s["total_idr"]) for s in top_sectors], label=_("Sektor terbesar")
        ),
        "chart_districts": hbars(
            [(d["name"], d["total_idr"]) for d in board.by_district if d["total_idr"]],
            label=_("Realisasi per kecamatan"),
        ),
        "chart_status": split_bar(
            [("PMA", board.pma, GREEN), ("PMDN", board.pmdn, "#5b8c73")],
            label=_("PMA dan PMDN"),
        ),
        "chart_workers": split_bar(
            [
                (_("TKI laki-laki"), board.workers_male, GREEN),
                (_("TKI perempuan"), board.workers_female, "#5b8c73"),
                (_("TKA"), board.workers_foreign, GREY),
            ],
            label=_("Tenaga kerja yang diserap"),
        ),
    }


@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    """Public: realization of the year through a quarter, against last year and the target."""
    region = public_region()
    period = _period(request, region)
    if isinstance(period, HttpResponse):
        return period
    if period is None:
        return render(request, "investment/empty.html", {"region": region})
    context = dashboard_context(region, *period[:3])
    return render(
        request,
        "investment/dashboard.html",
        {"region": region, "unreported": period.asked, **context},
    )


@require_safe
def export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    """The public dashboard as XLSX or PDF (no company names)."""
    region = public_region()
    period = _period(request, region)
    if isinstance(period, HttpResponse):
        return period
    if period is None:
        raise Http404(_("Belum ada data realisasi investasi."))
    context = dashboard_context(region, *period[:3])
    year, through = period.year, period.through
    name = f"realisasi-investasi-{region.slug}-{year}-tw{through}"
    if fmt == "xlsx":
        response = HttpResponse(dashboard_xlsx(region, context), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    # The PDF took 1-2 s in WeasyPrint (docs/adr/0020): the background worker writes it once per
    # state of the data, and every later download is the stored file.
    path = dashboard_pdf_path(region, year, through)
    if default_storage.exists(path):
        return FileResponse(
            default_storage.open(path, "rb"),
            as_attachment=True,
            filename=f"{name}.pdf",
            content_type="application/pdf",
        )
    enqueue_dashboard_pdf(
        region=region, year=year, through=through, base_url=request.build_absolute_uri("/")
    )
    return render(request, "investment/pdf_wait.html", {"region": region}, status=202)


@require_safe
def template(request: HttpRequest, fmt: str) -> HttpResponse:
    """The canonical import template, with three example rows."""
    if fmt == "xlsx":
        response = HttpResponse(template_xlsx(), content_type=XLSX)
    else:
        response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="templat-realisasi-investasi.{fmt}"'
    return response


@login_required
@require_safe
def internal(request: HttpRequest) -> HttpResponse:
    """Staff: the dashboard plus companies by realization and the datasets imported."""
    profile = access_investment_reader(request.user)
    region = profile.region
    period = _period(request, region)
    if isinstance(period, HttpResponse):
        return period
    context: dict[str, Any] = {"region": region, "profile": profile}
    if period is not None:
        context.update(dashboard_context(region, *period[:3]), unreported=period.asked)
        search = (request.GET.get("q") or "").strip()[:100]
        companies = queries.companies(region, period[0], period[1], search=search)
        context["companies"] = list(companies[:100])
        context["search"] = search
    context["datasets"] = Dataset.objects.filter(region=region).select_related("imported_by")[:20]
    return render(request, "investment/internal.html", context)


@login_required
@require_safe
def internal_export(request: HttpRequest) -> HttpResponse:
    """Staff: the dashboard's workbook with every company's realization added."""
    profile = access_investment_reader(request.user)
    region = profile.region
    period = _period(request, region)
    if isinstance(period, HttpResponse):
        return period
    if period is None:
        raise Http404(_("Belum ada data realisasi investasi."))
    year, through, years, _asked = period
    companies = list(queries.companies(region, year, through))
    data = dashboard_xlsx(region, dashboard_context(region, year, through, years), companies)
    response = HttpResponse(data, content_type=XLSX)
    name = f"realisasi-investasi-{region.slug}-{year}-tw{through}-perusahaan.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def import_file(request: HttpRequest) -> HttpResponse:
    """DPMPTSP uploads an LKPM file: all rows in, or none and every bad row named. The file is
    stored and imported by the background worker (investment/jobs.py); the page then follows
    the job (?tugas=<id>) with a progress bar, and shows its outcome."""
    profile = access_investment_editor(request.user)
    region = profile.region
    form = ImportForm(
        request.POST or None,
        request.FILES or None,
        today=clock.local_now(region.timezone).date(),
    )
    status, job = 200, None
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["berkas"]
            job = enqueue_import(
                region=region,
                upload=upload,
                source=form.cleaned_data["sumber"],
                cut_off=form.cleaned_data["data_per"],
                may_replace=form.cleaned_data["ganti"],
                acting_user=request.user,
            )
            return redirect(f"{reverse('investment:import')}?tugas={job.pk}")
        status = 400
    elif (asked := request.GET.get("tugas", "")).isdigit() and len(asked) <= 18:
        job = access_job(request.user, int(asked))
        if job.kind != IMPORT:
            raise Http404(_("Tugas tidak ditemukan."))
    datasets = Dataset.objects.filter(region=region).select_related("imported_by")[:20]
    return render(
        request,
        "investment/import.html",
        {
            "form": form,
            "periods": queries.period_states(region),
            "job": job,
            "state": job_state(job) if job else None,
            "errors": (job.result.get("errors") if job else None),
            "datasets": datasets,
        },
        status=status,
    )


@login_required
@require_http_methods(["POST"])
def final_period(request: HttpRequest) -> HttpResponse:
    """DPMPTSP marks how far a year's figures are complete; the public page opens on the latest
    final period and labels anything later provisional."""
    profile = access_investment_editor(request.user)
    form = FinalPeriodForm(request.POST)
    if not form.is_valid():
        return render(request, "400.html", {"form_errors": form.errors}, status=400)
    year, through = form.cleaned_data["tahun"], form.cleaned_data["sd"]
    actions.set_final_period(
        region=profile.region, year=year, through=through, acting_user=request.user
    )
    if through:
        messages.success(
            request, _("Data %(y)d final s.d. triwulan %(q)d.") % {"y": year, "q": through}
        )
    else:
        messages.success(request, _("Data %(y)d kembali sementara.") % {"y": year})
    return redirect("investment:import")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def classification(request: HttpRequest) -> HttpResponse:
    """DPMPTSP sets which sectors are extractive and which KBLIs count as downstreaming."""
    profile = access_investment_editor(request.user)
    region = profile.region
    sectors = list(Sector.objects.all())
    current = queries.classification(region)
    downstream = DownstreamKbli.objects.filter(region=region)
    initial = {f"sektor_{n}": nature for n, nature in current.items()}
    initial["hilirisasi"] = "\n".join(f"{d.prefix} {d.commodity}" for d in downstream)
    form = ClassificationForm(request.POST or None, initial=initial, sectors=sectors)
    if request.method == "POST":
        if form.is_valid():
            actions.set_sector_classification(
                region=region, natures=form.natures(), acting_user=request.user
            )
            actions.set_downstream_kbli(
                region=region, entries=form.cleaned_data["hilirisasi"], acting_user=request.user
            )
            messages.success(request, _("Klasifikasi disimpan; angka dasbor langsung mengikuti."))
            return redirect("investment:classification")
        return render(request, "investment/classification.html", {"form": form}, status=400)
    return render(
        request,
        "investment/classification.html",
        {"form": form, "targets": Target.objects.filter(region=region)},
    )
