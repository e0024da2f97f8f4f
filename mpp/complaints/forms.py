"""The complaint form (short: what, where, when; contact optional; anonymous allowed), the
complainant's follow-up on the complaint's page, and the staff's forms. Rules (masking, the
contact's form, the future date) are the actions'; the forms bound and type the input."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mpp.catalog.models import Tenant
from mpp.complaints.actions import MAX_REPLY, MAX_TEXT, MAX_WHERE
from mpp.complaints.models import Topic

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ComplaintForm(forms.Form):
    text = forms.CharField(
        label=_("Apa yang terjadi?"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": MAX_TEXT}),
        help_text=_("Ceritakan singkat. Jangan tulis NIK: nomor seperti NIK akan disamarkan."),
    )
    topic = forms.ChoiceField(label=_("Tentang"), choices=Topic.choices, initial=Topic.OTHER)
    where = forms.CharField(
        label=_("Di mana (mal, instansi, atau layanan)"), max_length=MAX_WHERE, required=False
    )
    happened_on = forms.DateField(label=_("Kapan (boleh dikosongkan)"), required=False, widget=DATE)
    contact = forms.CharField(
        label=_("Nomor HP atau e-mail untuk kabar tanggapan (boleh dikosongkan)"),
        max_length=254,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    anonymous = forms.BooleanField(label=_("Anonim: jangan simpan kontak saya"), required=False)
    lapor_number = forms.CharField(
        label=_("Nomor laporan SP4N-LAPOR! (jika Anda juga melapor di sana)"),
        max_length=40,
        required=False,
    )
    # A field people never see (hidden by the stylesheet and aria-hidden): a form-filling bot
    # fills it and its complaint is refused.
    website = forms.CharField(required=False, max_length=200, label=_("Situs web"))

    def clean_website(self) -> str:
        value: str = self.cleaned_data.get("website", "")
        if value:
            raise forms.ValidationError(_("Formulir tidak dapat dikirim."), code="honeypot")
        return value


class FollowUpForm(forms.Form):
    """The complainant's message on the complaint's page, or their SP4N-LAPOR! number."""

    text = forms.CharField(
        label=_("Tambahkan keterangan"),
        max_length=MAX_REPLY,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_REPLY}),
    )
    lapor_number = forms.CharField(
        label=_("Nomor laporan SP4N-LAPOR!"), max_length=40, required=False
    )
    website = forms.CharField(required=False, max_length=200, label=_("Situs web"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("website"):
            raise forms.ValidationError(_("Formulir tidak dapat dikirim."), code="honeypot")
        if not (data.get("text") or "").strip() and not (data.get("lapor_number") or "").strip():
            raise forms.ValidationError(
                _("Tulis keterangan atau nomor laporan SP4N-LAPOR!."), code="empty"
            )
        return data


class VerifyForm(forms.Form):
    tenant = forms.ModelChoiceField(label=_("Teruskan ke instansi"), queryset=Tenant.objects.none())

    def __init__(self, *args: Any, tenants: list[Tenant], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["tenant"]
        field.queryset = Tenant.objects.filter(pk__in=[t.pk for t in tenants])  # type: ignore[attr-defined]


class DismissForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan tidak diproses (dibaca pengadu)"),
        max_length=MAX_REPLY,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Tanggapan"), max_length=MAX_REPLY, widget=forms.Textarea(attrs={"rows": 4})
    )
    internal = forms.BooleanField(
        label=_("Catatan internal (tidak terlihat oleh pengadu)"), required=False
    )
