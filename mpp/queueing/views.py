"""Queue pages: take a number from the phone, and the ticket's phone page."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from mpp.accounts.access import staff_profile
from mpp.accounts.models import Role
from mpp.applications.exceptions import ApplicationError
from mpp.applications.models import Application
from mpp.catalog.access import access_service
from mpp.catalog.models import Service, Tenant
from mpp.catalog.queries import tenants_at
from mpp.core.language import public_screen
from mpp.malls.access import access_public_mall, can_edit_mall
from mpp.malls.models import Mall
from mpp.queueing import actions, alerts, kiosk, queries
from mpp.queueing.access import (
    access_counter,
    access_counter_to_reassign,
    access_mall_report,
    access_slip_by_code,
    access_ticket_at_counter,
    access_ticket_by_code,
    counters_for,
    idempotency_owner,
    issuing_channel,
)
from mpp.queueing.actions import service_day
from mpp.queueing.checkin import slip_note
from mpp.queueing.exceptions import (
    IssuingForbidden,
    OutOfPaper,
    PrinterNotInstalled,
    PrinterUnavailable,
    QueueError,
    TicketRefused,
    page_message,
)
from mpp.queueing.exports import daily_report_xlsx
from mpp.queueing.forms import (
    AccuracyRangeForm,
    FinishForm,
    ReassignCounterForm,
    ReportDayForm,
    TakeNumberForm,
    TransferForm,
)
from mpp.queueing.limits import holder_of
from mpp.queueing.models import CallEstimate, Counter, Ticket
from mpp.queueing.printing import print_slip
from mpp.queueing.queries import console_context, supervisor_overview, ticket_status


@require_POST
def take_number(request: HttpRequest, pk: int) -> HttpResponse:
    """A citizen takes today's number for a service from its page (antrean online); staff signed
    in take it under the one issuing rule (queueing.access.issuing_channel)."""
    service = access_service(pk)
    form = TakeNumberForm(request.POST)
    if not form.is_valid():
        return render(request, "400.html", {"form_errors": form.errors}, status=400)
    mall = access_public_mall(slug=form.cleaned_data["mall"])

    def refused(message: str, status: int) -> HttpResponse:
        context = {"service": service, "mall": mall, "message": message}
        return render(request, "queueing/refused.html", context, status=status)

    try:
        channel = issuing_channel(request.user, mall, service)
    except IssuingForbidden as forbidden:
        return refused(str(forbidden), forbidden.status)
    citizen = channel in actions.REMOTE_CHANNELS
    if citizen and not actions.phone_may_issue(request.META.get("REMOTE_ADDR", "")):
        return refused(_("Terlalu banyak permintaan; coba lagi sebentar lagi."), 429)
    try:
        issued = actions.issue_ticket(
            mall=mall,
            service=service,
            channel=channel,
            priority=form.cleaned_data["priority"] or Ticket.Priority.NONE,
            idempotency_key=form.cleaned_data["idempotency_key"] or None,
            idempotency_owner=idempotency_owner(request),
            holder=holder_of(request) if citizen else "",
            acting_user=None if citizen else request.user,
        )
    except TicketRefused as problem:
        # 429: this phone or person already holds its numbers (queueing.limits).
        return refused(page_message(problem), 429 if problem.status == 429 else 409)
    return redirect(reverse("queueing:ticket", kwargs={"code": issued.ticket.code}))


@require_safe
def ticket_page(request: HttpRequest, code: str) -> HttpResponse:
    """The citizen's phone page: position, then "your turn"; after a transfer, the new number
    beside the one on the slip; no personal data."""
    slip, ticket = access_slip_by_code(code)
    return render(
        request,
        "queueing/ticket.html",
        {
            "ticket": ticket,
            "slip": slip,
            "mall": ticket.mall,
            "status": ticket_status(ticket, slip=slip, shown=CallEstimate.Shown.PHONE),
            # ticket.js names the states it is told of live, in the page's language.
            "states": Ticket.Status.choices,
            "alert": alerts.shown(ticket),  # "3 nomor lagi" by WhatsApp or e-mail (ADR 0033)
            # Files taken in at the counter: the application's tracking page (docs/adr/0037),
            # looked up only for a ticket finished that way (the page is polled).
            "application": (
                Application.objects.filter(ticket_code=ticket.code).only("code").first()
                if ticket.outcome == Ticket.Outcome.FILES_RECEIVED
                else None
            ),
        },
    )


@require_POST
def ticket_cancel(request: HttpRequest, code: str) -> HttpResponse:
    """The citizen gives up their number from the phone page (a form with CSRF), then sees the
    page again, now "Dibatalkan". A number already called is not cancelled: the page says why."""
    _slip, ticket = access_slip_by_code(code)
    try:
        actions.cancel_ticket(ticket=ticket, acting_user=None, channel="phone")
    except QueueError as refused:
        if ticket.status != Ticket.Status.CANCELLED:  # a second tap on a cancelled number: fine
            context = {"message": str(refused), "code": code, "number": ticket.display_number}
            return render(request, "queueing/cancel_refused.html", context, status=refused.status)
    return redirect(reverse("queueing:ticket", kwargs={"code": code}))


def new_idempotency_key() -> str:
    """A key for one form, so that a double tap or a resubmission gives one ticket."""
    return secrets.token_urlsafe(12)


# --- kiosk --------------------------------------------------------------------------------------
# Every kiosk page is never_cache (Cache-Control: no-store): the Back button must not bring back
# a services page with the previous citizen's idempotency key, nor their slip. Browsers may
# still restore a page from their back-forward cache; mpp/idempotent.js gives it a fresh key then.


def _phone_url(request: HttpRequest, ticket: Ticket) -> str:
    """The citizen's phone page of a ticket, absolute: what the slip's QR code holds."""
    return request.build_absolute_uri(reverse("queueing:ticket", kwargs={"code": ticket.code}))


def _kiosk_mall(request: HttpRequest, slug: str) -> Mall:
    """The kiosk's mall: a kiosk device of that mall, or staff who may work there."""
    mall = access_public_mall(slug=slug)
    if not request.user.is_authenticated:
        raise PermissionDenied(_("Masuk dengan akun kios mal ini."))
    profile = staff_profile(request.user)
    if profile is None or not (
        (profile.role in (Role.KIOSK, Role.MALL_SUPERVISOR) and profile.mall_id == mall.pk)
        or (profile.role == Role.REGENCY_ADMIN and profile.region_id == mall.region_id)
    ):
        raise PermissionDenied(_("Akun ini bukan kios mal ini."))
    return mall


@login_required
@require_safe
@never_cache
@public_screen
def kiosk_home(request: HttpRequest, slug: str) -> HttpResponse:
    """The kiosk's first screen: a tile per tenant, the acronym explained, today's tenants
    marked as serving or not (with the day they serve next)."""
    mall = _kiosk_mall(request, slug)
    return render(
        request, "queueing/kiosk_home.html", {"mall": mall, "tenants": kiosk.kiosk_tenants(mall)}
    )


@login_required
@require_safe
@never_cache
@public_screen
def kiosk_tenant(request: HttpRequest, slug: str, tenant: str) -> HttpResponse:
    """A tenant's services, one button each, the most used first, with a search; a tenant not
    serving today says so and when it serves next (issuing refuses it as well)."""
    mall = _kiosk_mall(request, slug)
    tile = kiosk.kiosk_tenant(mall, tenant)
    if tile is None:
        raise Http404(_("Instansi ini tidak melayani di mal ini."))
    if not tile.serves_today:
        return _kiosk_refused(request, mall, tile.not_today, status=200)
    query = request.GET.get("q", "")[:100]
    services = kiosk.kiosk_services(mall, tile.presence.tenant_id, query)
    return render(
        request,
        "queueing/kiosk_services.html",
        {
            "mall": mall,
            "tile": tile,
            "tenant": tile.presence.tenant,
            "services": services,
            "query": query,
        },
    )


@login_required
@require_safe
@never_cache
@public_screen
def kiosk_priority(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The step after a service: "Do you belong to one of these groups?" (UU 25/2009 Pasal 29),
    each group a button that takes the number, and "Tidak" for the ordinary lane."""
    mall = _kiosk_mall(request, slug)
    service = access_service(pk)
    tile = kiosk.kiosk_tenant(mall, service.tenant.slug)
    if tile is None or not Service.objects.active().offered_at(mall).filter(pk=pk).exists():
        raise Http404(_("Layanan ini tidak tersedia di mal ini."))
    if not tile.serves_today:
        return _kiosk_refused(request, mall, tile.not_today, status=200)
    return render(
        request,
        "queueing/kiosk_priority.html",
        {
            "mall": mall,
            "service": service,
            "groups": [c for c in Ticket.Priority.choices if c[0] != Ticket.Priority.NONE],
            "form_key": new_idempotency_key(),
        },
    )


def _kiosk_refused(request: HttpRequest, mall: Mall, message: str, *, status: int) -> HttpResponse:
    return render(
        request, "queueing/kiosk_refused.html", {"mall": mall, "message": message}, status=status
    )


@login_required
@require_POST
@never_cache
@public_screen
def kiosk_issue(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Issue a number at the kiosk, print it on the device's network printer if it has one."""
    mall = _kiosk_mall(request, slug)
    service = access_service(pk)
    form = TakeNumberForm({**request.POST.dict(), "mall": mall.slug})
    if not form.is_valid():
        return render(request, "400.html", {"form_errors": form.errors}, status=400)
    try:
        issued = actions.issue_ticket(
            mall=mall,
            service=service,
            channel=issuing_channel(request.user, mall, service),
            priority=form.cleaned_data["priority"] or Ticket.Priority.NONE,
            idempotency_key=form.cleaned_data["idempotency_key"] or None,
            idempotency_owner=idempotency_owner(request),
            acting_user=request.user,
        )
    except (TicketRefused, IssuingForbidden) as refused:
        status = refused.status if isinstance(refused, IssuingForbidden) else 409
        return _kiosk_refused(request, mall, page_message(refused), status=status)
    slip = reverse("queueing:kiosk-slip", kwargs={"slug": mall.slug, "code": issued.ticket.code})
    # The ticket is committed (issue_ticket is atomic; no ATOMIC_REQUESTS): the printer is
    # asked only now. A repeated idempotency key returns the earlier ticket: not printed twice.
    profile = staff_profile(request.user)
    if issued.created and profile is not None and profile.has_network_printer:
        try:
            print_slip(
                issued.ticket,
                host=profile.printer_host,
                port=profile.printer_port,
                phone_url=_phone_url(request, issued.ticket),
            )
        except OutOfPaper:
            slip += "?cetak=kertas"
        except PrinterNotInstalled:
            slip += "?cetak=paket"
        except PrinterUnavailable:
            slip += "?cetak=gagal"
    return redirect(slip)


@login_required
@require_safe
@never_cache
@public_screen
def kiosk_slip(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """The 58 mm slip: branding, number, service, where to wait, people ahead, time, QR code."""
    mall = _kiosk_mall(request, slug)
    ticket = access_ticket_by_code(code)
    if ticket.mall_id != mall.pk:
        raise Http404(_("Nomor antrean tidak ditemukan."))
    qr = segno.make(_phone_url(request, ticket), error="m").svg_inline(scale=3, border=1)
    profile = staff_profile(request.user)
    return render(
        request,
        "queueing/kiosk_slip.html",
        {
            "mall": mall,
            "ticket": ticket,
            "status": ticket_status(ticket, shown=CallEstimate.Shown.SLIP),
            "qr": qr,
            "checkin_note": slip_note(ticket),  # a booking checked in (docs/adr/0036)
            # A kiosk with a network printer does not open the browser's print dialogue.
            "browser_prints": profile is None or not profile.has_network_printer,
            # "paper" when the printer said its roll is empty, "package" when this server has
            # no printer library (the `printer` extra), True when the printer did not answer.
            "printer_failed": {"kertas": "paper", "paket": "package", "gagal": True}.get(
                request.GET.get("cetak", "")
            ),
        },
    )


# --- officer console ------------------------------------------------------------------------


@login_required
@require_safe
def console_home(request: HttpRequest) -> HttpResponse:
    """The counters this staff member may work at."""
    counters = counters_for(request.user).order_by("mall_id", "number")
    return render(request, "queueing/console_home.html", {"counters": list(counters)})


@login_required
@require_safe
def console(request: HttpRequest, counter_id: int) -> HttpResponse:
    counter = access_counter(request.user, counter_id)
    template = (
        "queueing/_console_panel.html" if request.GET.get("panel") else "queueing/console.html"
    )
    return _console_page(request, counter, template=template)


def _console_page(
    request: HttpRequest,
    counter: Counter,
    *,
    template: str = "queueing/console.html",
    kept: Ticket | None = None,
    form: FinishForm | TransferForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The console; after a refused finish or transfer of `kept`, its form shows what the
    officer chose and typed, never the defaults (a reason typed after the error would otherwise
    be recorded with the outcome "Selesai"). Only on that ticket: another may be current now."""
    context = console_context(counter)
    current = context["current"]
    if kept is None or current is None or current.pk != kept.pk:
        form = None
    context["finish_form"] = form if isinstance(form, FinishForm) else FinishForm()
    context["transfer_to"] = (
        form.cleaned_data["service_id"] if isinstance(form, TransferForm) else None
    )
    return render(request, template, {**context, "mall": counter.mall}, status=status)


def _transfer(counter: Counter, ticket: Ticket, data: Mapping[str, Any], user: Any) -> str:
    """Transfer the ticket; returns what the officer tells the citizen, whose slip still shows
    the old number."""
    new = actions.transfer_ticket(
        ticket=ticket, service=access_service(data["service_id"]), acting_user=user
    )
    return _(
        "Nomor %(old)s dialihkan ke %(service)s (%(tenant)s); nomor barunya %(new)s. "
        "Sampaikan nomor baru ini kepada warga."
    ) % {
        "old": ticket.display_number,
        "service": new.service.name,
        "tenant": new.service.tenant.short_name,
        "new": new.display_number,
    }


def _called(ticket: Ticket | None, counter: Counter, *, again: bool = False) -> str:
    """What the console shows and announces after a call (the officer may not see the board)."""
    if ticket is None:
        return _("Tidak ada nomor yang menunggu untuk loket ini.")
    words = (
        _("Nomor %(t)s dipanggil ulang ke loket %(n)d.")
        if again
        else _("Nomor %(t)s dipanggil ke loket %(n)d.")
    )
    return words % {"t": ticket.display_number, "n": counter.number}


# Each step returns a confirmation to show (a str) or anything else, which is not shown.
STEPS: dict[str, Callable[[Counter, Any, Mapping[str, Any], Any], object]] = {
    "open": lambda c, t, d, u: actions.set_counter_status(counter=c, status="open", acting_user=u),
    "pause": lambda c, t, d, u: actions.set_counter_status(
        counter=c, status="paused", acting_user=u
    ),
    "close": lambda c, t, d, u: actions.set_counter_status(
        counter=c, status="closed", acting_user=u
    ),
    "call-next": lambda c, t, d, u: _called(actions.call_next_ticket(counter=c, acting_user=u), c),
    "call": lambda c, t, d, u: _called(
        actions.call_ticket(counter=c, ticket=t, reason=d.get("reason", ""), acting_user=u), c
    ),
    "recall": lambda c, t, d, u: _called(
        actions.recall_ticket(ticket=t, acting_user=u), c, again=True
    ),
    "start": lambda c, t, d, u: actions.start_ticket(ticket=t, acting_user=u),
    "finish": lambda c, t, d, u: actions.finish_ticket(
        ticket=t, outcome=d["outcome"], reason=d["reason"], acting_user=u, phone=d["phone"]
    ),
    "no-show": lambda c, t, d, u: actions.mark_no_show(ticket=t, acting_user=u),
    "transfer": _transfer,
}
NEEDS_TICKET = {"call", "recall", "start", "finish", "no-show", "transfer"}
# Steps whose input is read by a form (the others take the POST as it is).
FORMS: dict[str, type[FinishForm | TransferForm]] = {
    "finish": FinishForm,
    "transfer": TransferForm,
}


@login_required
@require_POST
def console_step(request: HttpRequest, counter_id: int, step: str) -> HttpResponse:
    """One button of the console: the same actions as the API, then back to the console.
    A refused finish or transfer shows the console at once, its form as the officer left it."""
    counter = access_counter(request.user, counter_id)
    if step not in STEPS:
        raise Http404(_("Langkah tidak dikenal."))
    ticket = None
    if step in NEEDS_TICKET:
        ticket_id = request.POST.get("ticket_id", "")
        if not ticket_id.isdigit():
            return render(
                request,
                "400.html",
                {"form_errors": {"ticket_id": [_("Nomor tiket tidak sah.")]}},
                status=400,
            )
        ticket = access_ticket_at_counter(request.user, counter, int(ticket_id))
    form = FORMS[step](request.POST) if step in FORMS else None
    if form is not None and not form.is_valid():
        return render(request, "400.html", {"form_errors": form.errors}, status=400)
    data = form.cleaned_data if form is not None else request.POST
    try:
        done = STEPS[step](counter, ticket, data, request.user)
    except (QueueError, ApplicationError) as problem:  # a receipt's phone refused, too
        messages.error(request, str(problem))
        if form is not None:  # not redirected: the form is shown as the officer filled it in
            return _console_page(request, counter, kept=ticket, form=form, status=problem.status)
    else:
        if isinstance(done, str):
            messages.success(request, done)
    return redirect(reverse("queueing:console", kwargs={"counter_id": counter.pk}))


# --- supervisor -----------------------------------------------------------------------------


@login_required
@require_safe
def supervisor(request: HttpRequest, slug: str) -> HttpResponse:
    """Waiting per queue, longest wait, counters open or paused and who works them."""
    mall = access_public_mall(slug=slug)
    if not can_edit_mall(request.user, mall):
        raise PermissionDenied(_("Hanya pengawas mal ini yang dapat membuka halaman ini."))
    context = {**supervisor_overview(mall), "tenants": tenants_at(mall)}
    # ?panel=1: the live part alone, fetched by staff.js when the mall's queue changes.
    template = "queueing/_supervisor_panel.html" if request.GET.get("panel") else None
    return render(request, template or "queueing/supervisor.html", context)


@login_required
@require_safe
def daily_report(request: HttpRequest, slug: str) -> HttpResponse:
    """Visitors, served, no-shows, waiting and service times per tenant and service of a day,
    against the published standard; ?format=xlsx downloads the same as a workbook."""
    mall = access_mall_report(request.user, slug)
    form = ReportDayForm(request.GET, today=service_day(mall))
    if not form.is_valid():
        return render(request, "400.html", {"form_errors": form.errors}, status=400)
    report = queries.daily_report(mall, form.cleaned_data["tanggal"])
    if form.cleaned_data["format"] == "xlsx":
        response = HttpResponse(
            daily_report_xlsx(report),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        name = f"laporan-antrean-{mall.slug}-{report['day'].isoformat()}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return render(request, "queueing/report.html", report)


@login_required
@require_safe
def estimate_accuracy(request: HttpRequest, slug: str) -> HttpResponse:
    """How good the call-time estimates were, per service, over a range of days: the mean
    absolute error against the call, the naive estimate's beside it, the share called inside
    the range shown (docs/adr/0034). Who may read it: as the daily report."""
    mall = access_mall_report(request.user, slug)
    form = AccuracyRangeForm(request.GET, today=service_day(mall))
    if not form.is_valid():
        return render(request, "400.html", {"form_errors": form.errors}, status=400)
    context = queries.estimate_accuracy(
        mall, form.cleaned_data["dari"], form.cleaned_data["sampai"]
    )
    return render(request, "queueing/accuracy.html", context)


@login_required
@require_POST
def reassign_counter(request: HttpRequest, slug: str, counter_id: int) -> HttpResponse:
    """The supervisor gives a counter to another tenant (or to the front counter)."""
    counter = access_counter_to_reassign(request.user, slug, counter_id)
    form = ReassignCounterForm(
        request.POST, tenants=Tenant.objects.filter(mall_tenants__mall=counter.mall)
    )
    if not form.is_valid():
        return render(request, "400.html", {"form_errors": form.errors}, status=400)
    tenant = form.cleaned_data["tenant"]
    where = tenant.short_name if tenant else _("loket depan (semua antrean)")
    if request.POST.get("confirmed") != "1":  # the page's dialog asks first; without it, this page
        context = {"mall": counter.mall, "counter": counter, "tenant": tenant, "where": where}
        return render(request, "queueing/supervisor_confirm.html", context)
    try:
        actions.reassign_counter(counter=counter, tenant=tenant, acting_user=request.user)
    except QueueError as refused:
        return render(
            request,
            "queueing/supervisor_refused.html",
            {"mall": counter.mall, "message": str(refused)},
            status=409,
        )
    messages.success(
        request,
        _("Loket %(n)d ditutup dan dipindahkan ke %(where)s; petugasnya membukanya dari konsol.")
        % {"n": counter.number, "where": where},
    )
    return redirect(reverse("queueing:supervisor", kwargs={"slug": slug}))
