"""Refusals of the application steps (docs/adr/0037), each with an Indonesian message, a
stable code and an HTTP status (core.errors.Refused; the API answers them in one handler)."""

from __future__ import annotations

from enum import StrEnum

from mpp.core.errors import Refused


class ApplicationCode(StrEnum):
    """Stable machine codes of the applications' refusals (the API's `code`)."""

    NOT_OFFERED = "not_offered"  # 400: the service is not offered at that mall
    RECEIVED_IN_FUTURE = "received_in_future"  # 400: received_on after today
    RECEIVED_TOO_LONG_AGO = "received_too_long_ago"  # 400: more than 30 days back
    INVALID_PHONE = "invalid_phone"  # 400
    BAD_STATUS = "bad_status"  # 400: not one of the statuses
    NOTE_REQUIRED = "note_required"  # 400: a return without what is missing
    OUT_OF_ORDER = "out_of_order"  # 409: a step not allowed from the current one


class ApplicationError(Refused):
    """An application step refused: `str(exc)` / `.message` (Indonesian), `.code`, `.status`."""

    codes = (ApplicationCode,)

    @property
    def message(self) -> str:
        return str(self)
