"""Forms of the queue's pages; errors name the field in Indonesian."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from mpp.catalog.models import Tenant
from mpp.queueing.models import Ticket


class TakeNumberForm(forms.Form):
    mall = forms.SlugField(
        label=_("Mal"),
        max_length=50,
        error_messages={"required": _("Pilih mal."), "invalid": _("Kode mal tidak sah.")},
    )
    priority = forms.ChoiceField(
        label=_("Prioritas"), choices=Ticket.Priority.choices, required=False
    )
    idempotency_key = forms.CharField(required=False, max_length=80, widget=forms.HiddenInput)


class ReportDayForm(forms.Form):
    """The day of the supervisor's report; today when not given, never a day still to come."""

    tanggal = forms.DateField(
        label=_("Tanggal"),
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _("Tanggal tidak sah; gunakan format TTTT-BB-HH.")},
    )
    format = forms.ChoiceField(
        label=_("Format"), choices=[("", "HTML"), ("xlsx", "XLSX")], required=False
    )

    def __init__(self, *args: object, today: dt.date, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.today = today

    def clean_tanggal(self) -> dt.date:
        day: dt.date | None = self.cleaned_data.get("tanggal")
        if day is None:
            return self.today
        if day > self.today:
            raise forms.ValidationError(
                _("Tanggal belum terjadi; laporan hanya untuk hari ini atau sebelumnya.")
            )
        return day


class ReassignCounterForm(forms.Form):
    """The tenant a counter serves from now on; empty for the mall's front counter."""

    tenant = forms.ModelChoiceField(
        label=_("Instansi"),
        queryset=Tenant.objects.none(),
        required=False,
        empty_label=_("Loket depan (semua antrean)"),
        error_messages={"invalid_choice": _("Instansi ini tidak bertugas di mal ini.")},
    )

    def __init__(self, *args: object, tenants: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["tenant"].queryset = tenants  # type: ignore[attr-defined]


class FinishForm(forms.Form):
    """The end of a service at the console: its outcome and why. Whether a reason is needed is
    finish_ticket's rule; the form only reads, and shows again what the officer chose."""

    outcome = forms.ChoiceField(
        label=_("Hasil"),
        choices=Ticket.Outcome.choices,
        error_messages={
            "required": _("Pilih hasil layanan."),
            "invalid_choice": _("Hasil layanan tidak dikenal."),
        },
    )
    reason = forms.CharField(
        label=_("Alasan (wajib bila ditolak atau harus kembali)"), required=False, max_length=255
    )
    # Only with "Berkas diterima": where the receipt and "siap diambil" go (applications).
    phone = forms.CharField(
        label=_("Nomor HP warga untuk kabar permohonan (bila berkas diterima; boleh kosong)"),
        required=False,
        max_length=32,
    )


class TransferForm(forms.Form):
    """The service a ticket moves to; whether it may is transfer_ticket's rule."""

    service_id = forms.IntegerField(
        label=_("Alihkan ke layanan"),
        min_value=1,
        error_messages={
            "required": _("Pilih layanan tujuan."),
            "invalid": _("Layanan tujuan tidak sah."),
            "min_value": _("Layanan tujuan tidak sah."),
        },
    )


class AccuracyRangeForm(forms.Form):
    """The days of the estimates' accuracy page: `dari`–`sampai`, the last week when not given,
    at most MAX_DAYS days, none still to come."""

    MAX_DAYS = 92
    DEFAULT_DAYS = 7

    dari = forms.DateField(
        label=_("Dari"),
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _("Tanggal tidak sah; gunakan format TTTT-BB-HH.")},
    )
    sampai = forms.DateField(
        label=_("Sampai"),
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _("Tanggal tidak sah; gunakan format TTTT-BB-HH.")},
    )

    def __init__(self, *args: object, today: dt.date, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.today = today

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        last = data.get("sampai") or self.today
        first = data.get("dari") or last - dt.timedelta(days=self.DEFAULT_DAYS - 1)
        assert isinstance(first, dt.date) and isinstance(last, dt.date)
        if last > self.today:
            raise forms.ValidationError(
                _("Tanggal belum terjadi; laporan hanya untuk hari ini atau sebelumnya.")
            )
        if first > last:
            raise forms.ValidationError(_("Tanggal awal sesudah tanggal akhir."))
        if (last - first).days + 1 > self.MAX_DAYS:
            raise forms.ValidationError(
                _("Rentang paling panjang %(n)d hari.") % {"n": self.MAX_DAYS}
            )
        data["dari"], data["sampai"] = first, last
        return data
