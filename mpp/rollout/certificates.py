"""The training certificate as a PDF (weasyprint, like surveys/report_files.py): A4 landscape,
the region and the venue, the participant, the modules passed with their scores, the number,
the date, and the check code with a QR code to the public verification page."""

from __future__ import annotations

from typing import Any

import segno
from django.urls import reverse
from django.utils.formats import date_format

from mpp.core import clock
from mpp.rollout.models import Certificate
from mpp.rollout.training import best_scores


def verification_url(request: Any, certificate: Certificate) -> str:
    """The public page that confirms the certificate (its QR code's address)."""
    return str(
        request.build_absolute_uri(
            reverse("rollout:certificate-check", kwargs={"code": certificate.code})
        )
    )


def certificate_context(request: Any, certificate: Certificate) -> dict[str, Any]:
    session = certificate.session
    region = session.region
    url = verification_url(request, certificate)
    issued = certificate.issued_at.astimezone(clock.local_now(region.timezone).tzinfo)
    return {
        "certificate": certificate,
        "member": certificate.member,
        "session": session,
        "region": region,
        "venue": session.venue,
        "scores": best_scores(certificate.member, session),
        "issued": date_format(issued, "j F Y"),
        "place": region.seat,
        "verify_url": url,
        "qr": segno.make(url, error="m").svg_data_uri(scale=4, border=1),
    }


def certificate_pdf(request: Any, certificate: Certificate) -> bytes:
    """The certificate as a one-page A4 landscape PDF."""
    from django.template.loader import render_to_string
    from weasyprint import HTML

    html = render_to_string(
        "rollout/certificate_pdf.html", certificate_context(request, certificate), request=request
    )
    base = request.build_absolute_uri("/")
    return HTML(string=html, base_url=base).write_pdf()  # type: ignore[no-any-return]
