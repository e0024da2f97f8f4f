"""Who may read, enter and export survey results: every 403/404 decision of the survey.

Results are aggregates; nobody reads a single response back with the ticket it rated (there is
no such link). Raw anonymised rows (the audit export) go only to those who answer for the whole
mall or regency — not to a tenant's officers, who could match a small tenant's rows (day, age,
sex) to the citizens they served.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from mpp.accounts.access import staff_profile
from mpp.accounts.models import Role
from mpp.catalog.models import Service, Tenant
from mpp.malls.models import Mall
from mpp.surveys.models import FollowUpAction
from mpp.surveys.queries import Scope


def _mall(mall_id: int) -> Mall:
    mall = Mall.objects.select_related("region").filter(pk=mall_id).first()
    if mall is None:
        raise Http404(_("Mal tidak ditemukan."))
    return mall


def _tenant(tenant_id: int) -> Tenant:
    tenant = Tenant.objects.filter(pk=tenant_id).first()
    if tenant is None:
        raise Http404(_("Instansi tidak ditemukan."))
    return tenant


def _service(service_id: int, tenant: Tenant | None) -> Service:
    """A service of `tenant` (any tenant's when None); 404 otherwise."""
    service = Service.objects.select_related("tenant").filter(pk=service_id).first()
    if service is None or (tenant is not None and service.tenant_id != tenant.pk):
        raise Http404(_("Layanan tidak ditemukan."))
    return service


def access_results(
    user: object,
    *,
    mall_id: int | None = None,
    tenant_id: int | None = None,
    service_id: int | None = None,
) -> Scope:
    """The scope of survey results `user` asks for: the regency (no mall), a mall, or a tenant
    (or one of its services) at a mall. Regency admins, leadership and auditors read the whole
    regency; a supervisor their mall; a tenant officer their tenant at the malls they serve."""
    profile = staff_profile(user)
    if profile is None or profile.role == Role.KIOSK:
        raise PermissionDenied(_("Hasil survei hanya untuk petugas."))
    mall = _mall(mall_id) if mall_id is not None else None
    tenant = _tenant(tenant_id) if tenant_id is not None else None
    if service_id is not None:
        service = _service(service_id, tenant)
        scope = access_results(user, mall_id=mall_id, tenant_id=service.tenant_id)
        return Scope(region=scope.region, mall=scope.mall, tenant=scope.tenant, service=service)
    if profile.sees_whole_region:
        if mall is not None and mall.region_id != profile.region_id:
            raise PermissionDenied(_("Mal ini di luar wilayah Anda."))
        if tenant is not None and tenant.region_id != profile.region_id:
            raise PermissionDenied(_("Instansi ini di luar wilayah Anda."))
        region = profile.region if mall is None else None
        return Scope(region=region, mall=mall, tenant=tenant)
    if profile.role == Role.MALL_SUPERVISOR:
        mall = mall or _mall(profile.mall_id or 0)
        if mall.pk != profile.mall_id:
            raise PermissionDenied(_("Anda hanya dapat melihat hasil survei mal Anda."))
        return Scope(mall=mall, tenant=tenant)
    if profile.role == Role.TENANT_OFFICER:
        if tenant is not None and tenant.pk != profile.tenant_id:
            raise PermissionDenied(_("Anda hanya dapat melihat hasil survei instansi Anda."))
        if mall is None or not profile.malls.filter(pk=mall.pk).exists():
            raise PermissionDenied(_("Pilih mal tempat Anda bertugas."))
        return Scope(mall=mall, tenant=tenant or profile.tenant)
    raise PermissionDenied(_("Hasil survei hanya untuk petugas."))


def access_raw_export(
    user: object, *, mall_id: int | None = None, tenant_id: int | None = None
) -> Scope:
    """The scope of an audit export of raw anonymised responses: auditors and regency admins
    for the regency or any of its malls, a supervisor for their mall; never a tenant officer."""
    profile = staff_profile(user)
    if profile is None or profile.role not in (
        Role.AUDITOR,
        Role.REGENCY_ADMIN,
        Role.MALL_SUPERVISOR,
        Role.LEADERSHIP,
    ):
        raise PermissionDenied(_("Ekspor data mentah survei hanya untuk auditor dan pengelola."))
    return access_results(user, mall_id=mall_id, tenant_id=tenant_id)


def access_entry(user: object, mall_id: int) -> Mall:
    """The mall whose paper forms `user` may type in or import, and whose follow-up plan they
    keep: its supervisor, or a regency admin of its region."""
    mall = _mall(mall_id)
    profile = staff_profile(user)
    if profile is None:
        raise PermissionDenied(_("Hanya petugas yang dapat mengisi data survei."))
    if profile.role == Role.REGENCY_ADMIN and profile.region_id == mall.region_id:
        return mall
    if profile.role == Role.MALL_SUPERVISOR and profile.mall_id == mall.pk:
        return mall
    raise PermissionDenied(_("Anda tidak berwenang mengisi data survei mal ini."))


def default_results_mall(user: object) -> int | None:
    """The mall a results page opens on when none is asked for: none (the whole regency) for
    those who read the regency, a supervisor's mall, a tenant officer's first mall."""
    profile = staff_profile(user)
    if profile is None or profile.sees_whole_region:
        return None
    if profile.role == Role.MALL_SUPERVISOR:
        return profile.mall_id
    if profile.role == Role.TENANT_OFFICER:
        first = profile.malls.order_by("pk").values_list("pk", flat=True).first()
        return first
    return None


def access_follow_up(user: object, line_id: int) -> FollowUpAction:
    """A follow-up plan line for a change by `user`: 404 if unknown, 403 unless they keep the
    plan of its mall (`access_entry`)."""
    line = FollowUpAction.objects.select_related("mall").filter(pk=line_id).first()
    if line is None:
        raise Http404(_("Rencana tindak lanjut tidak ditemukan."))
    access_entry(user, line.mall_id)
    return line
