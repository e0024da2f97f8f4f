"""The survey report as files: a workbook (numbers as number cells) and a PDF (weasyprint),
both from the same `reports.Report` the page shows."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from mpp.core.sheets import add_table
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
        [_("Kinerja unit pelayanan"), index.kinerja or "–"],
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
          r.kinerja] for r in report.elements],
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


def report_pdf(request: Any, context: dict[str, Any]) -> bytes:
    """The report as a printable A4 document, the chart as the same SVG as the web page."""
    from django.template.loader import render_to_string
    from weasyprint import HTML

    html = render_to_string("surveys/report_pdf.html", {**context, "pdf": True}, request=request)
    return HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()  # type: ignore[no-any-return]
