"""Who may see what of investment data. Aggregates are public; company lists and imports are
for DPMPTSP staff: the regency administrator changes, leadership and auditors read."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from mpp.accounts.access import staff_profile
from mpp.accounts.models import StaffProfile
from mpp.malls.models import Region


def public_region() -> Region:
    """The installation's region, whose aggregates anyone may read."""
    region = Region.objects.filter(slug=settings.MPP_REGION).first()
    if region is None:
        raise Http404(_("Wilayah belum dimuat."))
    return region


def access_investment_reader(user: object) -> StaffProfile:
    """Company-level figures: the regency administrator, leadership and auditors (403 else)."""
    profile = staff_profile(user)
    if profile is None or not profile.sees_whole_region:
        raise PermissionDenied(_("Data perusahaan hanya untuk petugas DPMPTSP dan pimpinan."))
    return profile


def access_investment_editor(user: object) -> StaffProfile:
    """Imports, targets and classification: the regency administrator (DPMPTSP) only."""
    profile = staff_profile(user)
    if profile is None or not profile.is_regency_admin:
        raise PermissionDenied(_("Hanya administrator DPMPTSP yang dapat mengubah data investasi."))
    return profile
