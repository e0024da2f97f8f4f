"""Who may see and move an application: every 403/404 of its staff pages and API is here.

- The public tracking page and API: whoever holds the receipt code (unguessable; the pages
  are rate-limited per address); an unknown or malformed code is a 404 that says nothing.
- Working on one (opening, moving, printing its slip, the staff pages): the officers of the
  service's tenant serving at that mall, the mall's supervisor, and the regency administrator
  of the mall's region. Anyone else 403; unknown 404.
"""

from __future__ import annotations

import re

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from mpp.accounts.access import staff_profile
from mpp.accounts.models import Role
from mpp.applications.models import CODE_ALPHABET, CODE_LENGTH, Application
from mpp.catalog.models import Service, Tenant
from mpp.malls.models import Mall

_CODE = re.compile(f"[{CODE_ALPHABET}]{{{CODE_LENGTH}}}")


def normal_code(typed: str) -> str | None:
    """The code as stored from what a citizen typed ("7k3q-9xm2 pdwa"), or None when it cannot
    be one (wrong length or letters): answered as unknown without a query."""
    code = re.sub(r"[\s\-.]", "", typed or "").upper()
    return code if _CODE.fullmatch(code) else None


def _by_code(code: str) -> Application | None:
    normal = normal_code(code)
    if normal is None:
        return None
    return (
        Application.objects.select_related("mall", "mall__region", "service", "service__tenant")
        .filter(code=normal)
        .first()
    )


def track_application(code: str) -> Application:
    """The application of a receipt code, for its public page (404 when there is none)."""
    found = _by_code(code)
    if found is None:
        raise Http404(_("Permohonan dengan kode itu tidak ditemukan."))
    return found


def may_work_on(user: object, mall: Mall, tenant: Tenant) -> bool:
    """An officer of `tenant` serving at `mall`, the mall's supervisor, the regency admin."""
    profile = staff_profile(user)
    if profile is None or profile.region_id != mall.region_id:
        return False
    if profile.role == Role.REGENCY_ADMIN:
        return True
    if profile.role == Role.MALL_SUPERVISOR:
        return profile.mall_id == mall.pk
    if profile.role == Role.TENANT_OFFICER:
        return profile.tenant_id == tenant.pk and profile.malls.filter(pk=mall.pk).exists()
    return False


def access_application(user: object, code: str) -> Application:
    """An application the user may work on (404 unknown, 403 outside their scope)."""
    found = _by_code(code)
    if found is None:
        raise Http404(_("Permohonan tidak ditemukan."))
    if not may_work_on(user, found.mall, found.service.tenant):
        raise PermissionDenied(_("Anda tidak berwenang menangani permohonan ini."))
    return found


def access_opening(user: object, *, mall_id: int, service_id: int) -> tuple[Mall, Service]:
    """The mall and service of a new application the user may open (404 unknown, 403 not
    theirs). Whether the mall offers the service is the action's rule (400 not_offered)."""
    mall = Mall.objects.select_related("region").filter(pk=mall_id).first()
    if mall is None:
        raise Http404(_("Mal tidak ditemukan."))
    service = Service.objects.select_related("tenant").filter(pk=service_id).first()
    if service is None:
        raise Http404(_("Layanan tidak ditemukan."))
    if not may_work_on(user, mall, service.tenant):
        raise PermissionDenied(_("Anda tidak berwenang menerima berkas layanan ini di mal ini."))
    return mall, service


def workable_malls(user: object) -> QuerySet[Mall]:
    """The malls whose applications the user may work on (some of them, for an officer)."""
    profile = staff_profile(user)
    malls = Mall.objects.select_related("region")
    if profile is None:
        return malls.none()
    if profile.role == Role.REGENCY_ADMIN:
        return malls.filter(region_id=profile.region_id)
    if profile.role == Role.MALL_SUPERVISOR:
        return malls.filter(pk=profile.mall_id) if profile.mall_id else malls.none()
    if profile.role == Role.TENANT_OFFICER:
        return malls.filter(pk__in=profile.malls.values("pk"), region_id=profile.region_id)
    return malls.none()


def workable_tenants(user: object, mall: Mall) -> QuerySet[Tenant]:
    """The tenants at `mall` whose applications the user may work on."""
    profile = staff_profile(user)
    # Present at the mall, or with a service offered there (a Mini MPP's front desk takes
    # services of tenants that have no counter of their own there).
    at_mall = Tenant.objects.filter(
        Q(mall_tenants__mall=mall) | Q(services__offerings__mall=mall)
    ).distinct()
    if profile is None or not workable_malls(user).filter(pk=mall.pk).exists():
        return at_mall.none()
    if profile.role == Role.TENANT_OFFICER:
        return at_mall.filter(pk=profile.tenant_id) if profile.tenant_id else at_mall.none()
    return at_mall
