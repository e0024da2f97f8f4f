"""Bearer tokens for the API: staff consoles and kiosk devices send `Authorization: Bearer …`.

A token lives a working day (a person's) or a season (a kiosk device's), and is deleted when its
owner's password changes, the account is deactivated or the staff profile is removed
(accounts.actions, called from accounts.apps and accounts.passwords; docs/adr/0018).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer, django_auth
from ninja.utils import check_csrf

from mpp.accounts.access import staff_profile
from mpp.accounts.exceptions import AccessCode, SignInLocked, TokenExpired, WrongCredentials
from mpp.accounts.models import ApiToken, Role, StaffProfile
from mpp.accounts.signin import is_locked_out, lockout_message, seconds_locked
from mpp.core import clock

LAST_USED_RESOLUTION = dt.timedelta(minutes=5)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def lifetime_for(profile: StaffProfile) -> dt.timedelta:
    """How long a new token of this staff member lives: a kiosk device's much longer (it signs
    in once, unattended) than a person's."""
    if profile.role == Role.KIOSK:
        return settings.MPP_KIOSK_TOKEN_LIFETIME  # type: ignore[no-any-return]
    return settings.MPP_TOKEN_LIFETIME  # type: ignore[no-any-return]


@dataclass(frozen=True)
class IssuedToken:
    key: str  # shown once, never stored
    token: ApiToken


def create_token(*, request: HttpRequest, username: str, password: str) -> IssuedToken:
    """A new token for an active staff member with these credentials.

    `request` lets django-axes count a failure and refuse a locked-out account or address before
    the password is hashed. Raises SignInLocked (429) or WrongCredentials (401). The plain key
    is returned once and never stored (only its SHA-256)."""
    user = authenticate(request, username=username, password=password)
    if is_locked_out(request):
        seconds = seconds_locked(request, username)
        raise SignInLocked(
            lockout_message(seconds), code=AccessCode.SIGN_IN_LOCKED, retry_after=seconds
        )
    profile = staff_profile(user)
    if user is None or profile is None:
        raise WrongCredentials(
            _("Nama pengguna atau kata sandi salah."), code=AccessCode.WRONG_CREDENTIALS
        )
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        key_hash=_hash(key),
        prefix=key[:8],
        expires_at=clock.now() + lifetime_for(profile),
    )
    return IssuedToken(key=key, token=token)


def _find(key_hash: str) -> ApiToken | None:
    return (
        ApiToken.objects.select_related("user__staff_profile__mall", "user__staff_profile__tenant")
        .filter(key_hash=key_hash)
        .first()
    )


# When this process last wrote a token's last_used_at (token id → time).
_last_recorded: dict[int, dt.datetime] = {}


class BearerToken(HttpBearer):
    """django-ninja auth: the request's user is the token's owner.

    The token, its user and staff profile are read in one query on every request, so a revoked
    token, a deactivated user or a changed role counts from the next request on every worker."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        key_hash = _hash(token)
        found = _find(key_hash)
        if found is None or not found.user.is_active:
            return None
        now = clock.now()
        if found.has_expired(now):
            raise TokenExpired(
                _("Token API sudah kedaluwarsa; masuk lagi untuk token baru."),
                code=AccessCode.TOKEN_EXPIRED,
            )
        # Record use at most every few minutes: a write per request would double the writes
        # of a busy kiosk (and on SQLite every write waits for the one writer).
        last = _last_recorded.get(found.pk) or found.last_used_at
        if last is None or now - last > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
            _last_recorded[found.pk] = now
        request.user = found.user
        request.api_token = found  # type: ignore[attr-defined]  # DELETE /auth/token revokes it
        return found.user


class OptionalBearer(BearerToken):
    """A kiosk or staff token when one is sent (a wrong one is a 401); a citizen otherwise.

    A signed-in browser session counts only with its CSRF token, as with STAFF_AUTH's session
    auth: the browser sends the session cookie with any site's request, and a `text/plain` body
    needs no preflight (issue 16). A bearer token needs none: no other site can set the header.
    The 403's Indonesian body is mpp.api's."""

    def __call__(self, request: HttpRequest) -> Any:
        if request.headers.get("Authorization"):
            user = super().__call__(request)
            if user is None:
                raise AuthenticationError()
            return user
        if request.user.is_authenticated:
            if check_csrf(request) is not None:
                raise HttpError(403, "CSRF check Failed")  # django-ninja's words: mpp.api
            return request.user
        return AnonymousUser()


# Staff endpoints: a bearer token (devices, scripts) or the signed-in browser session (pages).
STAFF_AUTH = [BearerToken(), django_auth]
