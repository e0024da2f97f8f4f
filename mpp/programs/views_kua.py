"""The KUA's pages under /kua/ (issue 20, items 3–5): its programmes, each programme's couples,
one couple in full (documents, decision, schedule, fee, NIKs on request), and the ceremony day
with its check-in and live count. No-JS forms; every write is one action (kua, ceremony); every
403/404 is decided by programs.access_kua."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from mpp.core.nik import mask_nik
from mpp.core.usercontent import USER_FILE_CSP
from mpp.programs import ceremony, kua
from mpp.programs.access_kua import (
    access_kua_document,
    access_kua_programme,
    access_kua_registration,
    kua_scope,
    programmes_for,
    reads_niks,
)
from mpp.programs.exceptions import ProgramRefused
from mpp.programs.fees import fee_short
from mpp.programs.forms_kua import (
    CancelForm,
    CheckDocumentForm,
    CheckInForm,
    CheckInLookupForm,
    FeeForm,
    MarriageForm,
    ReturnForm,
    ScheduleForm,
)
from mpp.programs.models import Document, Person, Programme, Registration

STATUSES = Registration.Status


@login_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The programmes of the officer's KUA (the region's, for the administrator), with the
    number of couples in each status."""
    counts = {s.value: Count("registrations", filter=Q(registrations__status=s)) for s in STATUSES}
    programmes = programmes_for(kua_scope(request.user)).annotate(**counts)
    rows = [(p, [(s.label, getattr(p, s.value)) for s in STATUSES]) for p in programmes]
    return render(request, "programs/kua_home.html", {"rows": rows, "statuses": STATUSES})


@login_required
@require_safe
def programme(request: HttpRequest, slug: str) -> HttpResponse:
    """A programme's couples, filterable by status (?status=approved)."""
    found = access_kua_programme(request.user, slug)
    status = request.GET.get("status", "")
    couples = (
        Registration.objects.filter(programme=found)
        .select_related("session")
        .annotate(
            documents_total=Count("documents", distinct=True),
            documents_ok=Count(
                "documents",
                filter=Q(documents__status=Document.Status.ACCEPTED),
                distinct=True,
            ),
        )
        .prefetch_related(
            Prefetch("people", queryset=Person.objects.filter(role__in=["groom", "bride"]))
        )
    )
    if status in STATUSES.values:
        couples = couples.filter(status=status)
    context = {"programme": found, "couples": couples, "status": status, "statuses": STATUSES}
    return render(request, "programs/kua_programme.html", context)


@login_required
@require_safe
def registration(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    found = access_kua_registration(request.user, slug, code)
    return _render(request, found)


@login_required
@require_POST
def reveal_nik(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """The couple's NIKs, unmasked on this response only, for the KUA's officer; logged."""
    found = access_kua_registration(request.user, slug, code, act=True)
    kua.record_nik_read(
        programme=found.programme, registrations=[found], where="kua", acting_user=request.user
    )
    return _render(request, found, show_nik=True)


@login_required
@require_safe
def document_file(request: HttpRequest, slug: str, code: str, pk: int) -> FileResponse:
    """A couple's uploaded document, for the KUA's officers: images and PDFs shown, anything
    else downloaded; its type the one stored (nosniff) and nothing in it may run."""
    document = access_kua_document(request.user, slug, code, pk)
    if not document.file or not default_storage.exists(document.file):
        raise Http404(_("Dokumen ini belum diunggah."))
    kua.record_file_read(document=document, acting_user=request.user)
    content_type = document.file_type or "application/octet-stream"
    shown = content_type == "application/pdf" or content_type in IMAGE_TYPES
    response = FileResponse(
        default_storage.open(document.file, "rb"),
        as_attachment=not shown,
        filename=f"{document.registration.code}-{document.kind}{_extension(content_type)}",
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = USER_FILE_CSP
    response["Cache-Control"] = "private, no-store"
    return response


IMAGE_TYPES = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp"}


def _extension(content_type: str) -> str:
    return ".pdf" if content_type == "application/pdf" else IMAGE_TYPES.get(content_type, "")


@login_required
@require_POST
def document_check(request: HttpRequest, slug: str, code: str, pk: int) -> HttpResponse:
    document = access_kua_document(request.user, slug, code, pk)
    form = CheckDocumentForm(request.POST)
    if not form.is_valid():
        return _render(
            request, document.registration, error=_("Pilih terima atau tolak."), status=400
        )
    return _act(
        request,
        document.registration,
        lambda: kua.check_document(
            document=document,
            accepted=form.accepted,
            note=form.cleaned_data["note"],
            acting_user=request.user,
        ),
        _("%(d)s diperiksa.") % {"d": document.get_kind_display()},
        anchor=f"dokumen-{document.pk}",
    )


@login_required
@require_POST
def approve(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    found = access_kua_registration(request.user, slug, code, act=True)
    return _act(
        request,
        found,
        lambda: kua.approve_registration(registration=found, acting_user=request.user),
        _("Pendaftaran %(c)s disetujui.") % {"c": found.code},
    )


@login_required
@require_POST
def return_(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    found = access_kua_registration(request.user, slug, code, act=True)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        return _render(request, found, return_form=form, status=400)
    return _act(
        request,
        found,
        lambda: kua.return_registration(
            registration=found, reason=form.cleaned_data["reason"], acting_user=request.user
        ),
        _("Pendaftaran %(c)s dikembalikan ke pasangan.") % {"c": found.code},
        return_form=form,
    )


@login_required
@require_POST
def cancel(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """Withdraw a couple (their quota and session place go back to the programme)."""
    found = access_kua_registration(request.user, slug, code, act=True)
    form = CancelForm(request.POST)
    if not form.is_valid():
        return _render(request, found, cancel_form=form, status=400)
    return _act(
        request,
        found,
        lambda: kua.cancel_registration(
            registration=found, reason=form.cleaned_data["cancel_reason"], acting_user=request.user
        ),
        _("Pendaftaran %(c)s dibatalkan.") % {"c": found.code},
        cancel_form=form,
    )


@login_required
@require_POST
def schedule(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    found = access_kua_registration(request.user, slug, code, act=True)
    form = ScheduleForm(request.POST, programme=found.programme)
    if not form.is_valid():
        return _render(request, found, schedule_form=form, status=400)
    session = form.cleaned_data["session"]
    return _act(
        request,
        found,
        lambda: kua.schedule_couple(registration=found, session=session, acting_user=request.user),
        _("%(c)s dijadwalkan pada sesi %(s)s.") % {"c": found.code, "s": session},
    )


@login_required
@require_POST
def fee(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    found = access_kua_registration(request.user, slug, code, act=True)
    form = FeeForm(request.POST)
    if not form.is_valid():
        return _render(request, found, fee_form=form, status=400)
    return _act(
        request,
        found,
        lambda: kua.record_fee(registration=found, acting_user=request.user, **form.cleaned_data),
        _("Biaya %(c)s dicatat.") % {"c": found.code},
        fee_form=form,
        anchor="biaya",
    )


def _act(
    request: HttpRequest,
    found: Registration,
    step: Any,
    done: str,
    *,
    anchor: str = "",
    **forms: Any,
) -> HttpResponse:
    """Run one action; on a refusal show the page again with its message and status."""
    try:
        step()
    except ProgramRefused as refused:
        return _render(request, found, error=str(refused), status=refused.status, **forms)
    messages.success(request, done)
    url = reverse("programs:kua-registration", args=[found.programme.slug, found.code])
    return redirect(f"{url}#{anchor}" if anchor else url)


def _render(
    request: HttpRequest,
    found: Registration,
    *,
    show_nik: bool = False,
    error: str = "",
    status: int = 200,
    return_form: ReturnForm | None = None,
    cancel_form: CancelForm | None = None,
    schedule_form: ScheduleForm | None = None,
    fee_form: FeeForm | None = None,
) -> HttpResponse:
    found.refresh_from_db()
    programme: Programme = found.programme
    people = [
        (p, p.nik if show_nik else mask_nik(p.nik)) for p in found.people.select_related("village")
    ]
    context = {
        "programme": programme,
        "registration": found,
        "people": people,
        "show_nik": show_nik,
        "may_act": reads_niks(request.user, programme),
        "documents": found.documents.all(),
        "error": error,
        "fee_text": fee_short(found),
        "return_form": return_form or ReturnForm(),
        "cancel_form": cancel_form or CancelForm(),
        "schedule_form": schedule_form or ScheduleForm(programme=programme),
        "fee_form": fee_form
        or FeeForm(
            initial={
                "tariff_basis": found.tariff_basis,
                "fee_bearer": found.fee_bearer,
                "sponsor_name": found.sponsor_name,
                "receipt_number": found.receipt_number,
                "paid_on": found.paid_on,
            }
        ),
    }
    return render(request, "programs/kua_registration.html", context, status=status)


# --- the ceremony day -------------------------------------------------------------------------


@login_required
def ceremony_day(request: HttpRequest, slug: str) -> HttpResponse:
    """The check-in desk: a code typed or a receipt's QR scanned (POST, so the couple's secret
    link never lands in an address or a log) leads to the couple (?kode=CODE)."""
    found = access_kua_programme(request.user, slug, act=request.method == "POST")
    if request.method == "POST":
        form = CheckInLookupForm(request.POST)
        if not form.is_valid():
            return _ceremony(request, found, lookup=form, status=400)
        couple = ceremony.find_for_check_in(found, form.cleaned_data["kode"])
        if couple is None:
            error = _("Kode atau QR ini tidak dikenal pada program ini.")
            return _ceremony(request, found, lookup=form, error=error, status=404)
        return redirect(_ceremony_url(found, couple.code))
    if request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405)
    code = request.GET.get("kode", "")
    couple = ceremony.find_for_check_in(found, code) if code else None
    if code and couple is None:
        raise Http404(_("Pendaftaran tidak ditemukan."))
    return _ceremony(request, found, couple=couple)


@login_required
@require_POST
def check_in(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    found = access_kua_registration(request.user, slug, code, act=True)
    form = CheckInForm(request.POST)
    if not form.is_valid():
        return _ceremony(request, found.programme, couple=found, status=400)
    try:
        ceremony.check_in(
            registration=found, who=form.cleaned_data["who"], acting_user=request.user
        )
    except ProgramRefused as refused:
        return _ceremony(
            request, found.programme, couple=found, error=str(refused), status=refused.status
        )
    return redirect(_ceremony_url(found.programme, found.code))


@login_required
@require_POST
def marry(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    found = access_kua_registration(request.user, slug, code, act=True)
    form = MarriageForm(request.POST)
    if not form.is_valid():
        return _ceremony(request, found.programme, couple=found, marriage=form, status=400)
    try:
        ceremony.record_marriage(
            registration=found,
            marriage_book_number=form.cleaned_data["marriage_book_number"],
            acting_user=request.user,
        )
    except ProgramRefused as refused:
        return _ceremony(
            request,
            found.programme,
            couple=found,
            marriage=form,
            error=str(refused),
            status=refused.status,
        )
    messages.success(request, _("Akad %(c)s tercatat.") % {"c": found.code})
    return redirect(_ceremony_url(found.programme, found.code))


@login_required
@require_safe
def day_count(request: HttpRequest, slug: str) -> HttpResponse:
    """The live count's partial (htmx polls it): numbers only, no personal data."""
    found = access_kua_programme(request.user, slug)
    context = {"programme": found, "count": ceremony.day_count(found)}
    return render(request, "programs/_kua_day_count.html", context)


def _ceremony_url(programme: Programme, code: str) -> str:
    return reverse("programs:kua-ceremony", args=[programme.slug]) + f"?kode={code}"


def _ceremony(
    request: HttpRequest,
    programme: Programme,
    *,
    couple: Registration | None = None,
    lookup: CheckInLookupForm | None = None,
    marriage: MarriageForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    if couple is not None:
        couple.refresh_from_db()
    context = {
        "programme": programme,
        "couple": couple,
        "people": list(couple.people.all()) if couple else [],
        "fee_text": fee_short(couple) if couple else "",
        "lookup": lookup or CheckInLookupForm(),
        "marriage": marriage or MarriageForm(),
        "count": ceremony.day_count(programme),
        "may_act": reads_niks(request.user, programme),
        "error": error,
    }
    return render(request, "programs/kua_ceremony.html", context, status=status)
