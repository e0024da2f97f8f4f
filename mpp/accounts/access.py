"""Access helpers: every 403/404 decision about a protected object is made here, once.

A view, an endpoint or an admin page fetches through one of these and never checks roles itself.
Unknown objects are 404 for everyone; known objects outside the user's scope are 403.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from mpp.accounts.models import Role, StaffProfile
from mpp.catalog.models import Service, Tenant
from mpp.malls.models import Mall, Region


def staff_profile(user: object) -> StaffProfile | None:
    """The staff profile of an active, authenticated user, or None (citizens, outsiders).

    A superuser acts as the regency administrator everywhere, pages and API alike: one made with
    `mpp createsuperuser` has no profile, and one may hold a narrower role by mistake. They get
    an unsaved regency administrator's profile of their region (their profile's, else the
    deployment's MPP_REGION); None only while no region is loaded."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return None
    try:
        profile: StaffProfile | None = user.staff_profile  # type: ignore[attr-defined]
    except StaffProfile.DoesNotExist:
        profile = None
    if getattr(user, "is_superuser", False) and (profile is None or not profile.is_regency_admin):
        return _superuser_profile(user, profile)
    return profile


def _superuser_profile(user: object, own: StaffProfile | None) -> StaffProfile | None:
    """The regency administrator's profile a superuser acts with, made once per user object."""
    held = user.__dict__.get("_mpp_superuser_profile")
    if held is not None:
        return held  # type: ignore[no-any-return]
    region_id = (
        own.region_id
        if own is not None
        else Region.objects.filter(slug=settings.MPP_REGION).values_list("pk", flat=True).first()
    )
    if region_id is None:
        return None
    # By id, not `user=`: that would also replace the user's own (cached) staff_profile.
    profile = StaffProfile(
        user_id=user.pk,  # type: ignore[attr-defined]
        role=Role.REGENCY_ADMIN,
        region_id=region_id,
    )
    user.__dict__["_mpp_superuser_profile"] = profile
    return profile


def require_staff(user: object) -> StaffProfile:
    profile = staff_profile(user)
    if profile is None:
        raise PermissionDenied(_("Bukan petugas."))
    return profile


def malls_editable_by(user: object) -> QuerySet[Mall]:
    """Malls whose reference data the user may change: all for a regency admin, one for a
    mall supervisor, none for anyone else."""
    profile = staff_profile(user)
    if profile is None:
        return Mall.objects.none()
    if profile.role == Role.REGENCY_ADMIN:
        return Mall.objects.filter(region_id=profile.region_id)
    if profile.role == Role.MALL_SUPERVISOR:
        return Mall.objects.filter(pk=profile.mall_id or 0)
    return Mall.objects.none()


def malls_visible_to(user: object) -> QuerySet[Mall]:
    """Malls whose staff pages the user may read."""
    profile = staff_profile(user)
    if profile is None:
        return Mall.objects.none()
    if profile.sees_whole_region:
        return Mall.objects.filter(region_id=profile.region_id)
    if profile.role == Role.MALL_SUPERVISOR:
        return Mall.objects.filter(pk=profile.mall_id or 0)
    return profile.malls.all()


def can_edit_mall(user: object, mall: Mall) -> bool:
    return malls_editable_by(user).filter(pk=mall.pk).exists()


def access_mall_for_edit(user: object, mall_id: int) -> Mall:
    """The mall `mall_id` for a change by `user`: 404 if unknown, 403 if outside their scope."""
    mall = Mall.objects.select_related("region", "district").filter(pk=mall_id).first()
    if mall is None:
        raise Http404(_("Mal tidak ditemukan."))
    if not can_edit_mall(user, mall):
        raise PermissionDenied(_("Anda tidak berwenang mengubah mal ini."))
    return mall


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


def access_public_mall(*, mall_id: int | None = None, slug: str | None = None) -> Mall:
    """A mall as shown to citizens: 404 if unknown."""
    qs = Mall.objects.select_related("region", "district")
    mall = qs.filter(pk=mall_id).first() if mall_id is not None else qs.filter(slug=slug).first()
    if mall is None:
        raise Http404(_("Mal tidak ditemukan."))
    return mall
