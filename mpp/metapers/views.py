"""Metapers pages: the hall's entry (list first), the SVG map, booths, and the scene JSON."""

from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from mpp.catalog.models import MallTenant, Service
from mpp.malls.access import access_public_mall
from mpp.malls.models import Mall
from mpp.metapers.directory import (
    access_booth,
    access_hall,
    booth_counters,
    booth_services,
    hall_directory,
    malls_with_halls,
)
from mpp.metapers.scene import load_hall, scene_of
from mpp.metapers.svg import floor_map
from mpp.metapers.wayfinding import map_list
from mpp.queueing.access import idempotency_owner, issuing_channel
from mpp.queueing.actions import REMOTE_CHANNELS, issue_ticket, phone_may_issue
from mpp.queueing.exceptions import IssuingForbidden, TicketRefused, page_message
from mpp.queueing.limits import holder_of
from mpp.queueing.models import Ticket


@require_safe
def scene(request: HttpRequest, slug: str) -> JsonResponse:
    """The floor plan as the scene JSON the 3D hall is built from (cacheable: it changes only
    when the plan is edited; live counts come over the mall's websocket)."""
    mall = access_public_mall(slug=slug)
    hall = load_hall(mall.pk)
    if hall is None:
        raise Http404(_("Mal ini belum memiliki aula virtual."))
    response = JsonResponse(scene_of(hall), json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "public, max-age=300"
    return response


# --- the list-first entry, the map and the booths -------------------------------------------


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """The malls with a virtual hall: the MPP first, then the Mini MPPs by kecamatan."""
    return render(request, "metapers/index.html", {"malls": malls_with_halls()})


@require_safe
def hall(request: HttpRequest, slug: str) -> HttpResponse:
    """The hall as a list: rooms, their tenants' booths with counters, waiting tickets and
    whether an officer is in; works without JavaScript and with a screen reader."""
    found = access_hall(slug)
    return render(
        request,
        "metapers/hall.html",
        {"hall": found, "mall": found.mall, "rooms": hall_directory(found)},
    )


@require_safe
def floor_map_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The server-drawn SVG floor map; each booth links to its booth page, the front desk to
    the list (it serves every tenant: the visitor chooses one there)."""
    found = access_hall(slug)
    scene = scene_of(found)
    svg = floor_map(
        scene,
        booth_url=lambda tenant: reverse("metapers:booth", args=[slug, tenant]),
        portal_url=lambda mall: reverse("metapers:map", kwargs={"slug": mall}),
        front_desk_url=reverse("metapers:hall", args=[slug]),
    )
    context = {"hall": found, "mall": found.mall, "floor_map": svg, "map_list": map_list(scene)}
    return render(request, "metapers/map.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def booth(request: HttpRequest, slug: str, tenant_slug: str) -> HttpResponse:
    """A tenant's booth: its services here with their published standards, the counters that
    serve them (a Mini MPP's front counters), each with a form that takes a real number
    (channel Metapers) and a link to ask an officer."""
    mall, presence = access_booth(slug, tenant_slug)
    services = booth_services(mall, presence.tenant)
    if request.method != "POST":
        return _booth_page(request, mall, presence, services)
    form = BoothNumberForm(request.POST, services=services)
    if not form.is_valid():
        return render(request, "400.html", {"form_errors": form.errors}, status=400)
    service = form.cleaned_data["service"]
    try:  # the one issuing rule: visitors through Metapers, staff in their scope, no auditor
        channel = issuing_channel(request.user, mall, service, public=Ticket.Channel.METAPERS)
    except IssuingForbidden as forbidden:
        return _booth_page(
            request, mall, presence, services, message=str(forbidden), status=forbidden.status
        )
    citizen = channel in REMOTE_CHANNELS
    if citizen and not phone_may_issue(request.META.get("REMOTE_ADDR", "")):
        message = _("Terlalu banyak permintaan; coba lagi sebentar lagi.")
        return _booth_page(request, mall, presence, services, message=message, status=429)
    try:
        issued = issue_ticket(
            mall=mall,
            service=service,
            channel=channel,
            priority=form.cleaned_data["priority"] or Ticket.Priority.NONE,
            idempotency_key=form.cleaned_data["idempotency_key"] or None,
            idempotency_owner=idempotency_owner(request),
            holder=holder_of(request) if citizen else "",
            acting_user=None if citizen else request.user,
        )
    except TicketRefused as refused:
        message = page_message(refused)
        status = 429 if refused.status == 429 else 409  # 429: numbers held (queueing.limits)
        return _booth_page(request, mall, presence, services, message=message, status=status)
    return redirect(reverse("queueing:ticket", kwargs={"code": issued.ticket.code}))


def _booth_page(
    request: HttpRequest,
    mall: Mall,
    presence: MallTenant,
    services: list[Service],
    *,
    message: str = "",
    status: int = 200,
) -> HttpResponse:
    counters, at_front_desk = booth_counters(mall, presence.tenant)
    context = {
        "mall": mall,
        "presence": presence,
        "tenant": presence.tenant,
        "counters": counters,
        "at_front_desk": at_front_desk,
        "services": services,
        "priorities": Ticket.Priority.choices,
        # One key per rendered page: a double tap or a resubmission gives one ticket.
        "form_key": secrets.token_urlsafe(12),
        "message": message,
    }
    return render(request, "metapers/booth.html", context, status=status)


class BoothNumberForm(forms.Form):
    """The service a visitor takes a number for at a booth, among the booth's services."""

    service = forms.TypedChoiceField(
        label=_("Layanan"),
        coerce=int,
        error_messages={
            "required": _("Pilih layanan."),
            "invalid_choice": _("Layanan ini tidak dibuka di gerai ini."),
        },
    )
    priority = forms.ChoiceField(
        label=_("Prioritas"), choices=Ticket.Priority.choices, required=False
    )
    idempotency_key = forms.CharField(required=False, max_length=80, widget=forms.HiddenInput)

    def __init__(self, *args: Any, services: list[Service], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.services = {s.pk: s for s in services}
        self.fields["service"].choices = [(s.pk, s.name) for s in services]  # type: ignore[attr-defined]

    def clean_service(self) -> Service:
        return self.services[self.cleaned_data["service"]]
