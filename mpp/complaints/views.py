"""Complaints' pages (phone first, no JavaScript needed): the public form and the complaint's
own page by its tracking code; the staff's list and a complaint's page with its steps (verify
and assign, dismiss, reply, close). Access is access.py's; every change is an action's."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from mpp.catalog.models import Service
from mpp.complaints import actions, queries
from mpp.complaints.access import (
    access_complaint_by_code,
    access_complaint_for_staff,
    access_complaint_list,
    access_complaint_to_verify,
    complaints_for,
    may_verify,
    normalised_code,
)
from mpp.complaints.api import COMPLAINTS_PER_HOUR, PAGES_PER_HOUR
from mpp.complaints.exceptions import ComplaintRefused
from mpp.complaints.forms import ComplaintForm, DismissForm, FollowUpForm, ReplyForm, VerifyForm
from mpp.complaints.models import CODE_ALPHABET, CODE_LENGTH, Complaint, Source, Status
from mpp.core.ratelimit import allow
from mpp.malls.models import Mall

FOLLOW_UPS_PER_HOUR = 20
_REFERENCE = re.compile(r"[A-Za-z0-9-]{1,40}")
_TRACKING_CODE = re.compile(f"[{CODE_ALPHABET}]{{{CODE_LENGTH}}}")


def _address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "")


def _private(response: HttpResponse) -> HttpResponse:
    """A page with a tracking code: never cached, never a referrer outside the site."""
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isascii() and value.isdigit() and len(value) < 12 else None


@dataclass(frozen=True)
class About:
    """What the link to the form knew (`sumber`, `layanan`, `mal`, `kode`), checked: an id
    that names nothing public is ignored, as is a malformed code; the form still opens."""

    source: str
    service: Service | None
    mall: Mall | None
    reference: str

    @property
    def where(self) -> str:
        parts = []
        if self.service is not None:
            parts.append(f"{self.service.name} ({self.service.tenant.short_name})")
        if self.mall is not None:
            parts.append(self.mall.short_name)
        return ", ".join(parts)

    def hidden(self) -> dict[str, str]:
        return {
            "sumber": self.source,
            "layanan": str(self.service.pk) if self.service else "",
            "mal": str(self.mall.pk) if self.mall else "",
            "kode": self.reference,
        }


def about_from(params: QueryDict) -> About:
    source = params.get("sumber", "")
    service_id, mall_id = _int(params.get("layanan")), _int(params.get("mal"))
    reference = params.get("kode", "")
    return About(
        source=source if source in Source.values and source != Source.API else Source.OTHER,
        service=(
            Service.objects.active().select_related("tenant").filter(pk=service_id).first()
            if service_id
            else None
        ),
        mall=(
            Mall.objects.public().select_related("region").filter(pk=mall_id).first()
            if mall_id
            else None
        ),
        reference=reference.upper() if _REFERENCE.fullmatch(reference) else "",
    )


@require_http_methods(["GET", "HEAD", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    about = about_from(request.POST if request.method == "POST" else request.GET)
    form = ComplaintForm(request.POST or None, initial={"where": about.where})
    form.fields["happened_on"].widget.attrs["max"] = actions.local_today(about.mall).isoformat()
    status = 200
    if request.method == "POST" and form.is_valid():
        if not allow(
            f"complaints-file:{_address(request)}", limit=COMPLAINTS_PER_HOUR, window_seconds=3600
        ):
            form.add_error(None, _("Terlalu banyak pengaduan dari jaringan ini; coba lagi nanti."))
            status = 429
        else:
            data = form.cleaned_data
            try:
                complaint = actions.file_complaint(
                    text=data["text"],
                    mall=about.mall,
                    service=about.service,
                    topic=data["topic"],
                    where=data["where"],
                    happened_on=data["happened_on"],
                    source=about.source,
                    reference=about.reference,
                    contact=data["contact"],
                    is_anonymous=data["anonymous"],
                    lapor_number=data["lapor_number"],
                )
            except ComplaintRefused as refused:
                field = refused.field if refused.field in form.fields else None
                form.add_error(field, str(refused))
                status = refused.status
            else:
                return _private(render(request, "complaints/filed.html", {"complaint": complaint}))
    elif request.method == "POST":
        status = 400
    context = {"form": form, "about": about, "hidden": about.hidden()}
    return _private(render(request, "complaints/new.html", context, status=status))


def _public_replies(complaint: Complaint) -> list[Any]:
    return list(complaint.replies.filter(is_internal=False).order_by("at", "pk"))


@require_safe
def lookup(request: HttpRequest) -> HttpResponse:
    """The form to type a tracking code; a typed code (any case, dashes or spaces optional)
    goes to its page, a malformed one is said so here without a query."""
    typed = request.GET.get("kode", "")
    error = ""
    if typed:
        code = normalised_code(typed)
        if _TRACKING_CODE.fullmatch(code):
            return redirect("complaints:track", code=code)
        error = _("Kode pelacakan terdiri dari 12 huruf dan angka, misalnya 7K3Q-9XM2-PDWA.")
    context = {"typed": typed[:40], "error": error}
    return _private(
        render(request, "complaints/lookup.html", context, status=400 if error else 200)
    )


@require_http_methods(["GET", "HEAD", "POST"])
def track(request: HttpRequest, code: str) -> HttpResponse:
    """The complaint's page: status, dates, the replies that are not internal; the complainant
    adds a message or their SP4N-LAPOR! number. Nothing personal is shown."""
    if not allow(f"complaints-page:{_address(request)}", limit=PAGES_PER_HOUR, window_seconds=3600):
        return _private(render(request, "complaints/limited.html", status=429))
    complaint = access_complaint_by_code(code)
    form = FollowUpForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        elif not allow(
            f"complaints-follow-up:{_address(request)}",
            limit=FOLLOW_UPS_PER_HOUR,
            window_seconds=3600,
        ):
            form.add_error(None, _("Terlalu banyak pesan dari jaringan ini; coba lagi nanti."))
            status = 429
        else:
            try:
                actions.add_complainant_reply(
                    complaint=complaint,
                    text=form.cleaned_data["text"],
                    lapor_number=form.cleaned_data["lapor_number"],
                )
            except ComplaintRefused as refused:
                field = refused.field if refused.field in form.fields else None
                form.add_error(field, str(refused))
                status = refused.status
            else:
                messages.success(request, _("Terima kasih, keterangan Anda tersimpan."))
                return redirect("complaints:track", code=complaint.code)
    context = {
        "complaint": complaint,
        "replies": _public_replies(complaint),
        "form": form,
        "is_finished": complaint.status in (Status.CLOSED, Status.DISMISSED),
    }
    return _private(render(request, "complaints/track.html", context, status=status))


# --- staff ---------------------------------------------------------------------------------


@login_required
@require_safe
def staff_list(request: HttpRequest) -> HttpResponse:
    """The complaints the user works on, newest first, with their late flags."""
    access_complaint_list(request.user)
    status = request.GET.get("status", "")
    late = request.GET.get("terlambat") == "1"
    rows = queries.filtered(complaints_for(request.user), status=status, late=late)
    page = Paginator(rows, 50).get_page(request.GET.get("hal"))
    context = {
        "page": page,
        "rows": queries.late_flags(list(page.object_list)),
        "statuses": Status.choices,
        "status": status,
        "late": late,
    }
    return _private(render(request, "complaints/staff_list.html", context))


def _detail(
    request: HttpRequest, complaint: Complaint, *, status: int = 200, **forms: Any
) -> HttpResponse:
    can_verify = may_verify(request.user, complaint)
    context = {
        "complaint": complaint,
        "replies": list(complaint.replies.select_related("by").order_by("at", "pk")),
        "contact": actions.masked_contact(complaint),
        "is_late": queries.late_flags([complaint])[0][1],
        "can_verify": can_verify and complaint.status == Status.RECEIVED,
        "can_reassign": can_verify and complaint.status == Status.VERIFIED,
        "can_close": can_verify and complaint.status == Status.ANSWERED,
        "can_reply": complaint.status not in (Status.CLOSED, Status.DISMISSED),
        "verify_form": forms.get("verify_form")
        or VerifyForm(
            tenants=actions.assignable_tenants(complaint),
            # The tenant of the service the complaint names, if the link named one.
            initial={"tenant": complaint.service.tenant_id if complaint.service else None},
        ),
        "dismiss_form": forms.get("dismiss_form") or DismissForm(),
        "reply_form": forms.get("reply_form") or ReplyForm(),
        "close_error": forms.get("close_error", ""),
    }
    return _private(render(request, "complaints/staff_detail.html", context, status=status))


@login_required
@require_safe
def staff_detail(request: HttpRequest, complaint_id: int) -> HttpResponse:
    return _detail(request, access_complaint_for_staff(request.user, complaint_id))


def _done(request: HttpRequest, complaint: Complaint, text: str) -> HttpResponse:
    messages.success(request, text)
    return redirect("complaints:staff-detail", complaint_id=complaint.pk)


@login_required
@require_POST
def verify(request: HttpRequest, complaint_id: int) -> HttpResponse:
    complaint = access_complaint_to_verify(request.user, complaint_id)
    form = VerifyForm(request.POST, tenants=actions.assignable_tenants(complaint))
    if not form.is_valid():
        return _detail(request, complaint, status=400, verify_form=form)
    try:
        actions.verify_complaint(
            complaint=complaint, tenant=form.cleaned_data["tenant"], acting_user=request.user
        )
    except ComplaintRefused as refused:
        form.add_error(None, str(refused))
        return _detail(request, complaint, status=refused.status, verify_form=form)
    if complaint.status == Status.VERIFIED:
        return _done(request, complaint, _("Pengaduan diteruskan ke instansi lain."))
    return _done(request, complaint, _("Pengaduan diverifikasi dan diteruskan ke instansi."))


@login_required
@require_POST
def dismiss(request: HttpRequest, complaint_id: int) -> HttpResponse:
    complaint = access_complaint_to_verify(request.user, complaint_id)
    form = DismissForm(request.POST)
    if not form.is_valid():
        return _detail(request, complaint, status=400, dismiss_form=form)
    try:
        actions.dismiss_complaint(
            complaint=complaint, reason=form.cleaned_data["reason"], acting_user=request.user
        )
    except ComplaintRefused as refused:
        form.add_error(None, str(refused))
        return _detail(request, complaint, status=refused.status, dismiss_form=form)
    return _done(request, complaint, _("Pengaduan dinyatakan tidak dapat diproses."))


@login_required
@require_POST
def reply(request: HttpRequest, complaint_id: int) -> HttpResponse:
    complaint = access_complaint_for_staff(request.user, complaint_id)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        return _detail(request, complaint, status=400, reply_form=form)
    try:
        actions.reply_to_complaint(
            complaint=complaint,
            text=form.cleaned_data["text"],
            is_internal=form.cleaned_data["internal"],
            acting_user=request.user,
        )
    except ComplaintRefused as refused:
        form.add_error(None, str(refused))
        return _detail(request, complaint, status=refused.status, reply_form=form)
    return _done(request, complaint, _("Tanggapan tersimpan."))


@login_required
@require_POST
def close(request: HttpRequest, complaint_id: int) -> HttpResponse:
    complaint = access_complaint_to_verify(request.user, complaint_id)
    try:
        actions.close_complaint(complaint=complaint, acting_user=request.user)
    except ComplaintRefused as refused:
        return _detail(request, complaint, status=refused.status, close_error=str(refused))
    return _done(request, complaint, _("Pengaduan ditutup."))
