"""What the couple is told in words, and the registration receipt as a PDF (WeasyPrint, like
rollout/certificates.py): the programme, the code, the date, the names and masked NIKs, the
session, the fee line, the document checklist, and a QR code of the couple's own page, which
the KUA scans to check the couple in on the ceremony day.

The fee is worded honestly (PP 48/2014, PP 59/2018): PNBP that is due is "ditanggung" by whoever
pays it, never "gratis" or "dibebaskan" (docs: ../shared/domain/marriage.md).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import segno
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mpp.core.nik import mask_nik
from mpp.malls.models import Region
from mpp.programs.fees import registration_fee_line
from mpp.programs.models import (
    AkadSession,
    Document,
    Person,
    Registration,
)

# The Indonesian names of the time zones a region may be in.
ZONE_NAMES = {"Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB", "Asia/Makassar": "WITA"}
ZONE_NAMES |= {"Asia/Jayapura": "WIT"}


def long_date(day: dt.date) -> str:
    """Rabu, 25 Maret 2026 (in the request's language)."""
    return date_format(day, "l, j F Y")


def session_words(session: AkadSession, region: Region) -> str:
    """Jumat, 10 April 2026, pukul 08.30 WITA, Aula MPP …"""
    return _("%(day)s, pukul %(time)s %(zone)s, %(place)s") % {
        "day": long_date(session.date),
        "time": session.starts_at.strftime("%H.%M"),
        "zone": ZONE_NAMES.get(region.timezone, ""),
        "place": session.place,
    }


# Whose a document is (Document.who; "" for the couple's own).
WHO_WORDS = {
    "groom": gettext_lazy("calon suami"),
    "bride": gettext_lazy("calon istri"),
    "wali": gettext_lazy("wali"),
}


def checklist(registration: Registration) -> list[Document]:
    """The registration's documents, each with `who_label` (whose it is) set."""
    documents = list(registration.documents.all())
    for document in documents:
        document.who_label = str(WHO_WORDS.get(document.who, _("bersama")))  # type: ignore[attr-defined]
    return documents


def people_of(registration: Registration) -> dict[str, Person]:
    """The registration's people by role, each with `nik_masked` set."""
    people = {p.role: p for p in registration.people.all()}
    for person in people.values():
        person.nik_masked = mask_nik(person.nik) if person.nik else ""  # type: ignore[attr-defined]
    return people


def couple_page_url(request: Any, registration: Registration) -> str:
    """The couple's own page, absolute (the QR code's address)."""
    return str(
        request.build_absolute_uri(
            reverse("programs:registration", kwargs={"access_key": registration.access_key})
        )
    )


def receipt_context(request: Any, registration: Registration) -> dict[str, Any]:
    programme = registration.programme
    url = couple_page_url(request, registration)
    return {
        "registration": registration,
        "programme": programme,
        "people": people_of(registration),
        "documents": checklist(registration),
        "registered": long_date(registration.registered_on),
        "session": (
            session_words(registration.session, programme.region) if registration.session else ""
        ),
        "fee": registration_fee_line(registration),
        "page_url": url,
        "qr": segno.make(url, error="m").svg_data_uri(scale=4, border=1),
    }


def receipt_pdf(request: Any, registration: Registration) -> bytes:
    """The registration receipt as an A4 PDF."""
    from django.template.loader import render_to_string
    from weasyprint import HTML

    html = render_to_string(
        "programs/receipt_pdf.html", receipt_context(request, registration), request=request
    )
    base = request.build_absolute_uri("/")
    return HTML(string=html, base_url=base).write_pdf()  # type: ignore[no-any-return]
