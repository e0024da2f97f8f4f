"""Who may read a mall's applications report (reports.py): every 403/404 of its page.

As the queue's daily report (queueing.access.access_mall_report): the mall's supervisor, and the
regency's administrator, leadership and auditors of the mall's region, read the whole mall.
Besides them, a tenant officer serving at the mall reads their own tenant's lines only: how
their services kept the published time is theirs to know and answer for. Anyone else 403; an
unknown mall 404.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from mpp.accounts.access import staff_profile
from mpp.accounts.models import Role
from mpp.catalog.models import Tenant
from mpp.malls.models import Mall


def access_application_report(user: object, slug: str) -> tuple[Mall, Tenant | None]:
    """The mall of the report and the one tenant the user may read it for (None: all)."""
    mall = Mall.objects.select_related("region").filter(slug=slug).first()
    if mall is None:
        raise Http404(_("Mal tidak ditemukan."))
    profile = staff_profile(user)
    if profile is not None and profile.region_id == mall.region_id:
        if profile.sees_whole_region:
            return mall, None
        if profile.role == Role.MALL_SUPERVISOR and profile.mall_id == mall.pk:
            return mall, None
        if (
            profile.role == Role.TENANT_OFFICER
            and profile.tenant is not None
            and profile.malls.filter(pk=mall.pk).exists()
        ):
            return mall, profile.tenant
    raise PermissionDenied(
        _("Laporan ini untuk pengawas mal, pimpinan daerah, dan petugas instansi di mal ini.")
    )
