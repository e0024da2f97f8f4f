"""Who may see and act on a programme's couples at the KUA, on the ceremony day, and in
Disdukcapil's follow-up (issue 20, items 3, 5, 7 and 9).

- A KUA officer (role kua_officer with a KuaOfficer row) sees and works the programmes whose
  `kua` is theirs, and those programmes' registrations; only they read the couples' NIKs and
  uploaded files (UU 27/2022: the officers who process the couple).
- The regency administrator (DPMPTSP) reads every programme of the region, NIKs masked.
- A Disdukcapil officer (tenant officer of the programme's `civil_registry_tenant` serving at
  the programme's mall) and the regency administrator see the civil follow-up; both work it.
- Everybody else: 403. Unknown programmes, codes, documents and tasks: 404.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from mpp.accounts.access import staff_profile
from mpp.accounts.models import Role, StaffProfile
from mpp.programs.models import CivilTask, Document, KuaOfficer, Programme, Registration


@dataclass(frozen=True)
class KuaScope:
    """Who is asking: a KUA's officer (`kua_id` set) or the region's administrator."""

    profile: StaffProfile
    kua_id: int | None

    @property
    def is_kua_officer(self) -> bool:
        return self.kua_id is not None


def kua_scope(user: object) -> KuaScope:
    """A KUA officer with their KUA, or the regency administrator; 403 for anyone else."""
    profile = staff_profile(user)
    if profile is not None and profile.role == Role.KUA_OFFICER:
        officer = KuaOfficer.objects.filter(user_id=profile.user_id).first()
        if officer is not None:
            return KuaScope(profile, officer.kua_id)
    if profile is not None and profile.is_regency_admin:
        return KuaScope(profile, None)
    raise PermissionDenied(_("Halaman ini hanya untuk petugas KUA dan administrator kabupaten."))


def programmes_for(scope: KuaScope) -> QuerySet[Programme]:
    """The programmes `scope` sees: their KUA's, or the whole region's."""
    found = Programme.objects.filter(region_id=scope.profile.region_id)
    if scope.kua_id is not None:
        found = found.filter(kua_id=scope.kua_id)
    return found.select_related("kua", "mall__region", "region")


def _programme_in(scope: KuaScope, slug: str) -> Programme:
    programme = (
        Programme.objects.select_related("kua", "mall__region", "region").filter(slug=slug).first()
    )
    if programme is None:
        raise Http404(_("Program tidak ditemukan."))
    if programme.region_id != scope.profile.region_id or (
        scope.kua_id is not None and programme.kua_id != scope.kua_id
    ):
        raise PermissionDenied(_("Program ini dicatat oleh KUA lain."))
    return programme


def access_kua_programme(user: object, slug: str, *, act: bool = False) -> Programme:
    """A programme of the officer's KUA (or of the administrator's region, reading only:
    `act` asks for a KUA officer, who alone verifies, schedules and marries)."""
    scope = kua_scope(user)
    programme = _programme_in(scope, slug)
    if act and not scope.is_kua_officer:
        raise PermissionDenied(_("Hanya petugas KUA pencatat yang dapat melakukan langkah ini."))
    return programme


def access_kua_registration(
    user: object, slug: str, code: str, *, act: bool = False
) -> Registration:
    """A registration of a programme the user may see (404 if unknown in that programme)."""
    programme = access_kua_programme(user, slug, act=act)
    registration = (
        Registration.objects.select_related("session", "programme__kua", "programme__mall__region")
        .filter(programme=programme, code=code.upper())
        .first()
    )
    if registration is None:
        raise Http404(_("Pendaftaran tidak ditemukan."))
    return registration


def access_kua_document(user: object, slug: str, code: str, document_id: int) -> Document:
    """A document of a registration, for its KUA's officers only: its file holds personal data
    (the administrator reads the checklist, not the files)."""
    registration = access_kua_registration(user, slug, code, act=True)
    document = Document.objects.filter(pk=document_id, registration=registration).first()
    if document is None:
        raise Http404(_("Dokumen tidak ditemukan."))
    document.registration = registration
    return document


def reads_niks(user: object, programme: Programme) -> bool:
    """Whether the user processes this programme's couples at the KUA (and may reveal NIKs)."""
    try:
        access_kua_programme(user, programme.slug, act=True)
    except (PermissionDenied, Http404):
        return False
    return True


# --- Disdukcapil's follow-up ------------------------------------------------------------------


def _civil_profile(user: object, programme: Programme) -> StaffProfile:
    profile = staff_profile(user)
    if profile is None:
        raise PermissionDenied(_("Halaman ini hanya untuk petugas Disdukcapil."))
    if profile.region_id != programme.region_id:
        raise PermissionDenied(_("Program ini bukan bagian wilayah Anda."))
    is_officer = (
        profile.role == Role.TENANT_OFFICER
        and programme.civil_registry_tenant_id is not None
        and profile.tenant_id == programme.civil_registry_tenant_id
        # Those who serve at the event's mall: the ones who process the couples (and so may
        # read their NIKs), not every Disdukcapil officer of the regency.
        and profile.malls.filter(pk=programme.mall_id).exists()
    )
    if not is_officer and not profile.is_regency_admin:
        raise PermissionDenied(_("Halaman ini hanya untuk petugas Disdukcapil."))
    return profile


def access_civil_programme(user: object, slug: str) -> tuple[StaffProfile, Programme]:
    """A programme's civil follow-up: officers of its civil-registry tenant and the region's
    administrator (403 otherwise; 404 for an unknown programme)."""
    programme = (
        Programme.objects.select_related("region", "mall__region", "civil_registry_tenant")
        .filter(slug=slug)
        .first()
    )
    if programme is None:
        raise Http404(_("Program tidak ditemukan."))
    return _civil_profile(user, programme), programme


def access_civil_task(user: object, slug: str, task_id: int) -> CivilTask:
    """A follow-up task of the programme (404 if unknown there)."""
    _profile, programme = access_civil_programme(user, slug)
    task = (
        CivilTask.objects.select_related("registration__programme__mall__region")
        .filter(pk=task_id, registration__programme=programme)
        .first()
    )
    if task is None:
        raise Http404(_("Tindak lanjut tidak ditemukan."))
    return task
