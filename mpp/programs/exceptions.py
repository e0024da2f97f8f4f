"""Refusals of public programmes, each with an Indonesian message and a stable code."""

from __future__ import annotations

from enum import StrEnum

from mpp.core.errors import Refused


class ProgramCode(StrEnum):
    """Stable machine codes of the programmes' refusals (the API's `code`)."""

    NOT_OPEN = "registration_not_open"  # the programme takes no registrations now
    QUOTA_FULL = "quota_full"
    SESSION_FULL = "session_full"
    NOT_ELIGIBLE = "not_eligible"
    ALREADY_REGISTERED = "already_registered"  # a NIK already in this programme
    BAD_STEP = "bad_step"  # a step out of order (409)
    DOCUMENTS_INCOMPLETE = "documents_incomplete"
    REASON_REQUIRED = "reason_required"
    FILE_TOO_LARGE = "file_too_large"
    FILE_TYPE = "file_type"
    FEE_UNPAID = "fee_unpaid"
    DRAW_NOT_PUBLISHED = "draw_not_published"
    DRAW_DONE = "draw_done"
    SEED_MISMATCH = "seed_mismatch"
    NO_ENTRANTS = "no_entrants"
    # The KUA's verification, fees, ceremony day and the civil follow-up (kua, ceremony, civil)
    SPONSOR_REQUIRED = "sponsor_required"  # a sponsor bears the fee: name it
    RECEIPT_INVALID = "receipt_invalid"  # a bank receipt needs its number and date, not future
    BOOK_NUMBER_REQUIRED = "book_number_required"
    BOOK_NUMBER_TAKEN = "book_number_taken"  # one marriage book number once per programme (409)
    DOCUMENT_NUMBER_REQUIRED = "document_number_required"  # a civil task done names its document
    # The door-prize draw's page (prizes)
    SEED_TOO_SHORT = "seed_too_short"  # a draw seed under programs.prizes.MIN_SEED_LENGTH
    NO_PRIZES = "no_prizes"  # a draw with no Prize rows


class ProgramRefused(Refused):
    """A step of a programme refused (core.errors.Refused; HTTP 400 unless `status` says)."""

    codes = (ProgramCode,)
