"""Forms of the KUA's pages, the ceremony day and Disdukcapil's follow-up; the rules themselves
live in programs.kua, programs.ceremony and programs.civil (a form only parses)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mpp.programs.ceremony import Arrival
from mpp.programs.models import AkadSession, CivilTask, FeeBearer, Programme, TariffBasis

DATE_FORMATS = ["%Y-%m-%d"]


class CheckDocumentForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Keputusan"),
        choices=[("accept", _("Terima")), ("reject", _("Tolak"))],
    )
    note = forms.CharField(label=_("Catatan untuk pasangan"), max_length=300, required=False)

    @property
    def accepted(self) -> bool:
        return bool(self.cleaned_data["decision"] == "accept")


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan dikembalikan (dibaca pasangan)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Tulis alasan pengembalian.")},
    )


class CancelForm(forms.Form):
    cancel_reason = forms.CharField(
        label=_("Alasan pembatalan (dibaca pasangan)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Tulis alasan pembatalan.")},
    )


class SessionChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(
            _("%(s)s — sisa %(n)d tempat") % {"s": obj, "n": obj.places_left}  # type: ignore[str-format]
        )


class ScheduleForm(forms.Form):
    session = SessionChoiceField(
        label=_("Sesi akad"),
        queryset=AkadSession.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": _("Pilih sesi akad program ini.")},
    )

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Offered: the sessions with places left. A full session posted anyway (another
        # officer took its last place meanwhile) is refused by the action, session_full.
        field: forms.ModelChoiceField = self.fields["session"]  # type: ignore[type-arg, assignment]
        field.queryset = programme.sessions.all()
        self.offered = [s for s in programme.sessions.all() if s.scheduled_count < s.capacity]
        field.choices = [(s.pk, field.label_from_instance(s)) for s in self.offered]


class FeeForm(forms.Form):
    tariff_basis = forms.ChoiceField(label=_("Dasar tarif"), choices=TariffBasis.choices)
    fee_bearer = forms.ChoiceField(label=_("Penanggung biaya"), choices=FeeBearer.choices)
    sponsor_name = forms.CharField(label=_("Nama sponsor"), max_length=120, required=False)
    receipt_number = forms.CharField(
        label=_("Nomor bukti setor bank"), max_length=60, required=False
    )
    paid_on = forms.DateField(
        label=_("Tanggal setor"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Tanggal tidak sah; gunakan format TTTT-BB-HH.")},
    )


class CheckInLookupForm(forms.Form):
    kode = forms.CharField(
        label=_("Kode pendaftaran atau hasil pindai QR"),
        max_length=500,
        error_messages={"required": _("Ketik kode pendaftaran atau pindai QR tanda terima.")},
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off"}),
    )


class CheckInForm(forms.Form):
    who = forms.ChoiceField(
        choices=[
            (Arrival.COUPLE, _("Pasangan")),
            (Arrival.WALI, _("Wali")),
            (Arrival.WITNESSES, _("Saksi")),
        ]
    )


class MarriageForm(forms.Form):
    marriage_book_number = forms.CharField(
        label=_("Nomor buku nikah"),
        max_length=60,
        error_messages={"required": _("Tulis nomor buku nikah.")},
    )


class CivilTaskForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (CivilTask.Status.IN_PROGRESS, CivilTask.Status.IN_PROGRESS.label),
            (CivilTask.Status.DONE, CivilTask.Status.DONE.label),
        ],
    )
    document_number = forms.CharField(
        label=_("Nomor dokumen terbit"), max_length=60, required=False
    )
