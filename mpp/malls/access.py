"""Access helpers of the malls: which malls a user may read or change, and a mall as citizens see
it. Every 403/404 about a mall is decided here, once (the profile comes from `accounts.access`).
Unknown malls are 404 for everyone; known ones outside the user's scope are 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from mpp.accounts.access import staff_profile
from mpp.accounts.models import Role
from mpp.malls.models import Mall


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


def access_public_mall(*, mall_id: int | None = None, slug: str | None = None) -> Mall:
    """A mall as shown to citizens: 404 if unknown."""
    qs = Mall.objects.select_related("region", "district")
    mall = qs.filter(pk=mall_id).first() if mall_id is not None else qs.filter(slug=slug).first()
    if mall is None:
        raise Http404(_("Mal tidak ditemukan."))
    return mall
