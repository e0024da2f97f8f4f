"""The phone page's "Beri tahu saya" form: a ticket's alerts on and off (queueing/alerts.py,
docs/adr/0033). Plain forms with CSRF that post and come back to the page: no script needed."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from mpp.queueing import alerts
from mpp.queueing.access import access_slip_by_code
from mpp.queueing.exceptions import QueueError
from mpp.queueing.models import Ticket
from mpp.queueing.queries import ticket_status

CONTACT_MAX = 254


def split_contact(text: str) -> tuple[str, str]:
    """One field, "Nomor HP atau surel": (phone, email) by whether it has an @."""
    text = text.strip()
    return ("", text) if "@" in text else (text, "")


@require_POST
def alert_on(request: HttpRequest, code: str) -> HttpResponse:
    """Turn the ticket's alerts on; a refusal shows the page again with the reason (400/409)."""
    slip, ticket = access_slip_by_code(code)
    contact = request.POST.get("kontak", "")[:CONTACT_MAX]
    phone, email = split_contact(contact)
    try:
        alerts.turn_on(ticket, phone=phone, email=email)
    except QueueError as refused:
        context = {
            "ticket": ticket,
            "slip": slip,
            "mall": ticket.mall,
            "status": ticket_status(ticket, slip=slip),
            "states": Ticket.Status.choices,
            "alert": alerts.shown(ticket),
            "alert_error": str(refused),
            "alert_value": contact,
        }
        return render(request, "queueing/ticket.html", context, status=refused.status)
    return redirect(reverse("queueing:ticket", kwargs={"code": code}) + "#pemberitahuan")


@require_POST
def alert_off(request: HttpRequest, code: str) -> HttpResponse:
    """Turn the ticket's alerts off (the contact is deleted); a second tap changes nothing."""
    _slip, ticket = access_slip_by_code(code)
    alerts.turn_off(ticket)
    return redirect(reverse("queueing:ticket", kwargs={"code": code}) + "#pemberitahuan")
