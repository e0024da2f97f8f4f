"""An appointment as an iCalendar file (RFC 5545): one VEVENT, times in UTC, text escaped.
Small enough to write by hand; no library needed for one event."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from mpp.appointments.models import Appointment
from mpp.core import clock


def escape(text: str) -> str:
    """TEXT value escaping (RFC 5545 §3.3.11): backslash, semicolon, comma, newline."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _utc(instant: dt.datetime) -> str:
    return instant.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _fold(line: str) -> str:
    """Lines longer than 75 octets folded with CRLF and a space (RFC 5545 §3.1)."""
    out, current = [], b""
    for ch in line:
        encoded = ch.encode()
        if len(current) + len(encoded) > 75:
            out.append(current.decode())
            current = b" "
        current += encoded
    out.append(current.decode())
    return "\r\n".join(out)


def calendar_file(appointment: Appointment, *, host: str) -> str:
    slot = appointment.slot
    zone = appointment.mall.zone
    start = dt.datetime.combine(slot.date, slot.start, tzinfo=zone)
    end = dt.datetime.combine(slot.date, slot.end, tzinfo=zone)
    summary = _("Janji temu %(service)s (kode %(code)s)") % {
        "service": appointment.service.name,
        "code": appointment.grouped_code,
    }
    location = f"{appointment.mall.name}, {appointment.mall.address}"
    bring = "; ".join(str(i) for i in appointment.service.requirements or [])
    description = _("Bawa: %(items)s") % {"items": bring} if bring else ""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//MPP//Janji temu//ID",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{appointment.code}@{host}",
        f"DTSTAMP:{_utc(clock.now())}",
        f"DTSTART:{_utc(start)}",
        f"DTEND:{_utc(end)}",
        f"SUMMARY:{escape(summary)}",
        f"LOCATION:{escape(location)}",
    ]
    if description:
        lines.append(f"DESCRIPTION:{escape(description)}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
