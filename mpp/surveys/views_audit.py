"""Staff: the audit export of raw anonymised responses (responses.csv and manifest.json, zipped)
for a scope and period, so an independent auditor can recompute the published index."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from mpp.surveys import audit, jobs
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
    """The audit ZIP of the asked scope and period: written by the background worker (a
    regency's year took 24 s), so the request checks who asks for what and sends them to the
    job's page, which offers the file when it is ready (surveys/jobs.py)."""
    form = AuditExportForm(request.GET)
    if not form.is_valid():
        return render(request, "400.html", {"form_errors": form.errors}, status=400)
    scope = access_raw_export(request.user, mall_id=form.cleaned_data["mall"])
    job = jobs.enqueue_audit_export(
        scope=scope, period=form.cleaned_data["period"], acting_user=request.user
    )
    return redirect("malls:job", pk=job.pk)
