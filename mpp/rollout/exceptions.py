"""Refusals of the Mini MPP rollout, each with an Indonesian message and a stable code."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from mpp.core.errors import Refused


class RolloutCode(StrEnum):
    """Stable machine codes of the rollout's refusals (the API's `code`). The other parts of
    the rollout (roster, training) raise RolloutRefused with their own codes too: the class
    does not restrict them to this list."""

    READINESS_INCOMPLETE = "readiness_incomplete"  # the go-live gate (409)
    REASON_REQUIRED = "reason_required"  # going back needs a reason
    BAD_STATUS = "bad_status"
    EVIDENCE_REQUIRED = "evidence_required"
    EVIDENCE_TYPE = "evidence_type"
    EVIDENCE_TOO_LARGE = "evidence_too_large"
    DECREE_DATE_FUTURE = "decree_date_future"
    DUE_BEFORE_CREATION = "due_before_creation"
    OWNER_OTHER_REGION = "owner_other_region"
    NOT_MINI_MPP = "not_mini_mpp"
    TRIAL_NOT_PREPARING = "trial_not_preparing"


class RolloutRefused(Refused):
    """A step of the rollout refused (core.errors.Refused, HTTP 400 unless `status` says
    otherwise): `message` in Indonesian, `code`, and `extra` (a dict the API adds to its
    answer, e.g. the gate's `open_items`)."""

    def __init__(
        self,
        message: str,
        code: StrEnum | str,
        *,
        extra: dict[str, Any] | None = None,
        status: int | None = None,
    ) -> None:
        super().__init__(message, code=code, status=status)
        self.message = message
        self.extra: dict[str, Any] = dict(extra or {})

    def body(self) -> dict[str, object]:
        return {**super().body(), **self.extra}
