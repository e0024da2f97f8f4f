"""Forms of the queue's pages; errors name the field in Indonesian."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

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
