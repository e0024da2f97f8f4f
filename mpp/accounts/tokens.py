"""Bearer tokens for the API: staff consoles and kiosk devices send `Authorization: Bearer …`."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.contrib.auth import authenticate
from django.http import HttpRequest
from ninja.security import HttpBearer

from mpp.accounts.access import staff_profile
from mpp.accounts.models import ApiToken
from mpp.core import clock

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


class BearerToken(HttpBearer):
    """django-ninja auth: the request's user is the token's owner."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = ApiToken.objects.select_related("user").filter(key_hash=_hash(token)).first()
        if found is None or not found.user.is_active:
            return None
        now = clock.now()
        # Record use at most every few minutes: a write per request would double the writes
        # of a busy kiosk (and on SQLite every write waits for the one writer).
        if found.last_used_at is None or now - found.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        return found.user
