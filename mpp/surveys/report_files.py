"""The survey report as files: a workbook (numbers as number cells) and a PDF (weasyprint),
both from the same `reports.Report` the page shows."""

from __future__ import annotations

import base64
import datetime as dt
import io
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from mpp.core.sheets import add_table
from mpp.malls.models import Mall
from mpp.surveys import ikm
from mpp.surveys.reports import RULE, Report


def report_xlsx(report: Report) -> bytes:
    """The report as a workbook: Ringkasan, NRR per unsur, Profil responden, Tindak lanjut,
    Saran (and Perbandingan). Numbers are number cells with number formats, never text."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment

    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)

    def sheet(
        title: str, heading: list[str], rows: list[list[Any]], formats: dict[int, str]
    ) -> Any:
        def number_format(column: int, value: Any) -> str | None:
            numeric = isinstance(value, int | float | Decimal | dt.date)
            return formats.get(column) if numeric else None

        return add_table(book, title, heading, rows, width=18, number_format=number_format)

    index, sample = report.index, report.sample
    summary: list[list[Any]] = [
        [_("Cakupan"), report.title],
        [_("Periode"), report.period.label],
        [_("Dari tanggal"), report.period.start],
        [_("Sampai tanggal"), report.period.end],
        [_("Aturan"), RULE],
        [_("Bobot"), report.weights_label],
        [_("Responden"), index.respondents],
        [_("IKM (skala 1–4)"), report.ikm4],
        [_("Nilai IKM konversi (IKM × 25)"), index.score],
        [_("Mutu pelayanan"), index.mutu or "–"],
        [_("Kinerja unit pelayanan"), _(index.kinerja) if index.kinerja else "–"],
        [_("Populasi (tiket selesai dilayani)"), sample.population],
        [_("Sampel minimal (Krejcie–Morgan)"), sample.required],
        [
            _("Sampel cukup"),
            (_("ya") if sample.is_enough else _("tidak"))
            if sample.is_known
            else _("tidak diketahui (tidak ada tiket selesai dilayani)"),
        ],
    ]
    ws = sheet("Ringkasan", [_("Ringkasan"), _("Nilai")], summary, {})
    formats = {
        _("Dari tanggal"): "DD-MM-YYYY",
        _("Sampai tanggal"): "DD-MM-YYYY",
        _("Responden"): "#,##0",
        _("IKM (skala 1–4)"): "0.0000",
        _("Nilai IKM konversi (IKM × 25)"): "0.00",
        _("Populasi (tiket selesai dilayani)"): "#,##0",
        _("Sampel minimal (Krejcie–Morgan)"): "#,##0",
    }
    for label_cell, value_cell in ws.iter_rows(min_row=2, max_col=2):
        if label_cell.value in formats:
            value_cell.number_format = formats[label_cell.value]
            value_cell.alignment = Alignment(horizontal="right")
    ws.column_dimensions["A"].width = 36
    ws.column_dimensions["B"].width = 48

    weight_format = "0.000" if report.is_legacy else "# ?/?"
    sheet(
        "NRR per unsur",
        [_("Kode"), _("Unsur"), _("Bobot"), _("Jumlah nilai"), _("Jumlah penjawab"), _("NRR"),
         _("NRR × 25"), _("Mutu"), _("Kinerja")],
        [[r.code, r.name, float(r.weight), r.total, r.answered, r.nrr4, r.score, r.mutu,
          _(r.kinerja) if r.kinerja else None] for r in report.elements],
        {3: weight_format, 4: "#,##0", 5: "#,##0", 6: "0.0000", 7: "0.00"},
    )  # fmt: skip
    sheet(
        "Profil responden",
        [_("Aspek"), _("Kategori"), _("Responden"), _("Persen")],
        [[t.title, label, n, share] for t in report.profile for label, n, share in t.rows],
        {3: "#,##0", 4: "0.0%"},
    )
    sheet(
        "Tindak lanjut",
        [_("Mal"), _("Instansi"), _("Unsur"), _("Tindak lanjut"), _("Penanggung jawab"),
         _("Batas waktu"), _("Status"), _("Awal periode"), _("Akhir periode")],
        [[f.mall.name, f.tenant.short_name if f.tenant else "", f.element_code, f.action, f.owner,
          f.deadline, f.get_status_display(), f.period_start, f.period_end]
         for f in report.follow_ups],
        {6: "DD-MM-YYYY", 8: "DD-MM-YYYY", 9: "DD-MM-YYYY"},
    )  # fmt: skip
    sheet(
        "Saran",
        [_("No."), _("Saran dan masukan")],
        [[i, text] for i, text in enumerate(report.suggestions, start=1)],
        {},
    )
    sheet(
        "Perbandingan",
        [report.comparison_title, _("Responden"), _("IKM (1–4)"), _("Nilai konversi"), _("Mutu")],
        [[g.label, g.index.respondents,
          None if g.index.ikm is None else ikm.round_half_up(g.index.ikm, 4), g.index.score,
          g.index.mutu or "–"] for g in report.comparison],
        {2: "#,##0", 3: "0.0000", 4: "0.00"},
    )  # fmt: skip
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def letterhead(scope: Any, signer: dict[str, str], today: dt.date) -> dict[str, Any]:
    """The kop and the signature block of the filed report. The kop is the regency's and its
    DPMPTSP's (which runs the MPP), with the address, contacts and logo of the scope's mall —
    for the whole regency, of its MPP. The signature: the regency seat and today's date the
    Indonesian way, then the position, name and NIP given with the download (blank lines to
    write on otherwise)."""
    from django.template.loader import render_to_string
    from django.utils.formats import date_format

    region = scope.mall.region if scope.mall is not None else scope.region
    mall = scope.mall or (
        Mall.objects.filter(region=region, kind=Mall.Kind.MPP).order_by("pk").first()
        if region is not None
        else None
    )
    logo = ""
    if mall is not None:
        svg = mall.logo_svg or render_to_string(
            "malls/logo.svg", {"mall": mall, "initials": mall.initials}
        )
        logo = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
    if scope.mall is not None and scope.mall.kind == Mall.Kind.MINI_MPP:
        position = _("Camat %(d)s") % {"d": scope.mall.district.name}
    else:
        position = _("Kepala Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu")
    return {
        "government": (_("Pemerintah %(r)s") % {"r": region.name}).upper() if region else "",
        "office": _("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu").upper(),
        "mall": mall,
        "logo": logo,
        "place": region.seat if region else "",
        "date": date_format(today, "j F Y"),
        "position": signer.get("ttd_jabatan") or position,
        "name": signer.get("ttd_nama") or "",
        "nip": signer.get("ttd_nip") or "",
    }


def report_pdf(request: Any, context: dict[str, Any], *, base_url: str | None = None) -> bytes:
    """The report as a printable A4 document, the chart as the same SVG as the web page.
    `base_url`: the site's address its links start from (the request's own by default)."""
    from django.template.loader import render_to_string
    from weasyprint import HTML

    html = render_to_string("surveys/report_pdf.html", {**context, "pdf": True}, request=request)
    base = base_url or request.build_absolute_uri("/")
    return HTML(string=html, base_url=base).write_pdf()  # type: ignore[no-any-return]
