"""Errors of the survey, each with an Indonesian message and a stable machine code."""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar

from mpp.core.errors import Refused


class SurveyCode(StrEnum):
    """Stable machine codes of the survey's refusals (a whole import file refused before it is
    read has core.sheets.Refusal's codes: file_too_large, too_many_cells...)."""

    UNKNOWN_ELEMENT = "unknown_element"
    ANSWER_OUT_OF_RANGE = "answer_out_of_range"
    NO_ANSWERS = "no_answers"
    BAD_SEX = "bad_sex"
    BAD_EDUCATION = "bad_education"
    BAD_OCCUPATION = "bad_occupation"
    BAD_AGE = "bad_age"
    SUGGESTION_TOO_LONG = "suggestion_too_long"
    NO_QUESTIONNAIRE = "no_questionnaire"
    TOKEN_UNKNOWN = "token_unknown"  # noqa: S105 - a code, not a token
    TOKEN_USED = "token_used"  # noqa: S105
    TOKEN_EXPIRED = "token_expired"  # noqa: S105
    BAD_SERVICE = "bad_service"
    BAD_TIME_BAND = "bad_time_band"
    FUTURE_DATE = "future_date"
    EMPTY_FOLLOW_UP = "empty_follow_up"
    DEADLINE_BEFORE_PERIOD = "deadline_before_period"
    BAD_STATUS = "bad_status"
    BAD_AUDIT_FILE = "bad_audit_file"
    IMPORT_REJECTED = "import_rejected"
    ALREADY_IMPORTED = "already_imported"


class SurveyError(Refused):
    """A response or request the survey refuses (core.errors.Refused: message, code, status 400).

    `field` names the element or profile field at fault (U4, age...), when there is one; the
    API's answer carries it too."""

    codes: ClassVar[tuple[type[StrEnum], ...]] = (SurveyCode,)  # an import's adds sheets'

    def __init__(
        self,
        message: str,
        *,
        code: SurveyCode | str,
        field: str | None = None,
        status: int | None = None,
    ) -> None:
        super().__init__(message, code=code, status=status)
        self.field = field

    def body(self) -> dict[str, object]:
        return {**super().body(), "field": self.field}


class TokenRefused(SurveyError):
    """The survey token is unknown, used, expired, or its ticket is not finished (HTTP 409
    for used and not-finished, 404 for unknown, 410 for expired)."""

    def __init__(self, message: str, *, code: SurveyCode | str, status: int) -> None:
        super().__init__(message, code=code, status=status)
