"""Forms of the investment pages: the dashboard's period, an import, the classification."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from mpp.core.sheets import FileRefused, check_size
from mpp.investment.models import Nature, Sector


class PeriodForm(forms.Form):
    """?tahun=2025&sd=3 (sd: through quarter; "Q3" is accepted too)."""

    tahun = forms.IntegerField(required=False, min_value=2000, max_value=2100)
    sd = forms.CharField(required=False, max_length=2)
    q = forms.CharField(required=False, max_length=100)

    def clean_sd(self) -> int | None:
        value = (self.cleaned_data.get("sd") or "").upper().removeprefix("Q")
        if not value:
            return None
        if value not in {"1", "2", "3", "4"}:
            raise ValidationError(_("Triwulan harus 1 sampai 4."))
        return int(value)


class FinalPeriodForm(forms.Form):
    """DPMPTSP marks a year's figures final through a quarter (0: none, all provisional)."""

    tahun = forms.IntegerField(label=_("Tahun"), min_value=2000, max_value=2100)
    sd = forms.TypedChoiceField(
        label=_("Final sampai dengan"),
        coerce=int,
        choices=[
            (0, _("Belum ada yang final")),
            (1, _("Triwulan 1")),
            (2, _("Triwulan 2")),
            (3, _("Triwulan 3")),
            (4, _("Triwulan 4 (setahun penuh)")),
        ],
    )


class ImportForm(forms.Form):
    berkas = forms.FileField(label=_("Berkas LKPM (CSV atau XLSX)"))
    sumber = forms.CharField(
        label=_("Sumber data"),
        max_length=200,
        initial="LKPM OSS (ekspor DPMPTSP)",
        help_text=_("Ditampilkan bersama setiap angka."),
    )
    ganti = forms.BooleanField(
        label=_("Ganti data periode yang sudah ada"),
        required=False,
        help_text=_(
            "Periode (tahun dan triwulan atau semester) yang ada di berkas menggantikan semua "
            "baris periode itu yang sudah diimpor."
        ),
    )
    data_per = forms.DateField(
        label=_("Data per tanggal"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean_berkas(self) -> Any:
        upload = self.cleaned_data["berkas"]
        try:  # refused before it is read into memory
            check_size(upload.size, settings.MPP_INVESTMENT_IMPORT_MAX_BYTES)
        except FileRefused as refused:
            raise ValidationError(str(refused), code=refused.code) from None
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise ValidationError(_("Format berkas harus CSV atau XLSX."))
        return upload

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today  # the regency's date, not the server's

    def clean_data_per(self) -> Any:
        day = self.cleaned_data["data_per"]
        if day > self.today:
            raise ValidationError(_("Tanggal data tidak boleh di masa depan."))
        return day


class ClassificationForm(forms.Form):
    """One choice per sector, and the downstreaming KBLI list (one "prefix label" per line)."""

    hilirisasi = forms.CharField(
        label=_("KBLI hilirisasi"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Satu per baris: awalan KBLI (2–5 angka), spasi, komoditas."),
    )

    def __init__(self, *args: Any, sectors: list[Sector], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sectors = sectors
        for sector in sectors:
            self.fields[f"sektor_{sector.number}"] = forms.ChoiceField(
                label=str(sector), choices=Nature.choices
            )

    def clean_hilirisasi(self) -> list[tuple[str, str]]:
        entries: list[tuple[str, str]] = []
        for n, line in enumerate(self.cleaned_data["hilirisasi"].splitlines(), start=1):
            if not line.strip():
                continue
            match = re.fullmatch(r"\s*(\d{2,5})\s+(.{1,120}?)\s*", line)
            if match is None:
                raise ValidationError(
                    _("Baris %(n)d: tulis awalan KBLI 2–5 angka, spasi, lalu komoditas.") % {"n": n}
                )
            if match.group(1) in {p for p, _ in entries}:
                raise ValidationError(
                    _("Baris %(n)d: awalan %(p)s sudah ada.") % {"n": n, "p": match.group(1)}
                )
            entries.append((match.group(1), match.group(2)))
        return entries

    def natures(self) -> dict[int, str]:
        return {s.number: self.cleaned_data[f"sektor_{s.number}"] for s in self.sectors}
