"""Staff sign-in and sign-out: each role lands on its own page; Django's views do the rest."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_safe

from mpp.accounts.access import staff_profile
from mpp.accounts.models import Role


def staff_home_url(user: object) -> str:
    """Where `user`'s work is: the console, the supervisor's mall, the kiosk, or the start page
    of the roles that read reports (regency administrator, leadership, auditor; ADR 0030)."""
    profile = staff_profile(user)
    if profile is None:
        return reverse("admin:index" if getattr(user, "is_superuser", False) else "malls:home")
    if profile.role == Role.TENANT_OFFICER:
        return reverse("queueing:console-home")
    if profile.role == Role.MALL_SUPERVISOR and profile.mall is not None:
        return reverse("queueing:supervisor", kwargs={"slug": profile.mall.slug})
    if profile.role == Role.KIOSK and profile.mall is not None:
        return reverse("queueing:kiosk", kwargs={"slug": profile.mall.slug})
    return reverse("start:home")  # regency administrator, leadership, auditor


@login_required
@require_safe
def staff_home(request: HttpRequest) -> HttpResponse:
    """The "Masuk petugas" link and the landing of a sign-in without `next`."""
    return redirect(staff_home_url(request.user))
