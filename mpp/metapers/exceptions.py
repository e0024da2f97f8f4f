"""Refusals of Metapers' chat and training, each with an Indonesian message, a stable code and an
HTTP status (core.errors.Refused). The chat's pages and sockets and the training page answer with
them as JSON `{detail, code}`; they are not endpoints of the ninja API."""

from __future__ import annotations

from enum import StrEnum

from mpp.core.errors import Refused


class ChatCode(StrEnum):
    """Stable machine codes of the chat's refusals (the page's script reads them)."""

    EMPTY = "empty"
    TOO_LONG = "too_long"
    FLOODING = "flooding"  # 429
    CLOSED = "closed"  # 409
    TAKEN = "taken"  # 409
    CANNED = "canned"
    NOT_COLLEAGUE = "not_colleague"
    INVALID = "invalid"  # a form field at fault


class ChatRefused(Refused):
    """A chat request refused; `str(exc)` is the Indonesian message, `status` the HTTP code."""

    codes = (ChatCode,)


class TrainingCode(StrEnum):
    """Stable machine codes of the training's refusals."""

    NO_SERVICE = "no_service"  # 409
    OUT_OF_ORDER = "out_of_order"  # 409
    SERVICE_GONE = "service_gone"  # 409
    EMPTY = "empty"
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    PERSONAL_DATA = "personal_data"
    OTHER_MALL = "other_mall"
    UNKNOWN_STEP = "unknown_step"
    NOTHING_TO_ACKNOWLEDGE = "nothing_to_acknowledge"  # 409
    NOT_FINISHED = "not_finished"  # 409


class TrainingRefused(Refused):
    """A training request refused; `str(exc)` is the Indonesian message, `status` the code."""

    codes = (TrainingCode,)
