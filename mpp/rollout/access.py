"""Who may see and change what of the Mini MPP rollout (docs/adr/0031).

- DPMPTSP (the regency administrator) edits everything: checklists, status, roster, training.
- An agency liaison (Dinas PU, BKPSDM, Diskominfo, a camat) reads the rollout and updates the
  items its agency owns (a camat: only in its own kecamatan).
- BKPSDM (an agency that `manages_staff`) and DPMPTSP see and edit the staff roster's personal
  data; everybody else who reads the rollout sees counts only.
- Leadership and auditors read the board, the API and the PDF.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from mpp.accounts.access import staff_profile
from mpp.accounts.models import Role, StaffProfile
from mpp.malls.models import Mall
from mpp.rollout.models import AgencyMember, Assignment, ReadinessItem, StaffMember

READERS = {Role.REGENCY_ADMIN, Role.LEADERSHIP, Role.AUDITOR, Role.AGENCY_LIAISON}


def agency_member(user: object) -> AgencyMember | None:
    """The agency a liaison acts for (None for any other user)."""
    if not getattr(user, "is_authenticated", False):
        return None
    user_id = getattr(user, "pk", None)
    if user_id is None:
        return None
    return AgencyMember.objects.select_related("agency", "district").filter(user_id=user_id).first()


def access_rollout_reader(user: object) -> StaffProfile:
    """The board, the API and the PDF: DPMPTSP, leadership, auditors, agency liaisons."""
    profile = staff_profile(user)
    if profile is None or profile.role not in READERS:
        raise PermissionDenied(
            _("Data persiapan Mini MPP hanya untuk DPMPTSP, instansi mitra, dan pimpinan.")
        )
    return profile


def access_rollout_editor(user: object) -> StaffProfile:
    """Checklists, due dates, status changes, training records: DPMPTSP only."""
    profile = staff_profile(user)
    if profile is None or not profile.is_regency_admin:
        raise PermissionDenied(_("Hanya administrator DPMPTSP yang dapat mengubah data ini."))
    return profile


def may_update_item(user: object, item: ReadinessItem) -> bool:
    """DPMPTSP, or a liaison of the item's owner agency (a camat: in its own kecamatan)."""
    profile = staff_profile(user)
    if profile is None:
        return False
    if profile.is_regency_admin:
        return True
    member = agency_member(user)
    if member is None or profile.role != Role.AGENCY_LIAISON or member.agency_id != item.owner_id:
        return False
    return member.district_id is None or member.district_id == item.mall.district_id


def sees_staff_personal_data(user: object) -> bool:
    """Names, NIP and domicile of the roster: DPMPTSP and BKPSDM only."""
    profile = staff_profile(user)
    if profile is None:
        return False
    if profile.is_regency_admin:
        return True
    member = agency_member(user)
    return (
        profile.role == Role.AGENCY_LIAISON and member is not None and member.agency.manages_staff
    )


def access_staff_editor(user: object) -> StaffProfile:
    """The roster's records: DPMPTSP and BKPSDM (403 for everybody else)."""
    profile = staff_profile(user)
    if profile is None or not sees_staff_personal_data(user):
        raise PermissionDenied(_("Data pegawai Mini MPP hanya untuk DPMPTSP dan BKPSDM."))
    return profile


# --- the staff roster (rollout.roster; added by the roster's part) -----------------------------


def access_staff_member(user: object, member_id: int) -> tuple[StaffProfile, StaffMember]:
    """A roster member for DPMPTSP or BKPSDM: 403 for anybody else, 404 if unknown or of
    another region (its existence is no business of another regency)."""
    profile = access_staff_editor(user)
    member = (
        StaffMember.objects.select_related("domicile_village__district", "region")
        .filter(pk=member_id, region_id=profile.region_id)
        .first()
    )
    if member is None:
        raise Http404(_("Pegawai tidak ditemukan."))
    return profile, member


def access_roster_mall(user: object, mall_id: int) -> tuple[StaffProfile, Mall]:
    """A Mini MPP of the editor's region, for its staff list (404 for any other mall)."""
    profile = access_staff_editor(user)
    mall = (
        Mall.objects.select_related("district", "region")
        .filter(pk=mall_id, region_id=profile.region_id, kind=Mall.Kind.MINI_MPP)
        .first()
    )
    if mall is None:
        raise Http404(_("Mini MPP tidak ditemukan."))
    return profile, mall


def access_assignment(user: object, assignment_id: int) -> tuple[StaffProfile, Assignment]:
    """A posting of the editor's region (404 if unknown or of another region)."""
    profile = access_staff_editor(user)
    assignment = (
        Assignment.objects.select_related("member", "mall")
        .filter(pk=assignment_id, member__region_id=profile.region_id)
        .first()
    )
    if assignment is None:
        raise Http404(_("Penugasan tidak ditemukan."))
    return profile, assignment
