"""Who may see what of booking: every 403/404 of the pages is decided here.

- A booking's page: whoever holds its secret key (the link shown once booked); unknown: 404.
- A mall's list of the day's bookings: the region's administrator (DPMPTSP), the mall's
  supervisor, and the tenant officers serving at that mall; anyone else 403, unknown mall 404.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from mpp.accounts.access import staff_profile
from mpp.accounts.models import Role
from mpp.appointments.models import Appointment
from mpp.malls.models import Mall


def access_appointment_by_key(access_key: str) -> Appointment:
    found = (
        Appointment.objects.select_related(
            "slot", "mall", "mall__region", "service", "service__tenant"
        )
        .filter(access_key=access_key)
        .first()
        if access_key
        else None
    )
    if found is None:
        raise Http404(_("Janji temu tidak ditemukan."))
    return found


def may_see_bookings(user: object, mall: Mall) -> bool:
    profile = staff_profile(user)
    if profile is None or profile.region_id != mall.region_id:
        return False
    if profile.role == Role.REGENCY_ADMIN:
        return True
    if profile.role == Role.MALL_SUPERVISOR:
        return profile.mall_id == mall.pk
    if profile.role == Role.TENANT_OFFICER:
        return profile.malls.filter(pk=mall.pk).exists()
    return False


def access_bookings_list(user: object, mall_id: int) -> Mall:
    mall = Mall.objects.select_related("region").filter(pk=mall_id).first()
    if mall is None:
        raise Http404(_("Mal tidak ditemukan."))
    if not may_see_bookings(user, mall):
        raise PermissionDenied(_("Anda tidak berwenang melihat janji temu mal ini."))
    return mall
