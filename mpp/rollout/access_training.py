"""Who may see and change the operator training's records (issue 19, item 4).

DPMPTSP (the regency administrator) edits sessions, attendance, scores and certificates;
BKPSDM (an agency that manages staff) reads them, since they are the staff's personal records;
nobody else sees them. Objects of another region are 404. The public verification page
(/sertifikat/<code>/) needs no access: it finds a certificate by its random code only.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from mpp.accounts.models import StaffProfile
from mpp.rollout.access import access_rollout_editor, access_staff_editor
from mpp.rollout.models import Certificate, StaffMember, TrainingSession


def access_training(user: object, *, edit: bool = False) -> StaffProfile:
    """Reading: DPMPTSP and BKPSDM (403 otherwise); editing: DPMPTSP only."""
    return access_rollout_editor(user) if edit else access_staff_editor(user)


def access_training_session(
    user: object, session_id: int, *, edit: bool = False
) -> tuple[StaffProfile, TrainingSession]:
    """A session of the user's region (404 for another region's or an unknown one)."""
    profile = access_training(user, edit=edit)
    session = (
        TrainingSession.objects.select_related("venue", "region")
        .filter(pk=session_id, region_id=profile.region_id)
        .first()
    )
    if session is None:
        raise Http404(_("Sesi pelatihan tidak ditemukan."))
    return profile, session


def access_training_member(
    user: object, member_id: int, *, edit: bool = False
) -> tuple[StaffProfile, StaffMember]:
    """A staff member of the user's region (404 otherwise)."""
    profile = access_training(user, edit=edit)
    member = StaffMember.objects.filter(pk=member_id, region_id=profile.region_id).first()
    if member is None:
        raise Http404(_("Pegawai tidak ditemukan."))
    return profile, member


def access_certificate(user: object, certificate_id: int) -> Certificate:
    """A certificate of the user's region, to download (404 otherwise)."""
    profile = access_training(user)
    certificate = (
        Certificate.objects.select_related("member", "session__venue", "session__region")
        .filter(pk=certificate_id, session__region_id=profile.region_id)
        .first()
    )
    if certificate is None:
        raise Http404(_("Sertifikat tidak ditemukan."))
    return certificate
