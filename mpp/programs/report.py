"""A programme's report for the regent and the Ministry of Religious Affairs' office (issue 20,
item 8): the figures, as SQL aggregates (a handful of queries whatever the number of couples),
and the same figures as a PDF (WeasyPrint, written by the background worker) and an XLSX.

What the figures mean (also printed under the tables):
- registered: every registration made, cancelled ones included;
- eligible: registrations not cancelled. register_couple refuses an ineligible couple, so every
  registration passed the eligibility check when it was made; a couple who withdrew or was
  cancelled is no longer counted;
- approved: approved by the KUA (also those since scheduled or married);
- married, marriage books issued (a book number recorded);
- KK and KTP-el done: civil-registry follow-ups marked done; "KK the same day": the new family
  card done on the local date (the region's zone) of the akad;
- fees: of the registrations not cancelled, by who bears them and by tariff basis, due and paid
  (a bank receipt recorded). "Ditanggung", never "gratis": PNBP that is due is paid by someone.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncDate
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mpp.core import clock
from mpp.programs.fees import rupiah
from mpp.programs.models import CivilTask, FeeBearer, Programme, Registration, TariffBasis

APPROVED = [
    Registration.Status.APPROVED,
    Registration.Status.SCHEDULED,
    Registration.Status.MARRIED,
]
KTP_KINDS = [CivilTask.Kind.KTP_GROOM, CivilTask.Kind.KTP_BRIDE]


@dataclass(frozen=True)
class FeeLine:
    """Couples and Rupiah of one fee bearer or tariff basis."""

    key: str
    label: str
    couples: int
    due_idr: int
    paid: int  # couples whose PNBP has a bank receipt (or who owe Rp0)
    paid_idr: int

    @property
    def due_label(self) -> str:
        return rupiah(self.due_idr)

    @property
    def paid_label(self) -> str:
        return rupiah(self.paid_idr)


@dataclass
class Figures:
    registered: int = 0
    cancelled: int = 0
    eligible: int = 0
    approved: int = 0
    married: int = 0
    books: int = 0
    kk_total: int = 0
    kk_done: int = 0
    kk_same_day: int = 0
    ktp_total: int = 0
    ktp_done: int = 0
    fee_couples: int = 0
    fee_due_idr: int = 0
    fee_paid_idr: int = 0
    by_bearer: list[FeeLine] = field(default_factory=list)
    by_basis: list[FeeLine] = field(default_factory=list)

    @property
    def fee_paid(self) -> int:
        return sum(line.paid for line in self.by_bearer)

    @property
    def fee_due_label(self) -> str:
        return rupiah(self.fee_due_idr)

    @property
    def fee_paid_label(self) -> str:
        return rupiah(self.fee_paid_idr)

    def as_rows(self) -> list[tuple[str, int]]:
        """The headline figures as (label, value), in the report's order."""
        return [
            (_("Pasangan terdaftar"), self.registered),
            (_("Dibatalkan"), self.cancelled),
            (_("Memenuhi syarat (terdaftar, tidak dibatalkan)"), self.eligible),
            (_("Disetujui KUA"), self.approved),
            (_("Menikah"), self.married),
            (_("Buku nikah diterbitkan"), self.books),
            (_("KK baru selesai"), self.kk_done),
            (_("KK baru selesai pada hari akad"), self.kk_same_day),
            (_("KTP-el status kawin selesai"), self.ktp_done),
        ]


def programme_figures(programme: Programme) -> Figures:
    """The report's figures of `programme`, read now. Five queries."""
    zone = ZoneInfo(programme.region.timezone)
    registrations = Registration.objects.filter(programme=programme)
    counts = registrations.aggregate(
        registered=Count("pk"),
        cancelled=Count("pk", filter=Q(status=Registration.Status.CANCELLED)),
        approved=Count("pk", filter=Q(status__in=APPROVED)),
        married=Count("pk", filter=Q(status=Registration.Status.MARRIED)),
        books=Count("pk", filter=~Q(marriage_book_number="")),
    )
    tasks = CivilTask.objects.filter(registration__programme=programme)
    done = Q(status=CivilTask.Status.DONE)
    civil = tasks.aggregate(
        kk_total=Count("pk", filter=Q(kind=CivilTask.Kind.KK)),
        kk_done=Count("pk", filter=done & Q(kind=CivilTask.Kind.KK)),
        ktp_total=Count("pk", filter=Q(kind__in=KTP_KINDS)),
        ktp_done=Count("pk", filter=done & Q(kind__in=KTP_KINDS)),
    )
    # The same local day, not the same UTC day: an akad at 08.30 WITA is 00.30 UTC, and a KK
    # done at 07.30 WITA the next morning would otherwise count (Asia/Makassar is UTC+8).
    same_day = (
        tasks.filter(done, kind=CivilTask.Kind.KK, registration__married_at__isnull=False)
        .annotate(
            done_day=TruncDate("done_at", tzinfo=zone),
            akad_day=TruncDate("registration__married_at", tzinfo=zone),
        )
        .filter(done_day=F("akad_day"))
        .count()
    )
    live = registrations.exclude(status=Registration.Status.CANCELLED)
    by_bearer = _fee_lines(live, "fee_bearer", dict(FeeBearer.choices), with_sponsor=True)
    by_basis = _fee_lines(live, "tariff_basis", dict(TariffBasis.choices))
    return Figures(
        registered=counts["registered"],
        cancelled=counts["cancelled"],
        eligible=counts["registered"] - counts["cancelled"],
        approved=counts["approved"],
        married=counts["married"],
        books=counts["books"],
        kk_same_day=same_day,
        **civil,
        fee_couples=sum(line.couples for line in by_bearer),
        fee_due_idr=sum(line.due_idr for line in by_bearer),
        fee_paid_idr=sum(line.paid_idr for line in by_bearer),
        by_bearer=by_bearer,
        by_basis=by_basis,
    )


def _fee_lines(
    qs: Any, column: str, labels: dict[str, Any], *, with_sponsor: bool = False
) -> list[FeeLine]:
    """Couples, Rupiah due and Rupiah paid per value of `column` (and per sponsor's name when
    `with_sponsor`: "Ditanggung sponsor: Bank X"), in the choices' order."""
    paid = Q(fee_idr=0) | ~Q(receipt_number="")
    columns = [column, "sponsor_name"] if with_sponsor else [column]
    rows = qs.values(*columns).annotate(
        couples=Count("pk"),
        due=Sum("fee_idr"),
        paid=Count("pk", filter=paid),
        paid_idr=Sum("fee_idr", filter=~Q(receipt_number="")),
    )
    order = list(labels)
    lines = []
    for row in sorted(rows, key=lambda r: (order.index(r[column]), r.get("sponsor_name", ""))):
        label = str(labels[row[column]])
        if with_sponsor and row["sponsor_name"]:
            label = f"{label}: {row['sponsor_name']}"
        lines.append(
            FeeLine(
                key=row[column],
                label=label,
                couples=row["couples"],
                due_idr=row["due"] or 0,
                paid=row["paid"],
                paid_idr=row["paid_idr"] or 0,
            )
        )
    return lines


def cut_off(programme: Programme) -> tuple[dt.datetime, str]:
    """The instant the figures are read at, and its words ("7 Desember 2026 pukul 15.30 WITA")."""
    as_of = clock.local_now(programme.region.timezone)
    label = _("%(date)s pukul %(time)s %(zone)s") % {
        "date": date_format(as_of, "j F Y"),
        "time": as_of.strftime("%H.%M"),
        "zone": as_of.tzname() or "",
    }
    return as_of, label


def report_context(programme: Programme) -> dict[str, Any]:
    """What the page, the PDF and the XLSX show: the same figures at the same cut-off."""
    as_of, as_of_label = cut_off(programme)
    sessions = list(programme.sessions.all())
    return {
        "programme": programme,
        "figures": programme_figures(programme),
        "sessions": sessions,
        "as_of": as_of,
        "as_of_label": as_of_label,
        "today": as_of.date(),
        "prizes": list(programme.prizes.all()) if programme.is_drawn else [],
    }


def file_stem(programme: Programme, today: dt.date) -> str:
    return f"laporan-{programme.slug}-{today:%Y-%m-%d}"


# --- files ------------------------------------------------------------------------------------


def signature(programme: Programme, today: dt.date) -> dict[str, str]:
    """The signature block: place and date; name and NIP left blank to write on."""
    return {
        "place": programme.region.seat,
        "date": date_format(today, "j F Y"),
        "position": _("Kepala Kantor Urusan Agama Kecamatan %(k)s")
        % {"k": programme.kua.district.name},
        "position_2": _("Kepala Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"),
    }


def report_pdf(context: dict[str, Any], *, base_url: str) -> bytes:
    """The report as an A4 PDF (WeasyPrint)."""
    from django.template.loader import render_to_string
    from weasyprint import HTML

    html = render_to_string(
        "programs/report_pdf.html",
        {
            **context,
            "pdf": True,
            "signature": signature(context["programme"], context["today"]),
        },
    )
    return HTML(string=html, base_url=base_url).write_pdf()  # type: ignore[no-any-return]


def report_xlsx(context: dict[str, Any]) -> bytes:
    """The report as a workbook: the figures, fees by bearer, fees by basis. Every text goes in
    as a string cell (core.sheets.append_row): a programme's or sponsor's name typed as
    "=HYPERLINK(...)" stays text."""
    from openpyxl import Workbook

    from mpp.core.sheets import add_table, append_row

    programme: Programme = context["programme"]
    figures: Figures = context["figures"]
    book = Workbook()
    first = book.active
    assert first is not None
    first.title = _("Ringkasan")
    append_row(first, [programme.title])
    append_row(first, [_("Data per %(t)s") % {"t": context["as_of_label"]}])
    append_row(first, [_("KUA pencatat"), programme.kua.name])
    for s in context["sessions"]:
        append_row(first, [_("Akad"), f"{date_format(s.date, 'l, j F Y')} {s.starts_at:%H.%M}",
                           s.place])  # fmt: skip
    append_row(first, [])
    append_row(first, [_("Angka"), _("Jumlah")])
    for label, value in figures.as_rows():
        append_row(first, [label, value])
    first.column_dimensions["A"].width = 48
    first.column_dimensions["B"].width = 30

    money = "#,##0"
    heading = [
        _("Keterangan"),
        _("Pasangan"),
        _("Biaya terutang (Rp)"),
        _("Sudah disetor / Rp0"),
        _("Disetor (Rp)"),
    ]

    def lines(fee_lines: list[FeeLine]) -> list[list[Any]]:
        rows: list[list[Any]] = [
            [f.label, f.couples, f.due_idr, f.paid, f.paid_idr] for f in fee_lines
        ]
        rows.append([_("Jumlah"), figures.fee_couples, figures.fee_due_idr, figures.fee_paid,
                     figures.fee_paid_idr])  # fmt: skip
        return rows

    def fmt(column: int, value: Any) -> str | None:
        return money if column in (3, 5) and isinstance(value, int) else None

    add_table(book, _("Biaya per penanggung"), heading, lines(figures.by_bearer),
              width=26, number_format=fmt)  # fmt: skip
    add_table(book, _("Biaya per dasar tarif"), heading, lines(figures.by_basis),
              width=26, number_format=fmt)  # fmt: skip
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
