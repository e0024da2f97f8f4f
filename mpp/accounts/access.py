"""Who a user is to the platform: their staff profile (or none), and the refusal of non-staff.

Every 403/404 decision about a protected object is made by the access helpers of the app that owns
the object (`malls.access`, `catalog.access`, `queueing.access`...), which ask `staff_profile`
here. A view, an endpoint or an admin page fetches through one of them and never checks roles
itself. Unknown objects are 404 for everyone; known objects outside the user's scope are 403.
`accounts` imports no app above it (docs/adr/0026): a profile's mall, tenant and region are
foreign keys by name, and the one region row this module reads is found by app label.
"""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from mpp.accounts.models import Role, StaffProfile


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
        else apps.get_model("malls", "Region")
        .objects.filter(slug=settings.MPP_REGION)
        .values_list("pk", flat=True)
        .first()
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
