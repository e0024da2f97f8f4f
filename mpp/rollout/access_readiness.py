"""Who may see and change a mall's readiness and status (the rules of mpp.rollout.access, for
one mall): unknown malls are 404; a mall of another region, or a user who does not read the
rollout, 403. Kept beside access.py while the rollout's parts are written at once; the lead
may fold it in."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from mpp.accounts.models import StaffProfile
from mpp.malls.models import Mall
from mpp.rollout.access import access_rollout_editor, access_rollout_reader
from mpp.rollout.models import ReadinessItem


def _mall(*, slug: str | None = None, mall_id: int | None = None) -> Mall:
    qs = Mall.objects.select_related("region", "district")
    mall = qs.filter(slug=slug).first() if slug is not None else qs.filter(pk=mall_id or 0).first()
    if mall is None:
        raise Http404(_("Mal tidak ditemukan."))
    return mall


def _in_region(profile: StaffProfile, mall: Mall) -> None:
    if profile.region_id != mall.region_id:
        raise PermissionDenied(_("Mal ini bukan bagian wilayah Anda."))


def access_readiness_reader(
    user: object, *, slug: str | None = None, mall_id: int | None = None
) -> tuple[StaffProfile, Mall]:
    """A mall's readiness page and evidence: whoever reads the rollout, in the mall's region."""
    mall = _mall(slug=slug, mall_id=mall_id)
    profile = access_rollout_reader(user)
    _in_region(profile, mall)
    return profile, mall


def access_readiness_editor(
    user: object, *, slug: str | None = None, mall_id: int | None = None
) -> tuple[StaffProfile, Mall]:
    """A mall's status, trial day and item plans: DPMPTSP of the mall's region."""
    mall = _mall(slug=slug, mall_id=mall_id)
    profile = access_rollout_editor(user)
    _in_region(profile, mall)
    return profile, mall


def access_item(mall: Mall, item_id: int) -> ReadinessItem:
    """An item of `mall` (404 for an item of another mall)."""
    item = (
        ReadinessItem.objects.select_related("template", "owner", "mall__region", "done_by")
        .filter(pk=item_id, mall=mall)
        .first()
    )
    if item is None:
        raise Http404(_("Butir kesiapan tidak ditemukan."))
    return item
