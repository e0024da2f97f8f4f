"""The rollout board's weekly report as a printable A4 PDF (WeasyPrint): title, cut-off, the
twenty rows, the late items by owner agency, and a signature block for DPMPTSP's head."""

from __future__ import annotations

from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _


def signature(region: Any, today: Any) -> dict[str, str]:
    """The place, date and position of the signature block (name and NIP left to write on)."""
    return {
        "place": region.seat,
        "date": date_format(today, "j F Y"),
        "position": _("Kepala Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"),
    }


def weekly_pdf(request: Any, context: dict[str, Any], *, base_url: str | None = None) -> bytes:
    """The board's `context` (views_board.board_context plus `overdue_items`) as a PDF."""
    from django.template.loader import render_to_string
    from weasyprint import HTML

    today = context["today"]
    year, week, _weekday = today.isocalendar()
    html = render_to_string(
        "rollout/weekly_pdf.html",
        {
            **context,
            "pdf": True,
            "week": week,
            "week_year": year,
            "signature": signature(context["region"], today),
        },
        request=request,
    )
    base = base_url or request.build_absolute_uri("/")
    return HTML(string=html, base_url=base).write_pdf()  # type: ignore[no-any-return]
