"""Access helpers of the catalogue: which tenants a user may read or change, and a published
service as anyone sees it. Every 403/404 about a tenant or a service is decided here, once.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from mpp.accounts.access import staff_profile
from mpp.accounts.models import Role
from mpp.catalog.models import Service, Tenant


def tenants_editable_by(user: object) -> QuerySet[Tenant]:
    """Tenants and their published standards: changed by the regency administrator only."""
    profile = staff_profile(user)
    if profile is not None and profile.role == Role.REGENCY_ADMIN:
        return Tenant.objects.filter(region_id=profile.region_id)
    return Tenant.objects.none()


def tenants_visible_to(user: object) -> QuerySet[Tenant]:
    profile = staff_profile(user)
    if profile is None:
        return Tenant.objects.none()
    if profile.role == Role.TENANT_OFFICER:
        return Tenant.objects.filter(pk=profile.tenant_id or 0)
    return Tenant.objects.filter(region_id=profile.region_id)


def access_service(service_id: int) -> Service:
    """A published service for anyone: 404 if unknown or withdrawn."""
    service = Service.objects.active().select_related("tenant").filter(pk=service_id).first()
    if service is None:
        raise Http404(_("Layanan tidak ditemukan."))
    return service
