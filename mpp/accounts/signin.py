"""Sign-in throttling (django-axes): what a locked-out person is told, and how long for.

Axes counts failed sign-ins per account and per client address in the database (shared by every
app server) and, past AXES_FAILURE_LIMIT, refuses every try — the right password too — before
the password is hashed, until AXES_COOLOFF_TIME has passed since the last counted failure
(docs/adr/0018). The sign-in page, `/petugas/` (which leads to it) and `POST /api/v1/auth/token`
all authenticate through `django.contrib.auth.authenticate(request, ...)`, which is where axes
looks; this module only words the refusal.
"""

from __future__ import annotations

import math
from typing import Any

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.db.models import Max, Q
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from mpp.core import clock


def client_address(request: HttpRequest) -> str | None:
    """The client's address as the project determines it: REMOTE_ADDR, which core/proxies.py
    takes from X-Forwarded-For only when the peer is one of MPP_TRUSTED_PROXIES (docs/adr/0017).
    The phone-ticket and chat limits count by the same address."""
    return request.META.get("REMOTE_ADDR") or None


def is_locked_out(request: HttpRequest) -> bool:
    """Whether axes refused this request's sign-in (set by its backend or its failure handler)."""
    return bool(getattr(request, "axes_locked_out", False))


def seconds_locked(request: HttpRequest, username: str | None) -> int:
    """How long the lock on this account or this address still holds, in whole seconds (≥ 1).

    The lock ends a cool-off after the last counted failure of the account or the address;
    refused tries during the lock are not counted (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT).
    """
    cool_off = get_cool_off(request)
    if cool_off is None:  # never configured so here: a permanent lock
        return 0
    address = getattr(request, "axes_ip_address", None) or client_address(request)
    matching = Q(ip_address=address) if address else Q(pk__in=[])
    if username:
        matching |= Q(username=username)
    last = AccessAttempt.objects.filter(matching).aggregate(last=Max("attempt_time"))["last"]
    if last is None:
        return math.ceil(cool_off.total_seconds())
    return max(1, math.ceil((last + cool_off - clock.now()).total_seconds()))


def lockout_message(seconds: int) -> str:
    """What a locked-out person reads, on the page and in the API."""
    minutes = max(1, math.ceil(seconds / 60))
    return _("Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam %(minutes)d menit.") % {
        "minutes": minutes
    }


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None,
    credentials: dict[str, Any] | None,
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the response of a refused sign-in, as its view made it.

    The sign-in page shows the form with the lockout message (StaffAuthenticationForm) and the
    API its own 429 (accounts.api): axes' middleware only adds the status and Retry-After."""
    username = (credentials or {}).get("username")
    seconds = seconds_locked(request, username)
    response = original_response or HttpResponse(lockout_message(seconds))
    if not request.path.startswith("/api/"):
        response.status_code = 429
    response["Retry-After"] = str(seconds)
    return response


class StaffAuthenticationForm(AdminAuthenticationForm):
    """The staff sign-in form: a locked-out account or address is told so, not "wrong password"
    (which would send a person who knows their password to try it again and again)."""

    def get_invalid_login_error(self) -> ValidationError:
        if self.request is not None and is_locked_out(self.request):
            username = self.cleaned_data.get("username")
            return ValidationError(
                lockout_message(seconds_locked(self.request, username)), code="locked_out"
            )
        return super().get_invalid_login_error()
