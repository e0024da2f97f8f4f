"""`/petugas/mulai/`: the start page of every staff role but the kiosk device (ADR 0030)."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from mpp.accounts.access import require_staff
from mpp.accounts.models import Role
from mpp.core import clock
from mpp.start.links import start_page


@login_required
@require_safe
def start(request: HttpRequest) -> HttpResponse:
    """What the signed-in staff member's role is for and every report it may open."""
    profile = require_staff(request.user)
    if profile.role == Role.KIOSK:
        raise PermissionDenied(_("Perangkat kios hanya membuka halaman kios."))
    page = start_page(request.user, profile, today=timezone.localdate(clock.now()))
    context = {"page": page, "admin_open": admin.site.has_permission(request)}
    return render(request, "start/start.html", context)
