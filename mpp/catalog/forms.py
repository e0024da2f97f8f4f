"""Parsing of the public search parameters; errors name the field in Indonesian."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_QUERY_LENGTH = 100


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Cari layanan"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        strip=True,
        error_messages={"max_length": _("Kata pencarian paling panjang %(limit_value)d huruf.")},
    )
    mall = forms.SlugField(
        label=_("Mal"),
        required=False,
        max_length=50,
        error_messages={"invalid": _("Kode mal tidak sah.")},
    )


class ServiceContextForm(forms.Form):
    mall = forms.SlugField(
        label=_("Mal"),
        required=False,
        max_length=50,
        error_messages={"invalid": _("Kode mal tidak sah.")},
    )
