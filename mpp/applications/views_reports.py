"""The applications report of a mall (reports.py) for a day or a month, as a page and as an
XLSX workbook: /pengawas/<mall>/permohonan/laporan/?bulan=YYYY-MM or ?tanggal=YYYY-MM-DD."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from mpp.applications.exports import application_report_xlsx
from mpp.applications.report_access import access_application_report
from mpp.applications.reports import Period, application_report

_MONTH = re.compile(r"(?P<year>\d{4})-(?P<month>\d{2})")


class ReportPeriodForm(forms.Form):
    """A month (bulan=YYYY-MM) or a day (tanggal=YYYY-MM-DD), not both, not to come; this
    month when neither is given."""

    bulan = forms.CharField(label=gettext_lazy("Bulan"), required=False, max_length=7)
    tanggal = forms.DateField(
        label=gettext_lazy("Tanggal"),
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": gettext_lazy("Tanggal tidak sah; gunakan format TTTT-BB-HH.")},
    )
    format = forms.ChoiceField(
        label=gettext_lazy("Format"), choices=[("", "HTML"), ("xlsx", "XLSX")], required=False
    )

    def __init__(self, *args: object, today: dt.date, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.today = today

    def clean_bulan(self) -> Period | None:
        text = self.cleaned_data.get("bulan") or ""
        if not text:
            return None
        found = _MONTH.fullmatch(text)
        if found is None or not 1 <= int(found["month"]) <= 12 or int(found["year"]) < 2000:
            raise forms.ValidationError(_("Bulan tidak sah; gunakan format TTTT-BB."))
        period = Period.month(int(found["year"]), int(found["month"]))
        if period.first > self.today:
            raise forms.ValidationError(_("Bulan itu belum tiba."))
        return period

    def clean_tanggal(self) -> Period | None:
        day: dt.date | None = self.cleaned_data.get("tanggal")
        if day is None:
            return None
        if day > self.today:
            raise forms.ValidationError(
                _("Tanggal belum terjadi; laporan hanya untuk hari ini atau sebelumnya.")
            )
        return Period.day(day)

    def period(self) -> Period:
        month, day = self.cleaned_data.get("bulan"), self.cleaned_data.get("tanggal")
        return day or month or Period.month(self.today.year, self.today.month)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("bulan") and data.get("tanggal"):
            raise forms.ValidationError(_("Pilih satu: bulan atau tanggal, tidak keduanya."))
        return data


@login_required
@require_safe
def application_report_page(request: HttpRequest, slug: str) -> HttpResponse:
    """Received, completed on time or late, open and overdue per tenant and service of a day
    or a month against the published standard; ?format=xlsx downloads the same as a workbook."""
    mall, tenant = access_application_report(request.user, slug)
    today = timezone.localdate(timezone=mall.zone)
    form = ReportPeriodForm(request.GET, today=today)
    if not form.is_valid():
        return render(request, "400.html", {"form_errors": form.errors}, status=400)
    report = application_report(mall=mall, period=form.period(), tenant=tenant)
    if form.cleaned_data["format"] == "xlsx":
        response = HttpResponse(
            application_report_xlsx(report),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        name = f"laporan-permohonan-{mall.slug}-{report.period.slug}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return render(request, "applications/report.html", {"report": report, "mall": mall})
