"""Bearer tokens for the API: staff consoles and kiosk devices send `Authorization: Bearer …`."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.contrib.auth import authenticate
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer, django_auth
from ninja.utils import check_csrf

from mpp.accounts.access import staff_profile
from mpp.accounts.models import ApiToken
from mpp.core import clock
from mpp.core.refcache import remembered

LAST_USED_RESOLUTION = dt.timedelta(minutes=5)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_token(*, username: str, password: str) -> str | None:
    """A new token for an active staff member with these credentials, else None.

    The plain token is returned once and never stored (only its SHA-256)."""
    user = authenticate(username=username, password=password)
    if user is None or staff_profile(user) is None:
        return None
    key = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, key_hash=_hash(key))
    return key


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

    A kiosk sends its token with every ticket: the token, its user and staff profile are kept in
    memory (core.refcache) and dropped when a token, user or profile changes (accounts.apps)."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        key_hash = _hash(token)
        found = remembered(("api-token", key_hash), lambda: _find(key_hash), keep_none=False)
        if found is None or not found.user.is_active:
            return None
        now = clock.now()
        # Record use at most every few minutes: a write per request would double the writes
        # of a busy kiosk (and on SQLite every write waits for the one writer).
        last = _last_recorded.get(found.pk) or found.last_used_at
        if last is None or now - last > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
            _last_recorded[found.pk] = now
        request.user = found.user
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
