"""Forms of the survey's staff pages: the report's period and scope, a follow-up plan line."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mpp.surveys import ikm
from mpp.surveys.models import FollowUpAction
from mpp.surveys.queries import Period, period_of

KINDS = ("month", "quarter", "semester", "year", "range")
# The highest `n` of each kind of period (month 12, quarter 4, semester 2).
N_MAX = {"month": 12, "quarter": 4, "semester": 2}


def _n_of(kind: str, day: dt.date) -> int:
    """Which month, quarter or semester of its year `day` falls in (1 for a year)."""
    if kind == "month":
        return day.month
    if kind == "quarter":
        return (day.month - 1) // 3 + 1
    if kind == "semester":
        return 1 if day.month <= 6 else 2
    return 1


def current_period(kind: str, today: dt.date) -> Period:
    """The month, quarter, semester or year that holds `today`."""
    return labelled(period_of(kind, today.year, _n_of(kind, today)))


def labelled(period: Period) -> Period:
    """The period with an Indonesian label ("November 2026" rather than "2026-11")."""
    if period.start.day == 1 and period.end == _month_end(period.start):
        return Period(period.start, period.end, date_format(period.start, "F Y"))
    return period


def _month_end(day: dt.date) -> dt.date:
    following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


class ReportForm(forms.Form):
    """?mall=&tenant=&service=&kind=month|quarter|semester|year|range&year=&n=&from=&to=&weights=

    Everything is optional: without a period the report shows the current quarter; a kind
    without n is the one holding today; a year alone is that whole year; `from` and `to`
    (YYYY-MM-DD, inclusive) alone or with kind=range make a range."""

    mall = forms.IntegerField(
        required=False, min_value=1, error_messages={"invalid": gettext_lazy("Mal tidak dikenal.")}
    )
    tenant = forms.IntegerField(
        required=False,
        min_value=1,
        error_messages={"invalid": gettext_lazy("Instansi tidak dikenal.")},
    )
    service = forms.IntegerField(
        required=False,
        min_value=1,
        error_messages={"invalid": gettext_lazy("Layanan tidak dikenal.")},
    )
    kind = forms.ChoiceField(
        required=False,
        choices=[(k, k) for k in KINDS],
        error_messages={
            "invalid_choice": gettext_lazy(
                "Jenis periode harus month, quarter, semester, year atau range."
            )
        },
    )
    year = forms.IntegerField(
        required=False,
        min_value=2000,
        max_value=2100,
        error_messages={
            "invalid": gettext_lazy("Tahun harus angka empat digit."),
            "min_value": gettext_lazy("Tahun paling awal 2000."),
            "max_value": gettext_lazy("Tahun paling akhir 2100."),
        },
    )
    n = forms.IntegerField(
        required=False, error_messages={"invalid": gettext_lazy("Nomor periode harus angka.")}
    )
    weights = forms.ChoiceField(
        required=False,
        choices=[(w, w) for w in ikm.WEIGHT_CHOICES],
        error_messages={
            "invalid_choice": gettext_lazy("Bobot harus exact, 0.111 atau 0.11."),
        },
    )

    # Who signs the PDF a unit files (optional: left blank, the lines are there to write on).
    ttd_nama = forms.CharField(required=False, max_length=100, label=gettext_lazy("Nama"))
    ttd_nip = forms.RegexField(
        required=False,
        regex=r"^[0-9 ]{18,21}$",
        label=gettext_lazy("NIP"),
        error_messages={"invalid": gettext_lazy("NIP terdiri atas 18 angka.")},
    )
    ttd_jabatan = forms.CharField(required=False, max_length=150, label=gettext_lazy("Jabatan"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # "from" is a Python keyword: these two fields cannot be class attributes.
        date_errors = {"invalid": gettext_lazy("Tanggal harus berbentuk TTTT-BB-HH.")}
        self.fields["from"] = forms.DateField(required=False, error_messages=date_errors)
        self.fields["to"] = forms.DateField(required=False, error_messages=date_errors)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, n = data.get("kind") or "", data.get("n")
        start, end = data.get("from"), data.get("to")
        if (start or end) and not kind:
            kind = data["kind"] = "range"
        elif data.get("year") is not None and not kind:
            kind = data["kind"] = "year"  # ?year=2025 alone: the whole year
        if kind == "range":
            if start is None or end is None:
                raise ValidationError(_("Rentang tanggal memerlukan from dan to (TTTT-BB-HH)."))
            if end < start:
                raise ValidationError(_("Tanggal from harus sebelum atau sama dengan to."))
        # Parameters of another kind of period are ignored, not refused: the page's plain
        # HTML form (no JavaScript) sends them all.
        if n is not None and kind in N_MAX and not 1 <= n <= N_MAX[kind]:
            self.add_error(
                "n", _("Untuk %(k)s, n harus 1 sampai %(m)d.") % {"k": kind, "m": N_MAX[kind]}
            )
        return data

    def period(self, today: dt.date) -> Period:
        """The period asked for; parts left out are those of `today` (the current quarter when
        nothing is given)."""
        data = self.cleaned_data
        kind = data.get("kind") or "quarter"
        if kind == "range":
            start, end = data["from"], data["to"]
            label = _("%(a)s s.d. %(b)s") % {
                "a": date_format(start, "j F Y"),
                "b": date_format(end, "j F Y"),
            }
            return Period(start, end, label)
        year = data.get("year") or today.year
        n = data.get("n")
        return labelled(period_of(kind, year, _n_of(kind, today) if n is None else n))

    def period_params(self, period: Period) -> dict[str, str]:
        """The URL parameters that name `period` again (links, exports, the plan's forms)."""
        kind = self.cleaned_data.get("kind") or "quarter"
        if kind == "range":
            return {"from": period.start.isoformat(), "to": period.end.isoformat()}
        params = {"kind": kind, "year": str(period.start.year)}
        if kind != "year":
            params["n"] = str(_n_of(kind, period.start))
        return params

    @property
    def weights_option(self) -> str:
        return str(self.cleaned_data.get("weights") or ikm.EXACT)


class FollowUpForm(forms.Form):
    """A new line of the follow-up plan; the action checks the element and the deadline."""

    element_code = forms.CharField(label=gettext_lazy("Unsur"), max_length=8)
    action = forms.CharField(
        label=gettext_lazy("Tindak lanjut"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": gettext_lazy("Tulis tindak lanjutnya.")},
    )
    owner = forms.CharField(
        label=gettext_lazy("Penanggung jawab"),
        max_length=120,
        help_text=gettext_lazy("Jabatan atau unit kerja; tampil di halaman publik."),
        error_messages={"required": gettext_lazy("Tulis penanggung jawabnya.")},
    )
    deadline = forms.DateField(
        label=gettext_lazy("Batas waktu"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "invalid": gettext_lazy("Tanggal harus berbentuk TTTT-BB-HH."),
            "required": gettext_lazy("Isi batas waktu."),
        },
    )

    def __init__(self, *args: Any, codes: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["element_code"].widget = forms.Select(choices=codes)


class FollowUpStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        choices=FollowUpAction.Status.choices,
        error_messages={"invalid_choice": gettext_lazy("Status tidak dikenal.")},
    )
    next = forms.CharField(required=False, max_length=1000)
