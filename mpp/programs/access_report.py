"""Who may open a programme's draw pages and its report (every 403/404 of those pages).

- The public draw page: anyone, for a programme that is not a draft (a draft is 404).
- Managing the draw (publish, draw): the regency administrator of the programme's region and
  the supervisor of the programme's mall (the organisers on the day).
- The report: those, plus leadership and auditors of the region and the officers of the
  programme's KUA (the Ministry of Religious Affairs' side).
Unknown programmes are 404 for everyone; known ones outside the person's scope 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from mpp.accounts.access import staff_profile
from mpp.accounts.models import Role, StaffProfile
from mpp.programs.models import KuaOfficer, Programme


def _programme(slug: str) -> Programme:
    found = Programme.objects.select_related("region", "kua", "mall").filter(slug=slug).first()
    if found is None:
        raise Http404(_("Program tidak ditemukan."))
    return found


def _kua_id_of(user: object) -> int | None:
    user_id = getattr(user, "pk", None)
    if user_id is None:
        return None
    return KuaOfficer.objects.filter(user_id=user_id).values_list("kua_id", flat=True).first()


def manages_draw(profile: StaffProfile | None, programme: Programme) -> bool:
    """The regency administrator of the region, or the supervisor of the programme's mall."""
    if profile is None or profile.region_id != programme.region_id:
        return False
    if profile.is_regency_admin:
        return True
    return profile.role == Role.MALL_SUPERVISOR and profile.mall_id == programme.mall_id


def reads_report(user: object, profile: StaffProfile | None, programme: Programme) -> bool:
    """The draw's managers, leadership and auditors of the region, the programme's KUA."""
    if profile is None or profile.region_id != programme.region_id:
        return False
    if manages_draw(profile, programme) or profile.sees_whole_region:
        return True
    return profile.role == Role.KUA_OFFICER and _kua_id_of(user) == programme.kua_id


def programmes_readable_by(user: object) -> QuerySet[Programme]:
    """The programmes whose report (and admin rows) `user` may read: one rule for both."""
    profile = staff_profile(user)
    if profile is None:
        return Programme.objects.none()
    in_region = Programme.objects.filter(region_id=profile.region_id)
    if profile.sees_whole_region:
        return in_region
    if profile.role == Role.MALL_SUPERVISOR:
        return in_region.filter(mall_id=profile.mall_id or 0)
    if profile.role == Role.KUA_OFFICER:
        return in_region.filter(kua_id=_kua_id_of(user) or 0)
    return Programme.objects.none()


def access_draw_manager(user: object, slug: str) -> tuple[StaffProfile, Programme]:
    """The draw's staff page: 404 unknown programme, 403 anybody but its organisers."""
    found = _programme(slug)
    profile = staff_profile(user)
    if profile is None or not manages_draw(profile, found):
        raise PermissionDenied(
            _("Undian hanya dikelola oleh DPMPTSP dan pengawas mal penyelenggara.")
        )
    return profile, found


def access_report_reader(user: object, slug: str) -> tuple[StaffProfile, Programme]:
    """The programme's report (page, PDF, XLSX): 404 unknown, 403 outside its readers."""
    found = _programme(slug)
    profile = staff_profile(user)
    if profile is None or not reads_report(user, profile, found):
        raise PermissionDenied(
            _(
                "Laporan program hanya untuk DPMPTSP, pimpinan, auditor, pengawas mal "
                "penyelenggara, dan petugas KUA pencatat."
            )
        )
    return profile, found
