"""What a booked person is told, through the message outbox (mpp.notifications.outbox), only
when they asked for messages: short, Indonesian, never the NIK. Each message has a once-only
key, so a job run twice sends nothing twice."""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mpp.appointments.models import Appointment
from mpp.notifications import outbox

# The requirements listed in a confirmation: the first few, then "dan lainnya" and the page.
REQUIREMENTS_IN_MESSAGE = 5


def when(appointment: Appointment) -> str:
    slot = appointment.slot
    return _("%(day)s pukul %(start)s–%(end)s") % {
        "day": date_format(slot.date, "l, j F Y"),
        "start": slot.start.strftime("%H.%M"),
        "end": slot.end.strftime("%H.%M"),
    }


def _bring(appointment: Appointment) -> str:
    items = [str(i) for i in appointment.service.requirements or []]
    if not items:
        return ""
    shown = items[:REQUIREMENTS_IN_MESSAGE]
    more = _(" dan lainnya (lihat halaman janji temu)") if len(items) > len(shown) else ""
    return _("Bawa: %(items)s%(more)s.") % {"items": "; ".join(shown), "more": more}


def _send(appointment: Appointment, *, kind: str, key: str, text: str) -> None:
    if not appointment.wants_messages or not appointment.phone:
        return
    outbox.send(kind=kind, text=text, key=key, phone=appointment.phone, mall=appointment.mall)


def confirmed(appointment: Appointment) -> None:
    text = _("Janji temu %(code)s: %(service)s di %(mall)s, %(when)s. %(bring)s") % {
        "code": appointment.grouped_code,
        "service": appointment.service.name,
        "mall": appointment.mall.short_name,
        "when": when(appointment),
        "bring": _bring(appointment),
    }
    _send(
        appointment, kind="appointment.confirmed", key=f"appt:{appointment.pk}:confirmed", text=text
    )


def moved(appointment: Appointment) -> None:
    text = _("Janji temu %(code)s dipindah: %(service)s di %(mall)s, %(when)s.") % {
        "code": appointment.grouped_code,
        "service": appointment.service.name,
        "mall": appointment.mall.short_name,
        "when": when(appointment),
    }
    key = f"appt:{appointment.pk}:moved:{appointment.slot_id}"
    _send(appointment, kind="appointment.moved", key=key, text=text)


def reminder(appointment: Appointment) -> None:
    text = _("Pengingat: besok %(when)s, %(service)s di %(mall)s (kode %(code)s). %(bring)s") % {
        "when": when(appointment),
        "service": appointment.service.name,
        "mall": appointment.mall.short_name,
        "code": appointment.grouped_code,
        "bring": _bring(appointment),
    }
    _send(
        appointment,
        kind="appointment.reminder",
        key=f"appt:{appointment.pk}:reminder:{appointment.slot_id}",
        text=text,
    )


def closed(appointment: Appointment) -> None:
    text = _(
        "Maaf, janji temu %(code)s (%(service)s, %(when)s) dibatalkan: %(reason)s. "
        "Silakan pesan hari lain."
    ) % {
        "code": appointment.grouped_code,
        "service": appointment.service.name,
        "when": when(appointment),
        "reason": appointment.cancel_reason,
    }
    _send(appointment, kind="appointment.closed", key=f"appt:{appointment.pk}:closed", text=text)
