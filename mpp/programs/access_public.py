"""Who may see and do what on the programmes' public side (issue 20): every 403 and 404 of
views_public is decided here.

- A programme's public pages: any visitor, for a programme of this site's region that is not a
  draft (a draft is 404, as if it did not exist).
- A couple's own page: whoever holds its secret key (the link on the receipt and its QR code);
  an unknown key, or a registration whose personal data was anonymised, is 404.
- Counter registration: the KUA officers of the programme's KUA, Kemenag's tenant officers who
  serve at the programme's mall, that mall's supervisor, and the region's admin (DPMPTSP).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from mpp.accounts.access import staff_profile
from mpp.accounts.models import Role
from mpp.programs.models import Document, KuaOfficer, Programme, Registration

# Kemenag's tenant in the MPP (mpp/regions/kukar/tenants.yaml): its officers at the mall's
# counter register couples who come in person, beside the KUA's own officers.


def public_programmes() -> QuerySet[Programme]:
    """The region's programmes a visitor may see: every one but the drafts."""
    return (
        Programme.objects.filter(region__slug=settings.MPP_REGION)
        .exclude(status=Programme.Status.DRAFT)
        .select_related("region", "kua", "kua__district", "mall")
    )


def access_public_programme(slug: str) -> Programme:
    """A programme's public page (404 for an unknown one or a draft)."""
    programme = public_programmes().filter(slug=slug).first()
    if programme is None:
        raise Http404(_("Program tidak ditemukan."))
    return programme


def access_registration_by_key(access_key: str) -> Registration:
    """The couple's own registration by its secret key (404 for an unknown key or one whose
    personal data has been anonymised)."""
    registration = (
        Registration.objects.select_related(
            "programme", "programme__region", "programme__kua", "programme__mall", "session"
        )
        .filter(access_key=access_key, anonymised_at__isnull=True)
        .first()
    )
    if registration is None or not access_key:
        raise Http404(_("Pendaftaran tidak ditemukan."))
    return registration


def access_own_document(registration: Registration, document_id: int) -> Document:
    """An item of this registration's checklist (404 for another registration's)."""
    document = Document.objects.filter(pk=document_id, registration=registration).first()
    if document is None:
        raise Http404(_("Dokumen tidak ditemukan."))
    document.registration = registration  # the caller's, already fetched
    return document


def may_register_at_counter(user: object, programme: Programme) -> bool:
    """Whether `user` may register couples for `programme` at the counter."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    user_id: int = getattr(user, "pk", 0) or 0
    officer = KuaOfficer.objects.filter(user_id=user_id).first()
    if officer is not None and officer.kua_id == programme.kua_id:
        return True
    profile = staff_profile(user)
    if profile is None or profile.region_id != programme.region_id:
        return False
    if profile.role == Role.REGENCY_ADMIN:
        return True
    if profile.role == Role.MALL_SUPERVISOR:
        return profile.mall_id == programme.mall_id
    if profile.role == Role.TENANT_OFFICER:
        return (
            programme.registration_tenant_id is not None
            and profile.tenant_id == programme.registration_tenant_id
            and profile.malls.filter(pk=programme.mall_id).exists()
        )
    return False


def access_counter_registrar(user: object, slug: str) -> Programme:
    """The programme an officer registers couples for at the counter (404 unknown or draft;
    403 for anyone but its KUA, Kemenag at its mall, its mall's supervisor, the region's
    admin). Sign-in itself is the view's (login_required)."""
    programme = access_public_programme(slug)
    if not may_register_at_counter(user, programme):
        raise PermissionDenied(
            _(
                "Pendaftaran di loket untuk program ini hanya oleh petugas KUA pencatat, "
                "petugas Kemenag di mal penyelenggara, pengawas mal itu, atau DPMPTSP."
            )
        )
    return programme
