"""Refusals of sign-in and of API tokens, each with an Indonesian message, a code and a status."""

from __future__ import annotations

from enum import StrEnum

from mpp.core.errors import Refused


class AccessCode(StrEnum):
    """Stable machine codes of the API's sign-in and token refusals."""

    WRONG_CREDENTIALS = "wrong_credentials"
    SIGN_IN_LOCKED = "sign_in_locked"
    TOKEN_EXPIRED = "token_expired"  # noqa: S105 - a code, not a token


class AccountRefusal(Refused):
    """A sign-in or token request refused (core.errors.Refused: message, code, status);
    `retry_after` (seconds), when set, is sent as the Retry-After header."""

    codes = (AccessCode,)
    status = 401


class WrongCredentials(AccountRefusal):
    """No active staff account with this user name and password (HTTP 401)."""


class SignInLocked(AccountRefusal):
    """Too many failed sign-ins for this account or address: refused until the cool-off ends,
    whatever the password (HTTP 429)."""

    status = 429


class TokenExpired(AccountRefusal):
    """A bearer token past its lifetime: sign in again for a new one (HTTP 401)."""
