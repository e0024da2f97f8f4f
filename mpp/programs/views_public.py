"""The programmes' public pages (issue 20): the list, a programme's page, registration online
and at the counter, the couple's own page with its checklist, and the receipt PDF.

Forms work without JavaScript; eligibility.js only tells the couple early what the server
will say. Every 403/404 is access_public's; every write is one action (register_couple,
attach_document, mark_brought)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from mpp.core import clock
from mpp.core.ratelimit import allow
from mpp.programs import documents, fees, receipt
from mpp.programs.access_public import (
    access_counter_registrar,
    access_own_document,
    access_public_programme,
    access_registration_by_key,
    public_programmes,
)
from mpp.programs.exceptions import ProgramRefused
from mpp.programs.forms_registration import RegistrationForm
from mpp.programs.models import Document, DocumentKind, Programme, Registration
from mpp.programs.registration import akad_date_of, deadline_of, register_couple
from mpp.programs.report import programme_figures


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """The region's programmes (not the drafts)."""
    return render(request, "programs/programme_list.html", {"programmes": public_programmes()})


@require_safe
def programme(request: HttpRequest, slug: str) -> HttpResponse:
    found = access_public_programme(slug)
    return render(request, "programs/programme.html", _programme_context(found))


@require_http_methods(["GET", "HEAD", "POST"])
def register(request: HttpRequest, slug: str) -> HttpResponse:
    """A couple registers themselves (online)."""
    found = access_public_programme(slug)
    return _register(request, found, channel=Registration.Channel.ONLINE, acting_user=None)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def register_counter(request: HttpRequest, slug: str) -> HttpResponse:
    """An officer registers a couple who came in person (access_counter_registrar)."""
    found = access_counter_registrar(request.user, slug)
    return _register(request, found, channel=Registration.Channel.COUNTER, acting_user=request.user)


@require_safe
def registration(request: HttpRequest, access_key: str) -> HttpResponse:
    """The couple's own page: status, session, fee, checklist with upload and "dibawa"."""
    found = access_registration_by_key(access_key)
    return _private(render(request, "programs/registration.html", _couple_context(found)))


@require_POST
def document_upload(request: HttpRequest, access_key: str, pk: int) -> HttpResponse:
    found = access_registration_by_key(access_key)
    document = access_own_document(found, pk)
    upload = request.FILES.get("file")
    if upload is None:
        return _document_refused(request, found, document, _("Pilih berkas terlebih dahulu."))
    try:
        documents.attach_document(document=document, upload=upload, acting_user=_actor(request))
    except ProgramRefused as refused:
        return _document_refused(request, found, document, str(refused), status=refused.status)
    messages.success(request, _("“%(d)s” diunggah.") % {"d": document.get_kind_display()})
    return redirect(_couple_url(found, document))


@require_POST
def document_brought(request: HttpRequest, access_key: str, pk: int) -> HttpResponse:
    found = access_registration_by_key(access_key)
    document = access_own_document(found, pk)
    try:
        documents.mark_brought(document=document, acting_user=_actor(request))
    except ProgramRefused as refused:
        return _document_refused(request, found, document, str(refused), status=refused.status)
    messages.success(
        request,
        _("“%(d)s” dicatat: dibawa saat pemeriksaan di KUA.") % {"d": document.get_kind_display()},
    )
    return redirect(_couple_url(found, document))


@require_POST
def resubmit(request: HttpRequest, access_key: str) -> HttpResponse:
    """The couple, having fixed what the KUA returned, sends the registration back."""
    found = access_registration_by_key(access_key)
    try:
        documents.resubmit_registration(registration=found, acting_user=_actor(request))
    except ProgramRefused as refused:
        context = _couple_context(found, resubmit_message=str(refused))
        return _private(
            render(request, "programs/registration.html", context, status=refused.status)
        )
    messages.success(request, _("Pendaftaran dikirim kembali ke KUA untuk diperiksa."))
    return redirect("programs:registration", access_key=found.access_key)


@require_safe
def receipt_pdf(request: HttpRequest, access_key: str) -> HttpResponse:
    found = access_registration_by_key(access_key)
    response = HttpResponse(receipt.receipt_pdf(request, found), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="tanda-terima-{found.code}.pdf"'
    return _private(response, referrer="no-referrer")


# --- helpers ----------------------------------------------------------------------------------


def _register(
    request: HttpRequest, found: Programme, *, channel: str, acting_user: Any
) -> HttpResponse:
    form = RegistrationForm(request.POST or None, region=found.region)
    status = 200
    if request.method == "POST" and form.is_valid() and not _may_register(request, channel):
        form.add_error(
            None,
            _(
                "Terlalu banyak pendaftaran dari jaringan ini dalam satu jam. Coba lagi nanti, "
                "atau daftar langsung di loket Kemenag."
            ),
        )
        status = 429
    elif request.method == "POST" and form.is_valid():
        try:
            created = register_couple(
                programme=found, couple=form.couple(), channel=channel, acting_user=acting_user
            )
        except ProgramRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request, _("Pendaftaran tersimpan dengan kode %(c)s.") % {"c": created.code}
            )
            return redirect("programs:registration", access_key=created.access_key)
    context = {
        **_programme_context(found),
        "form": form,
        "channel": channel,
        "today": clock.local_now(found.region.timezone).date(),
    }
    return _private(render(request, "programs/register.html", context, status=status))


def _programme_context(found: Programme) -> dict[str, Any]:
    region = found.region
    today = clock.local_now(region.timezone).date()
    sessions = list(found.sessions.all())
    deadline = deadline_of(found)
    akad = akad_date_of(found)
    context: dict[str, Any] = {
        "programme": found,
        "sessions": [receipt.session_words(s, region) for s in sessions],
        "deadline": receipt.long_date(deadline) if deadline else "",
        "is_late_online": bool(deadline and today > deadline),
        "akad_date": akad.isoformat() if akad else "",
        "is_open": found.status == Programme.Status.OPEN
        and today >= found.registration_opens
        and bool(akad and today < akad),
        "not_yet": found.status == Programme.Status.OPEN and today < found.registration_opens,
        "opens": receipt.long_date(found.registration_opens),
        "fee": fees.programme_fee_line(found),
        "requirements": _requirements(),
    }
    if found.status == Programme.Status.FINISHED:
        # Counts only, and the report's own (programs.report): the same numbers everywhere.
        context["results"] = programme_figures(found)
    return context


def _requirements() -> dict[str, list[tuple[str, str]]]:
    """The checklist by content: what everyone brings, and what some bring, with when."""
    kind = DocumentKind
    always = [
        (kind.VILLAGE_LETTER.label, ""),
        (kind.BIRTH_CERTIFICATE.label, _("calon suami dan calon istri")),
        (kind.KTP.label, _("calon suami, calon istri, dan wali")),
        (kind.KK.label, _("calon suami, calon istri, dan wali")),
        (kind.CONSENT.label, ""),
        (kind.PHOTO.label, _("calon suami dan calon istri")),
        (kind.COURSE.label, ""),
    ]
    sometimes = [
        (kind.PARENTAL_PERMISSION.label, _("bila belum 21 tahun pada tanggal akad")),
        (kind.COURT_DISPENSATION.label, _("bila belum 19 tahun pada tanggal akad")),
        (kind.DIVORCE_OR_DEATH.label, _("bila pernah menikah")),
        (kind.SUPERIOR_PERMIT.label, _("bila anggota TNI/POLRI")),
        (kind.LATE_DISPENSATION.label, _("bila mendaftar setelah batas pendaftaran")),
    ]
    return {
        "always": [(str(label), str(who)) for label, who in always],
        "sometimes": [(str(label), str(when)) for label, when in sometimes],
    }


# Online, one address registers a few couples an hour (a family, a village office helping its
# couples); a script filling the quota with invented couples is stopped. The counter has none.
ONLINE_REGISTRATIONS_PER_HOUR = 5


def _may_register(request: HttpRequest, channel: str) -> bool:
    if channel != Registration.Channel.ONLINE:
        return True
    address = request.META.get("REMOTE_ADDR", "")
    return allow(
        f"nikah-register:{address}", limit=ONLINE_REGISTRATIONS_PER_HOUR, window_seconds=3600
    )


def _couple_context(found: Registration, **extra: Any) -> dict[str, Any]:
    rows = receipt.checklist(found)
    for row in rows:
        row.may_change = documents.may_change(row)  # type: ignore[attr-defined]
        row.offer_actions = row.may_change and row.status in (  # type: ignore[attr-defined]
            Document.Status.MISSING,
            Document.Status.REJECTED,
            Document.Status.BROUGHT,
        )
    programme = found.programme
    return {
        "registration": found,
        "programme": programme,
        "people": receipt.people_of(found),
        "documents": rows,
        "open_items": sum(
            1 for r in rows if r.status in (Document.Status.MISSING, Document.Status.REJECTED)
        ),
        "registered": receipt.long_date(found.registered_on),
        "session": (
            receipt.session_words(found.session, programme.region) if found.session else ""
        ),
        "fee": fees.registration_fee_line(found),
        "max_size": documents.DOCUMENT_MAX_BYTES,
        **extra,
    }


def _document_refused(
    request: HttpRequest, found: Registration, document: Document, message: str, status: int = 400
) -> HttpResponse:
    context = _couple_context(found, refused_id=document.pk, refused_message=message)
    return _private(render(request, "programs/registration.html", context, status=status))


def _couple_url(found: Registration, document: Document) -> str:
    url = reverse("programs:registration", kwargs={"access_key": found.access_key})
    return f"{url}#dokumen-{document.pk}"


def _actor(request: HttpRequest) -> Any:
    """An officer helping the couple at the counter is the actor; the couple has no account."""
    return request.user if request.user.is_authenticated else None


def _private(response: HttpResponse, *, referrer: str = "same-origin") -> HttpResponse:
    """A page with a couple's personal data or its secret link: never cached, and its address
    (the key) never sent to another site as a referrer. A page with forms keeps "same-origin":
    under "no-referrer" Chromium sends `Origin: null` with a form's POST (Fetch, "serialize a
    request origin"), which Django's CSRF check refuses."""
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = referrer
    return response
