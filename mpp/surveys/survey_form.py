"""The questionnaire as a form: one radio group per element, in the questionnaire's order,
named by element code (never by position), and the national form's respondent profile."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mpp.surveys.actions import SUGGESTION_MAX, Profile
from mpp.surveys.models import Questionnaire, Response


def _blank(choices: Any) -> list[tuple[str, Any]]:
    return [("", _("— tidak diisi —")), *[(str(v), str(label)) for v, label in choices]]


class SurveyForm(forms.Form):
    sex = forms.ChoiceField(label=_("Jenis kelamin"), required=False)
    age = forms.IntegerField(label=_("Usia"), required=False, min_value=10, max_value=120)
    education = forms.ChoiceField(label=_("Pendidikan terakhir"), required=False)
    occupation = forms.ChoiceField(label=_("Pekerjaan"), required=False)
    suggestion = forms.CharField(
        label=_("Saran dan masukan (tidak wajib)"),
        required=False,
        max_length=SUGGESTION_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, questionnaire: Questionnaire, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questionnaire = questionnaire
        self.elements = list(questionnaire.elements.order_by("position"))
        for element in self.elements:
            self.fields[element.code.lower()] = forms.TypedChoiceField(
                label=element.question,
                choices=[(str(v), label) for v, label in element.labels],
                coerce=int,
                required=False,
                widget=forms.RadioSelect,
                error_messages={
                    "invalid_choice": _("Pilih salah satu dari empat jawaban (1–4)."),
                },
            )
        for name, choices in (
            ("sex", Response.Sex.choices),
            ("education", Response.Education.choices),
            ("occupation", Response.Occupation.choices),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = _blank(choices)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.elements and all(data.get(e.code.lower()) in (None, "") for e in self.elements):
            raise forms.ValidationError(_("Jawablah sedikitnya satu pertanyaan."))
        return data

    def answers(self) -> dict[str, int | None]:
        return {e.code: (self.cleaned_data.get(e.code.lower()) or None) for e in self.elements}

    def profile(self) -> Profile:
        data = self.cleaned_data
        return Profile(
            sex=data.get("sex") or "",
            age=data.get("age"),
            education=data.get("education") or "",
            occupation=data.get("occupation") or "",
        )

    def question_rows(self) -> list[tuple[int, Any, Any]]:
        """(number as printed, element, bound field), in the questionnaire's order."""
        return [(n, e, self[e.code.lower()]) for n, e in enumerate(self.elements, start=1)]
