"""The staff's forms of applications: filtering the live list, moving an application one step,
and opening one directly at the counter. Inputs are bounded here; the rules (which step may
follow which, what a return needs, whether the mall offers the service) are the actions'
(applications.actions), which refuse with an Indonesian message the view shows."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from mpp.applications.models import Status
from mpp.applications.queries import Tab
from mpp.catalog.models import Service
from mpp.malls.models import Mall

NOTE_MAX = 1000  # what is missing, said in a few lines
PICKUP_MAX = 200  # the model's pickup_place/pickup_time


class ListFilter(forms.Form):
    """`?tab=&mal=&instansi=` of the live list; anything unreadable is the default."""

    tab = forms.ChoiceField(choices=[(t, t) for t in Tab.CHOICES], required=False, initial=Tab.ALL)
    mal = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    instansi = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)

    def value(self, name: str) -> Any:
        if not self.is_bound:
            return self.fields[name].initial
        self.is_valid()  # an unreadable field is left out of cleaned_data, the others kept
        return self.cleaned_data.get(name) or self.fields[name].initial


class MoveForm(forms.Form):
    """One step: the status it moves to, and what the step needs (a return: what is missing;
    ready for pickup: where and when)."""

    status = forms.ChoiceField(
        choices=Status.choices,
        error_messages={
            "required": gettext_lazy("Pilih langkah berikutnya."),
            "invalid_choice": gettext_lazy("Langkah ini tidak dikenal."),
        },
    )
    note = forms.CharField(
        label=gettext_lazy("Catatan"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": NOTE_MAX}),
    )
    pickup_place = forms.CharField(
        label=gettext_lazy("Tempat pengambilan"), required=False, max_length=PICKUP_MAX
    )
    pickup_time = forms.CharField(
        label=gettext_lazy("Waktu pengambilan"), required=False, max_length=PICKUP_MAX
    )


class _ServiceChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Service) -> str:  # type: ignore[override]
        return f"{obj.name} ({obj.tenant.short_name})"


class OpenForm(forms.Form):
    """Files taken in at the counter without a queue ticket. The phone number and the received
    day are read by the action (applications.actions.open_application), which refuses a wrong
    one with the field's code (the view puts the message next to the field)."""

    mall = forms.ModelChoiceField(
        label=gettext_lazy("Mal"),
        queryset=Mall.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": gettext_lazy("Pilih mal tempat Anda bertugas.")},
    )
    service = _ServiceChoice(
        label=gettext_lazy("Layanan"),
        queryset=Service.objects.none(),
        error_messages={
            "required": gettext_lazy("Pilih layanannya."),
            "invalid_choice": gettext_lazy("Pilih layanan instansi Anda dari daftar."),
        },
    )
    phone = forms.CharField(
        label=gettext_lazy(
            "Nomor HP warga (tidak wajib, untuk pesan tanda terima dan siap diambil)"
        ),
        required=False,
        max_length=32,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    received_on = forms.DateField(
        label=gettext_lazy("Tanggal berkas diterima"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": gettext_lazy("Tulis tanggal sebagai TTTT-BB-HH.")},
    )

    def __init__(
        self,
        *args: Any,
        malls: QuerySet[Mall],
        services: QuerySet[Service],
        today: dt.date,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        mall_field = self.fields["mall"]
        service_field = self.fields["service"]
        assert isinstance(mall_field, forms.ModelChoiceField)
        assert isinstance(service_field, forms.ModelChoiceField)
        mall_field.queryset = malls
        service_field.queryset = services
        self.fields["received_on"].initial = today
