"""Refusals of complaints, each with an Indonesian message, a stable code and, for a value at
fault, the field it names (`field`: text, contact, mall_id, service_id, happened_on, reason,
tenant)."""

from __future__ import annotations

from enum import StrEnum

from mpp.core.errors import Refused


class ComplaintCode(StrEnum):
    """Stable machine codes of complaints' refusals (the API's `code`)."""

    EMPTY_TEXT = "empty_text"  # 400: nothing written
    TEXT_TOO_LONG = "text_too_long"  # 400: past MAX_TEXT characters
    INVALID_CONTACT = "invalid_contact"  # 400: neither a phone number nor an e-mail address
    UNKNOWN_MALL = "unknown_mall"  # 400: a well-formed mall id that names no public mall
    UNKNOWN_SERVICE = "unknown_service"  # 400: a well-formed service id that names none
    FUTURE_DATE = "future_date"  # 400: "when it happened" after today
    INVALID_LAPOR_NUMBER = "invalid_lapor_number"  # 400: not a SP4N-LAPOR! report number
    REASON_REQUIRED = "reason_required"  # 400: a dismissal without its reason
    WRONG_TENANT = "wrong_tenant"  # 400: assigned to a tenant that does not serve there
    OUT_OF_ORDER = "out_of_order"  # 409: the step does not follow the complaint's status
    ALREADY_ASSIGNED = "already_assigned"  # 409: verified to that tenant already
    FINISHED = "finished"  # 409: closed or dismissed: no more replies


class ComplaintRefused(Refused):
    """A complaint step refused (core.errors.Refused; HTTP 400 unless `status` says)."""

    codes = (ComplaintCode,)

    def __init__(
        self,
        message: str,
        *,
        code: StrEnum | str,
        status: int | None = None,
        field: str | None = None,
    ) -> None:
        super().__init__(message, code=code, status=status)
        self.field = field

    def body(self) -> dict[str, object]:
        body = super().body()
        if self.field is not None:
            body["field"] = self.field
        return body
