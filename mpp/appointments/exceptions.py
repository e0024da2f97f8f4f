"""Refusals of booking, each with an Indonesian message, a stable code and, for a value at
fault, the field it names (`field`: mall_id, service_id, date, start, nik, phone)."""

from __future__ import annotations

from enum import StrEnum

from mpp.core.errors import Refused


class AppointmentCode(StrEnum):
    """Stable machine codes of booking's refusals (the API's `code`)."""

    SLOT_FULL = "slot_full"  # 409: the slot's places are taken
    ALREADY_BOOKED = "already_booked"  # 409: this person has an active booking of the service
    NOT_BOOKED = "not_booked"  # 409: cancelled, checked in, closed or a no-show already
    TOO_LATE = "too_late"  # 409: the slot has started; cancel or move no more
    BOOKING_CLOSED = "booking_closed"  # 400: the mall takes no bookings now
    DAY_CLOSED = "day_closed"  # 400: a holiday, a closure, the tenant's day off, weekend
    DAY_PAST = "day_past"  # 400: today or earlier (a later day is booked; today walks in)
    BEYOND_HORIZON = "beyond_horizon"  # 400: after the mall's horizon
    BAD_START = "bad_start"  # 400: no slot starts at that time
    SAME_SLOT = "same_slot"  # 400: a move to the slot already held
    INVALID_NIK = "invalid_nik"
    INVALID_PHONE = "invalid_phone"
    NO_SHOW_BLOCKED = "no_show_blocked"  # 403: too many no-shows lately


class AppointmentRefused(Refused):
    """A booking step refused (core.errors.Refused; HTTP 400 unless `status` says)."""

    codes = (AppointmentCode,)

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
