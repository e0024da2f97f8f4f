"""The rules a survey answer must keep, wherever it comes from: the citizen's form, the paper
entry screen, the API or an imported file. They check and clean, and write nothing, so the import's
reading half (`importing`) and the actions that write (`actions`) share them without importing each
other.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _

from mpp.core.privacy import mask_personal_data
from mpp.surveys.exceptions import SurveyError
from mpp.surveys.models import Questionnaire, Response

SUGGESTION_MAX = 1000


@dataclass(frozen=True)
class Profile:
    """The respondent profile of the national form; every field may be left blank."""

    sex: str = ""
    age: int | None = None
    education: str = ""
    occupation: str = ""


NO_PROFILE = Profile()  # the default of every action: nothing filled in (immutable, so shared)


def clean_answers(
    questionnaire: Questionnaire, answers: Mapping[str, object]
) -> dict[str, int | None]:
    """Answers by element code, each 1–4 or blank; at least one given. Refused with the element
    named: an unknown code, or a value outside 1–4 (blank is not zero)."""
    codes = [e.code for e in questionnaire.elements.all()]
    cleaned: dict[str, int | None] = dict.fromkeys(codes)
    for raw_code, raw in answers.items():
        code = str(raw_code).strip().upper()
        if code not in cleaned:
            raise SurveyError(
                _("Unsur %(c)s tidak ada di kuesioner ini.") % {"c": raw_code},
                code="unknown_element",
                field=str(raw_code),
            )
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            continue
        try:
            value = int(str(raw).strip()) if not isinstance(raw, bool) else None
        except ValueError:
            value = None
        if value not in (1, 2, 3, 4):
            raise SurveyError(
                _("Jawaban unsur %(c)s harus 1, 2, 3 atau 4.") % {"c": code},
                code="answer_out_of_range",
                field=code,
            )
        cleaned[code] = value
    if all(v is None for v in cleaned.values()):
        raise SurveyError(_("Jawablah sedikitnya satu pertanyaan."), code="no_answers", field=None)
    return cleaned


def clean_profile(profile: Profile) -> Profile:
    """The profile with each field checked against the national form's choices."""
    checks = (
        ("sex", profile.sex, Response.Sex.values, _("Jenis kelamin tidak dikenal.")),
        ("education", profile.education, Response.Education.values, _("Pendidikan tidak dikenal.")),
        (
            "occupation",
            profile.occupation,
            Response.Occupation.values,
            _("Pekerjaan tidak dikenal."),
        ),
    )
    for name, value, allowed, message in checks:
        if value and value not in allowed:
            raise SurveyError(message, code=f"bad_{name}", field=name)
    if profile.age is not None and not 10 <= profile.age <= 120:
        raise SurveyError(_("Usia harus antara 10 dan 120 tahun."), code="bad_age", field="age")
    return profile


def clean_suggestion(text: str) -> str:
    """A suggestion as stored: trimmed, at most SUGGESTION_MAX characters, and with NIK- and
    phone-like numbers masked. Citizens type them in despite the form's warning, and staff
    read suggestions on the results page and in the reports."""
    text = text.strip()
    if len(text) > SUGGESTION_MAX:
        raise SurveyError(
            _("Saran paling panjang %(n)d karakter.") % {"n": SUGGESTION_MAX},
            code="suggestion_too_long",
            field="suggestion",
        )
    return mask_personal_data(text)[0]  # a masked number is never longer than the number
