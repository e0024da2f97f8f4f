"""Who may see and work on complaints: every 403/404 of complaints' pages is decided here.

- A complaint's public page: whoever holds its tracking code; unknown: 404.
- Verifying or dismissing (and closing): the supervisor of the complaint's mall, and the
  regency administrator (DPMPTSP) of its region. A complaint that names no mall belongs to
  the regency administrator of the deployment's region (settings.MPP_REGION).
- Answering: the officers of the tenant it was assigned to (once verified) at its mall, and
  whoever may verify it.
- Reports: a mall's for its supervisor and for the region's administrator, leadership and
  auditors; the regency's (every mall, and complaints with no mall) for the last three only.

Unknown objects are 404 for everyone; known ones outside the user's scope are 403.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from mpp.accounts.access import staff_profile
from mpp.accounts.models import Role, StaffProfile
from mpp.complaints.models import CODE_LENGTH, Complaint
from mpp.malls.models import Mall, Region


def normalised_code(code: str) -> str:
    """A tracking code as typed (grouped with dashes or spaces, lower case) as stored."""
    return "".join(ch for ch in code if ch not in "- ").upper()


def access_complaint_by_code(code: str) -> Complaint:
    """The complaint of a tracking code (its public page and API); 404 for anything else."""
    wanted = normalised_code(code)
    found = (
        Complaint.objects.select_related("mall", "mall__region", "tenant", "service")
        .filter(code=wanted)
        .first()
        if len(wanted) == CODE_LENGTH
        else None
    )
    if found is None:
        raise Http404(_("Pengaduan tidak ditemukan."))
    return found


def deployment_region() -> Region | None:
    """The region whose administrator owns complaints that name no mall: settings.MPP_REGION,
    or, while that region is not loaded (a test database, a deployment being set up), the
    first region loaded. None only while no region is loaded at all."""
    return (
        Region.objects.filter(slug=settings.MPP_REGION).first()
        or Region.objects.order_by("pk").first()
    )


def region_id_of(complaint: Complaint) -> int | None:
    if complaint.mall is not None:
        return complaint.mall.region_id
    region = deployment_region()
    return region.pk if region is not None else None


def _owns_mall_less(profile: StaffProfile) -> bool:
    region = deployment_region()
    return region is not None and profile.region_id == region.pk


def may_verify(user: object, complaint: Complaint) -> bool:
    """The complaint's mall supervisor, or the regency administrator of its region."""
    profile = staff_profile(user)
    if profile is None:
        return False
    if profile.role == Role.REGENCY_ADMIN:
        return profile.region_id == region_id_of(complaint)
    if profile.role == Role.MALL_SUPERVISOR:
        return complaint.mall_id is not None and profile.mall_id == complaint.mall_id
    return False


def may_answer(user: object, complaint: Complaint) -> bool:
    """An officer of the assigned tenant serving at the complaint's mall (once verified), or
    whoever may verify it."""
    profile = staff_profile(user)
    if profile is None:
        return False
    if profile.role == Role.TENANT_OFFICER:
        if complaint.verified_at is None or profile.tenant_id != complaint.tenant_id:
            return False
        if complaint.mall_id is None:
            return profile.region_id == region_id_of(complaint)
        return profile.malls.filter(pk=complaint.mall_id).exists()
    return may_verify(user, complaint)


def complaints_for(user: object) -> QuerySet[Complaint]:
    """The complaints on a staff member's list (the same people as `may_answer`)."""
    profile = staff_profile(user)
    rows = Complaint.objects.select_related("mall", "tenant", "service")
    if profile is None:
        return rows.none()
    if profile.role == Role.REGENCY_ADMIN:
        mine = Q(mall__region_id=profile.region_id)
        if _owns_mall_less(profile):
            mine |= Q(mall__isnull=True)
        return rows.filter(mine)
    if profile.role == Role.MALL_SUPERVISOR:
        return rows.filter(mall_id=profile.mall_id or 0)
    if profile.role == Role.TENANT_OFFICER:
        where = Q(mall__in=profile.malls.all())
        if _owns_mall_less(profile):
            where |= Q(mall__isnull=True)
        return rows.filter(where, tenant_id=profile.tenant_id or 0, verified_at__isnull=False)
    return rows.none()


def may_see_list(user: object) -> bool:
    profile = staff_profile(user)
    return profile is not None and profile.role in (
        Role.REGENCY_ADMIN,
        Role.MALL_SUPERVISOR,
        Role.TENANT_OFFICER,
    )


def access_complaint_list(user: object) -> StaffProfile:
    """The staff list's reader: 403 for roles that work on no complaint."""
    if not may_see_list(user):
        raise PermissionDenied(_("Anda tidak menangani pengaduan."))
    profile = staff_profile(user)
    assert profile is not None
    return profile


def _complaint(complaint_id: int) -> Complaint:
    found = (
        Complaint.objects.select_related("mall", "mall__region", "tenant", "service")
        .filter(pk=complaint_id)
        .first()
    )
    if found is None:
        raise Http404(_("Pengaduan tidak ditemukan."))
    return found


def access_complaint_for_staff(user: object, complaint_id: int) -> Complaint:
    """A complaint a staff member may read and reply to; 404 unknown, 403 out of scope."""
    found = _complaint(complaint_id)
    if not may_answer(user, found):
        raise PermissionDenied(_("Pengaduan ini bukan wewenang Anda."))
    return found


def access_complaint_to_verify(user: object, complaint_id: int) -> Complaint:
    """A complaint the user may verify, dismiss or close; 404 unknown, 403 out of scope."""
    found = _complaint(complaint_id)
    if not may_verify(user, found):
        raise PermissionDenied(_("Hanya pengawas mal dan administrator kabupaten."))
    return found


def may_read_report(user: object, mall: Mall | None) -> bool:
    profile = staff_profile(user)
    if profile is None:
        return False
    if mall is None:
        return profile.sees_whole_region
    if profile.region_id != mall.region_id:
        return False
    if profile.sees_whole_region:
        return True
    return profile.role == Role.MALL_SUPERVISOR and profile.mall_id == mall.pk


def access_report(user: object, mall_id: int | None) -> tuple[Region, Mall | None]:
    """The region and mall (None: the whole regency) of a complaints report; 404 unknown mall,
    403 out of scope."""
    mall = None
    if mall_id is not None:
        mall = Mall.objects.select_related("region").filter(pk=mall_id).first()
        if mall is None:
            raise Http404(_("Mal tidak ditemukan."))
    if not may_read_report(user, mall):
        raise PermissionDenied(_("Anda tidak berwenang membaca laporan pengaduan ini."))
    if mall is not None:
        return mall.region, mall
    profile = staff_profile(user)
    assert profile is not None
    return Region.objects.get(pk=profile.region_id), None


def report_malls(user: object) -> QuerySet[Mall]:
    """The malls whose complaints report the user may open (the report page's choices)."""
    profile = staff_profile(user)
    if profile is None:
        return Mall.objects.none()
    if profile.sees_whole_region:
        return Mall.objects.filter(region_id=profile.region_id)
    if profile.role == Role.MALL_SUPERVISOR:
        return Mall.objects.filter(pk=profile.mall_id or 0)
    return Mall.objects.none()


def default_report_mall_id(user: object) -> int | None:
    """The report's mall when none is asked: a supervisor's own; None (the regency) else."""
    profile = staff_profile(user)
    if profile is not None and profile.role == Role.MALL_SUPERVISOR:
        return profile.mall_id
    return None
