"""A browser's date input reads only TTTT-BB-HH: every date field of ours that uses one gives
its value in that form, whatever the page's language formats dates as (Indonesian: HH-BB-TTTT,
which left the follow-up plan's deadline empty)."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.utils import translation

from mpp.investment.forms import ImportForm
from mpp.surveys.forms import FollowUpForm
from mpp.surveys.views_paper import PaperForm

DATE_FIELDS = [
    (form, name)
    for form in (FollowUpForm, ImportForm, PaperForm)
    for name, field in form.base_fields.items()
    if isinstance(field.widget, forms.DateInput)
]


def test_the_forms_with_date_inputs_are_found():
    assert {(f.__name__, n) for f, n in DATE_FIELDS} == {
        ("FollowUpForm", "deadline"),
        ("ImportForm", "data_per"),
        ("PaperForm", "tanggal"),
    }


@pytest.mark.parametrize(("form", "name"), DATE_FIELDS)
@pytest.mark.parametrize("language", ["id", "en"])
def test_every_date_input_renders_an_iso_date(form, name, language):
    widget = form.base_fields[name].widget
    with translation.override(language):
        html = widget.render(name, dt.date(2026, 12, 31))
    assert 'type="date"' in html and 'value="2026-12-31"' in html, html
