"""Errors of the survey, each with an Indonesian message and a stable machine code."""

from __future__ import annotations


class SurveyError(Exception):
    """A response or request the survey refuses; `str(exc)` is the message.

    `field` names the element or profile field at fault (U4, age...), when there is one."""

    status = 400

    def __init__(self, message: str, *, code: str, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.field = field


class TokenRefused(SurveyError):
    """The survey token is unknown, used, expired, or its ticket is not finished (HTTP 409
    for used and not-finished, 404 for unknown, 410 for expired)."""

    def __init__(self, message: str, *, code: str, status: int) -> None:
        super().__init__(message, code=code)
        self.status = status
