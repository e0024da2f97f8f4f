"""Files: the canonical import template (CSV, XLSX) and the dashboard as XLSX and PDF."""

from __future__ import annotations

import io
from typing import Any

from django.utils.formats import date_format

from mpp.core.sheets import add_table, append_row, csv_row
from mpp.investment.importing import COLUMNS, OPTIONAL_COLUMNS
from mpp.investment.models import Nature

TEMPLATE_EXAMPLE = [
    ["2025", "Q1", "PT Contoh Sawit Lestari", "9120301234567", "PMDN", "10431", "5", "64.02.11",
     "IDR", "12500000000", "", "48", "12", "0", "Disetujui"],
    ["2025", "Q1", "PT Contoh Tambang Mahakam", "9120307654321", "PMA", "05100", "4", "64.02.02",
     "USD", "1250000.00", "16400", "120", "8", "3", "Disetujui"],
    ["2025", "S1", "CV Contoh Kuliner Tenggarong", "9120305555555", "PMDN", "56101", "20",
     "64.02.06", "IDR", "350000000", "", "6", "9", "0", "Disetujui"],
]  # fmt: skip


def template_csv() -> bytes:
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerows(csv_row(row) for row in TEMPLATE_EXAMPLE)
    return buffer.getvalue().encode()


def template_xlsx() -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Realisasi"
    append_row(sheet, COLUMNS)
    for row in TEMPLATE_EXAMPLE:
        append_row(sheet, row)  # text cells: KBLI and NIB keep their leading zeros
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    notes = book.create_sheet("Petunjuk")
    for line in TEMPLATE_NOTES:
        append_row(notes, [line])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


TEMPLATE_NOTES = [
    "Satu baris = satu laporan LKPM (perusahaan, KBLI, kecamatan proyek, periode).",
    "year: tahun empat angka. period: Q1–Q4 (triwulan) atau S1–S2 (semester, usaha kecil).",
    "status: PMA atau PMDN. nib: 13 angka. kbli: 5 angka (KBLI 2020).",
    "sector: nomor sektor nasional 1–23. district_code: kode Kemendagri kecamatan, mis. 64.02.06.",
    "currency: IDR, USD, ... amount: nilai realisasi periode ini dalam mata uang itu.",
    "rate: rupiah per satu unit mata uang asing; wajib untuk PMA dan mata uang asing.",
    "workers_male, workers_female: tenaga kerja Indonesia yang diserap; workers_foreign: TKA.",
    "report_status: hanya 'Disetujui' yang dihitung dalam realisasi.",
    f"Kolom tambahan opsional: {', '.join(OPTIONAL_COLUMNS)} (jumlahnya harus sama dengan amount).",
    "Mengimpor periode yang sama lagi menggantikan data periode itu, tidak menambahkannya.",
]


def dashboard_xlsx(
    region: Any, context: dict[str, Any], companies: list[dict[str, Any]] | None = None
) -> bytes:
    """The dashboard's tables as a workbook: summary, quarters, sectors, kecamatan, trend,
    sources. Amounts are whole rupiah in number cells (so sums work), labelled."""
    from openpyxl import Workbook

    board = context["board"]
    book = Workbook()
    money = "#,##0"

    def sheet(title: str, heading: list[str], rows: list[list[Any]]) -> None:
        add_table(
            book,
            title,
            heading,
            rows,
            width=22,
            number_format=lambda _c, v: money if isinstance(v, int) and v > 9999 else None,
        )

    first = book.active
    assert first is not None
    book.remove(first)
    title = f"Realisasi investasi {region.name} {board.year} s.d. triwulan {board.through}"
    if board.is_provisional:
        title += " (sementara: belum ditetapkan final oleh DPMPTSP)"
    summary = [
        ["Realisasi (Rp)", board.total],
        [f"Periode sama {board.year - 1} (Rp)", board.previous_same_period],
        [f"Setahun {board.year - 1} (Rp)", board.previous_year],
        ["PMA (Rp)", board.pma],
        ["PMDN (Rp)", board.pmdn],
        ["Perusahaan (NIB)", board.companies],
        ["TKI laki-laki", board.workers_male],
        ["TKI perempuan", board.workers_female],
        ["TKA", board.workers_foreign],
    ]
    summary += [[f"{t.get_level_display()} (Rp)", t.amount_idr] for t in context["targets"]]
    sheet("Ringkasan", [title, "Nilai"], summary)
    sheet(
        "Per triwulan",
        ["Triwulan", str(board.year), str(board.year - 1)],
        [
            [f"TW {q + 1}", board.quarters[q] if q < len(board.quarters) else None, prev]
            for q, prev in enumerate(board.previous_quarters)
        ],
    )
    sheet(
        "Per sektor",
        ["No.", "Sektor", "Sifat", "Realisasi (Rp)"],
        [
            [s["sector"], s["name"], str(Nature(s["nature"]).label), s["total_idr"]]
            for s in board.by_sector
        ],
    )
    sheet(
        "Per kecamatan",
        ["Kode", "Kecamatan", "Realisasi (Rp)"],
        [[d["code"], d["name"], d["total_idr"]] for d in board.by_district],
    )
    sheet(
        "Tren ekstraktif",
        ["Tahun", "s.d. TW", "Jumlah (Rp)", *(str(Nature(n).label) for n in NATURE_ORDER),
         "Hilirisasi"],
        [[y.year, y.through, y.total, *(y.by_nature.get(n, 0) for n in NATURE_ORDER),
          y.downstream] for y in board.trend],
    )  # fmt: skip
    if companies is not None:  # staff only: the public export names no company
        sheet(
            "Perusahaan",
            ["Perusahaan", "NIB", "Status", "Laporan", "Realisasi (Rp)"],
            [[c["company"], c["nib"], c["status"], c["reports"], c["total"]] for c in companies],
        )
    sheet(
        "Sumber",
        ["Sumber", "Data per", "Sintetis"],
        [[s["source"], date_format(s["cut_off"], "j F Y"), "ya" if s["is_synthetic"] else "tidak"]
         for s in board.source_lines]
        + [["Hanya laporan LKPM berstatus Disetujui. Tidak termasuk usaha mikro, migas hulu, "
            "perbankan, lembaga keuangan nonbank, dan asuransi.", "", ""]],
    )  # fmt: skip
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


NATURE_ORDER = (Nature.EXTRACTIVE, Nature.RESOURCE_BASED, Nature.NON_EXTRACTIVE)


def dashboard_pdf(
    request: Any, region: Any, context: dict[str, Any], *, base_url: str | None = None
) -> bytes:
    """The dashboard as a printable report (A4), charts as the same SVG as the web page.
    Without a request (the background worker), `base_url` is the site's address."""
    from django.template.loader import render_to_string
    from weasyprint import HTML

    html = render_to_string(
        "investment/report_pdf.html", {"region": region, "pdf": True, **context}, request=request
    )
    base = base_url or request.build_absolute_uri("/")
    return HTML(string=html, base_url=base).write_pdf()  # type: ignore[no-any-return]
