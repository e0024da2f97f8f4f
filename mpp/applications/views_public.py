"""The citizen's pages of an application (docs/adr/0037): /permohonan/ to type the receipt
code, /permohonan/<code>/ to follow it, and the staff's printable receipt slip.

The code is the only key: no name, no NIK, no phone on these pages, and every address is
limited to a number of lookups an hour, so codes cannot be tried in bulk. A wrong code is the
same plain 404 whether it is malformed or merely unknown.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import segno
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from mpp.applications.access import access_application, normal_code, track_application
from mpp.applications.models import Application, Status
from mpp.core import clock
from mpp.core.ratelimit import allow

# A family follows a few applications, a village office a few dozen; a script trying codes
# is stopped long before it could find one (31^12 codes).
LOOKUPS_PER_HOUR = 60


def _private(response: HttpResponse) -> HttpResponse:
    """The code is in the address: never cached, never sent on as a referrer."""
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _limited(request: HttpRequest) -> bool:
    address = request.META.get("REMOTE_ADDR", "")
    return not allow(f"applications-track:{address}", limit=LOOKUPS_PER_HOUR, window_seconds=3600)


def is_overdue(application: Application, *, now: dt.datetime) -> bool:
    """Past its due moment and not completed (a paused one has no due moment)."""
    return (
        application.completed_at is None
        and application.due_at is not None
        and now > application.due_at
    )


def complaint_link(application: Application) -> str:
    """The complaint form, told where the complaint comes from (empty until it exists)."""
    try:
        path = reverse("complaints:new")
    except NoReverseMatch:
        return ""
    query = urlencode(
        {
            "sumber": "permohonan",
            "kode": application.code,
            "layanan": str(application.service_id),
            "mal": str(application.mall_id),
        }
    )
    return f"{path}?{query}"


def public_steps(application: Application) -> list[dict[str, Any]]:
    """The steps as the citizen sees them: status, time, and only the notes meant for them
    (what is missing, where to collect); an officer's other notes stay on the staff pages."""
    shown = []
    for step in application.steps.all():
        note = step.note if step.status in (Status.RETURNED, Status.READY) else ""
        shown.append(
            {"status": step.status, "label": step.get_status_display(), "at": step.at, "note": note}
        )
    return shown


@require_safe
def lookup(request: HttpRequest) -> HttpResponse:
    """The form to type a receipt code; a typed code (any case, dashes optional) goes to its
    page, a malformed one is said so here."""
    typed = request.GET.get("kode", "")
    error = ""
    if typed:
        code = normal_code(typed)
        if code is not None:
            return redirect("applications:track", code=code)
        error = _("Kode tanda terima terdiri dari 12 huruf dan angka, misalnya 7K3Q-9XM2-PDWA.")
    response = render(
        request,
        "applications/lookup.html",
        {"typed": typed[:40], "error": error},
        status=400 if error else 200,
    )
    return _private(response)


@require_safe
def track(request: HttpRequest, code: str) -> HttpResponse:
    """The application's page: service, agency, steps with times, due date, the clock's stop
    and what is missing, where and when to collect."""
    if _limited(request):
        return _private(render(request, "applications/limited.html", status=429))
    application = track_application(code)
    now = clock.now()
    context = {
        "application": application,
        "steps": public_steps(application),
        "overdue": is_overdue(application, now=now),
        "complaint_link": complaint_link(application),
        "zone": application.mall.zone,
    }
    return _private(render(request, "applications/track.html", context))


@login_required
@require_safe
def receipt(request: HttpRequest, code: str) -> HttpResponse:
    """The printable receipt slip (80 mm): the grouped code, a QR of the tracking page, the
    service, the received and due dates, what to keep. Staff who may work on it only."""
    application = access_application(request.user, code)
    url = request.build_absolute_uri(
        reverse("applications:track", kwargs={"code": application.code})
    )
    context = {
        "application": application,
        "qr": segno.make(url, error="m").svg_inline(scale=3, border=1),
        "tracking_url": url,
        "zone": application.mall.zone,
    }
    return _private(render(request, "applications/receipt.html", context))
