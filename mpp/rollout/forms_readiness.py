"""Forms of the readiness page: an item's progress, its owner and due date, the mall's status,
a trial day."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mpp.malls.models import Mall, Region
from mpp.rollout.gate import REASON_MAX_LENGTH
from mpp.rollout.models import Agency, Evidence, ReadinessItem

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ItemForm(forms.Form):
    """An owner's progress on one item. The file's size and type are checked by
    readiness.mark_item (before it is read), not here."""

    status = forms.ChoiceField(label=_("Status"), choices=ReadinessItem.Status.choices)
    note = forms.CharField(
        label=_("Catatan"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    detail = forms.CharField(
        label=_("Keterangan"),
        required=False,
        max_length=160,
        help_text=_(
            "Mis. jenis jaringan (fiber, radio, seluler, satelit) atau listrik 24 jam/cadangan."
        ),
    )
    evidence = forms.FileField(
        label=_("Berkas bukti (PDF, JPEG, atau PNG)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )
    decree_number = forms.CharField(label=_("Nomor keputusan"), required=False, max_length=120)
    decree_date = forms.DateField(label=_("Tanggal keputusan"), required=False, widget=DATE)

    def __init__(self, *args: Any, item: ReadinessItem, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"item-{item.pk}")
        kwargs.setdefault(
            "initial",
            {
                "status": item.status,
                "note": item.note,
                "detail": item.detail,
                "decree_number": item.decree_number,
                "decree_date": item.decree_date,
            },
        )
        super().__init__(*args, **kwargs)
        self.item = item
        if item.template.evidence != Evidence.DECREE:  # only a decree has a number and date
            del self.fields["decree_number"], self.fields["decree_date"]


class PlanForm(forms.Form):
    """DPMPTSP: who owns an item and by when."""

    owner = forms.ModelChoiceField(label=_("Pemilik"), queryset=Agency.objects.none())
    due_date = forms.DateField(label=_("Tenggat"), widget=DATE)

    def __init__(self, *args: Any, item: ReadinessItem, region: Region, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"plan-{item.pk}")
        kwargs.setdefault("initial", {"owner": item.owner_id, "due_date": item.due_date})
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Agency.objects.filter(region=region)  # type: ignore[attr-defined]
        self.item = item


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status baru"), choices=Mall.Status.choices)
    reason = forms.CharField(
        label=_("Alasan"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Wajib bila status dikembalikan (mis. dari beroperasi ke persiapan)."),
    )


class TrialForm(forms.Form):
    note = forms.CharField(label=_("Catatan uji coba"), required=False, max_length=200)
