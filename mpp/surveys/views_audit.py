"""Staff: the audit export of raw anonymised responses (responses.csv and manifest.json, zipped)
for a scope and period, so an independent auditor can recompute the published index."""

from __future__ import annotations

import datetime as dt
import tempfile
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from mpp.core.models import audit as record_audit
from mpp.surveys import audit
from mpp.surveys.access import access_raw_export


class AuditExportForm(forms.Form):
    """?mall=ID&from=YYYY-MM-DD&to=YYYY-MM-DD (no mall: the whole regency)."""

    mall = forms.IntegerField(required=False, min_value=1, label=_("mal"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # "from" is a Python keyword: the dates are added by name.
        self.fields["from"] = forms.CharField(label=_("dari"), max_length=10)
        self.fields["to"] = forms.CharField(label=_("sampai"), max_length=10)

    def _day(self, name: str) -> str:
        raw = str(self.cleaned_data.get(name) or "").strip()
        try:
            dt.date.fromisoformat(raw)
        except ValueError:
            raise ValidationError(_("Tanggal harus berbentuk YYYY-MM-DD.")) from None
        return raw

    def clean_from(self) -> str:
        return self._day("from")

    def clean_to(self) -> str:
        return self._day("to")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "from" in data and "to" in data:
            try:
                data["period"] = audit.period_between(data["from"], data["to"])
            except ValueError as exc:
                self.add_error("to", str(exc))
        return data


@login_required
@require_safe
def export(request: HttpRequest) -> HttpResponseBase:
    """The audit ZIP of the asked scope and period, as an attachment."""
    form = AuditExportForm(request.GET)
    if not form.is_valid():
        return render(request, "400.html", {"form_errors": form.errors}, status=400)
    scope = access_raw_export(request.user, mall_id=form.cleaned_data["mall"])
    period = form.cleaned_data["period"]
    # A spooled file, not the response's memory: a regency's year is tens of megabytes.
    stream = tempfile.SpooledTemporaryFile(max_size=8 * 2**20)  # noqa: SIM115 - FileResponse closes it
    try:
        manifest = audit.write_export(stream, scope, period)
    except audit.ExportRaced as exc:  # responses kept arriving while the file was written
        stream.close()
        context = {"message": str(exc), "code": "export_raced", "mall": scope.mall}
        return render(request, "surveys/refused.html", context, status=503)
    # Who took raw rows out, of what and when: the audit trail of the audit export.
    where_obj = scope.mall if scope.mall is not None else scope.region
    if where_obj is not None:
        record_audit(
            actor=request.user,
            action="survey.raw_export",
            obj=where_obj,
            mall_id=scope.mall.pk if scope.mall is not None else None,
            data={
                "from": period.start.isoformat(),
                "to": period.end.isoformat(),
                "rows": manifest.get("rows"),
            },
        )
    stream.seek(0)
    where = scope.mall.slug if scope.mall is not None else getattr(scope.region, "slug", "wilayah")
    name = f"audit-skm-{where}-{period.start.isoformat()}-{period.end.isoformat()}.zip"
    return FileResponse(stream, as_attachment=True, filename=name, content_type="application/zip")
