"""Importing LKPM realization files: all or nothing, every bad row named, periods replaced."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from openpyxl import Workbook

from mpp.core.models import AuditEntry
from mpp.investment.actions import (
    ImportSummary,
    import_realizations,
    set_downstream_kbli,
    set_sector_classification,
)
from mpp.investment.exceptions import ImportRejected
from mpp.investment.models import Dataset, Realization, SectorClassification
from mpp.malls.models import Region

WITA = ZoneInfo("Asia/Makassar")
CUT_OFF = dt.date(2025, 10, 15)
HEADING = (
    "year,period,company,nib,status,kbli,sector,district_code,currency,amount,rate,"
    "workers_male,workers_female,workers_foreign,report_status"
)
# Three good rows: a rupiah PMDN report, a PMA report in USD whose conversion ends in exactly half
# a rupiah (1 250 000,50 × 16 401 = 20 501 258 200,5: half-up gives ...201, banker's ...200), and
# a small business's semester report still under review.
PMDN_Q1 = (
    "2025,Q1,PT Sawit Lestari,9120301234567,PMDN,10431,5,64.02.11,IDR,12500000000,,"
    "48,12,0,Disetujui"
)
PMA_Q1 = (
    "2025,Q1,PT Tambang Mahakam,9120307654321,PMA,05100,4,64.02.02,USD,1250000.50,16401,"
    "120,8,3,Disetujui"
)
SMALL_S1 = (
    "2025,S1,CV Kuliner Tenggarong,9120305555555,PMDN,56101,20,64.02.06,IDR,350000000,,"
    "6,9,0,Diajukan"
)
PMA_Q1_IDR = 20_501_258_201
PMDN_Q2 = (
    "2025,Q2,PT Kebun Kenohan,9120302222222,PMDN,01262,1,64.02.09,IDR,700000000,,30,10,0,Disetujui"
)


def csv_file(*rows: str, heading: str = HEADING, encoding: str = "utf-8") -> bytes:
    return ("\n".join((heading, *rows)) + "\n").encode(encoding)


def xlsx_file(*rows: list[object]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def run_import(
    region: Region,
    data: bytes,
    *,
    file_name: str = "lkpm.csv",
    user: object | None = None,
    cut_off: dt.date = CUT_OFF,
) -> ImportSummary:
    return import_realizations(
        region=region,
        data=data,
        file_name=file_name,
        source="LKPM OSS triwulan I 2025",
        cut_off=cut_off,
        acting_user=user,
    )


def rejected(
    region: Region, data: bytes, *, file_name: str = "lkpm.csv"
) -> list[tuple[int | None, str | None]]:
    """Import a file that must be refused; its errors as (row, column)."""
    with pytest.raises(ImportRejected) as refusal:
        run_import(region, data, file_name=file_name)
    return [(e.row, e.column) for e in refusal.value.errors]


def counts() -> tuple[int, int, int]:
    return (
        Realization.objects.count(),
        Dataset.objects.count(),
        AuditEntry.objects.filter(action__startswith="investment.").count(),
    )


# --- Good files ------------------------------------------------------------------------------


def test_a_valid_csv_is_imported_with_its_dataset_and_audit_entry(kukar, cast):  # type: ignore[no-untyped-def]
    admin = cast.regency_admin()
    data = csv_file(PMDN_Q1, PMA_Q1, SMALL_S1)

    result = run_import(kukar, data, user=admin)

    rows = {r.company: r for r in Realization.objects.all()}
    assert len(rows) == 3
    pma = rows["PT Tambang Mahakam"]
    assert (pma.currency, pma.amount, pma.rate) == ("USD", Decimal("1250000.50"), Decimal(16401))
    assert pma.amount_idr == PMA_Q1_IDR  # half-up, not banker's rounding
    assert (pma.workers_male, pma.workers_female, pma.workers_foreign) == (120, 8, 3)
    assert pma.district.code == "64.02.02" and pma.sector_id == 4 and pma.kbli == "05100"
    assert rows["PT Sawit Lestari"].amount_idr == 12_500_000_000
    assert rows["PT Sawit Lestari"].rate is None
    assert rows["PT Sawit Lestari"].end_quarter == 1
    assert rows["CV Kuliner Tenggarong"].end_quarter == 2  # a first semester ends with Q2
    assert rows["CV Kuliner Tenggarong"].report_status == "diajukan"

    dataset = result.dataset
    assert dataset.source == "LKPM OSS triwulan I 2025"
    assert dataset.cut_off == CUT_OFF
    assert dataset.file_name == "lkpm.csv"
    assert dataset.file_sha256 == hashlib.sha256(data).hexdigest()
    assert dataset.periods == ["2025-Q1", "2025-S1"]
    assert dataset.row_count == 3 and dataset.replaced_count == 0
    assert dataset.total_idr == 12_500_000_000 + PMA_Q1_IDR + 350_000_000
    assert dataset.imported_by == admin
    assert dataset.is_synthetic is False
    assert {r.dataset_id for r in rows.values()} == {dataset.pk}
    assert (result.rows, result.replaced) == (3, 0)
    assert result.approved_idr == 12_500_000_000 + PMA_Q1_IDR  # "Diajukan" does not count

    entry = AuditEntry.objects.get(action__startswith="investment.")
    assert entry.action == "investment.imported"
    assert entry.actor == admin
    assert (entry.object_type, entry.object_id) == ("investment.dataset", str(dataset.pk))
    assert entry.data == {"file": "lkpm.csv", "rows": 3, "replaced": 0}


def test_a_valid_xlsx_is_imported_with_numbers_a_spreadsheet_made_of_codes(kukar, cast):  # type: ignore[no-untyped-def]
    """A spreadsheet turns KBLI 01262 into the number 1262 and a NIB into a number; the import
    gives them back their leading zeros."""
    data = xlsx_file(
        HEADING.split(","),
        [2025, "Q2", "PT Kebun Kenohan", 9120302222222, "PMDN", 1262, 1, "64.02.09", "IDR",
         700000000, None, 30, 10, 0, "Disetujui"],
        [2025, "Q2", "PT Tambang Mahakam", 912030765432, "PMA", "05100", 4, "64.02.02", "USD",
         1250000.5, 16401, 120, 8, 3, "Disetujui"],
    )  # fmt: skip

    result = run_import(kukar, data, file_name="lkpm.xlsx", user=cast.regency_admin())

    kebun = Realization.objects.get(company="PT Kebun Kenohan")
    assert kebun.kbli == "01262"
    assert kebun.nib == "9120302222222"
    assert kebun.amount_idr == 700_000_000
    assert kebun.end_quarter == 2
    mine = Realization.objects.get(company="PT Tambang Mahakam")
    assert mine.nib == "0912030765432"  # twelve digits in the cell: the leading zero was lost
    assert mine.amount_idr == PMA_Q1_IDR
    assert result.dataset.file_sha256 == hashlib.sha256(data).hexdigest()
    assert result.dataset.periods == ["2025-Q2"]
    assert result.dataset.row_count == 2
    assert AuditEntry.objects.filter(action="investment.imported").count() == 1


def test_a_semicolon_csv_with_indonesian_numbers_is_read(kukar):  # type: ignore[no-untyped-def]
    data = csv_file(
        "2025;Q1;PT Tambang Mahakam;9120307654321;PMA;05100;4;64.02.02;USD;1.250.000,50;16.401,00;"
        "120;8;3;Disetujui",
        "2025;Q1;PT Sawit Lestari;9120301234567;PMDN;10431;5;64.02.11;IDR;12.500.000.000;;"
        "48;12;0;Disetujui",
        heading=HEADING.replace(",", ";"),
    )

    run_import(kukar, data)

    mine = Realization.objects.get(company="PT Tambang Mahakam")
    assert mine.amount == Decimal("1250000.50")
    assert mine.rate == Decimal(16401)
    assert mine.amount_idr == PMA_Q1_IDR
    assert Realization.objects.get(company="PT Sawit Lestari").amount_idr == 12_500_000_000


def test_a_semicolon_csv_reads_one_group_of_thousands_as_thousands(kukar):  # type: ignore[no-untyped-def]
    """In a semicolon file the comma is the decimal mark, so "350.000" is three hundred and fifty
    thousand rupiah and a rate of "16.400" is sixteen thousand four hundred, as "1.250.000" is
    read as a million and a quarter."""
    data = csv_file(
        "2025;Q1;CV Kuliner Tenggarong;9120305555555;PMDN;56101;20;64.02.06;IDR;350.000;;6;9;0;"
        "Disetujui",
        "2025;Q1;PT Tambang Mahakam;9120307654321;PMA;05100;4;64.02.02;USD;1.000;16.400;"
        "120;8;3;Disetujui",
        heading=HEADING.replace(",", ";"),
    )

    run_import(kukar, data)

    assert Realization.objects.get(company="CV Kuliner Tenggarong").amount_idr == 350_000
    assert Realization.objects.get(company="PT Tambang Mahakam").amount_idr == 16_400_000


def test_the_national_export_headings_and_words_are_understood(kukar):  # type: ignore[no-untyped-def]
    heading = (
        "No,Tahun,Periode,Nama Perusahaan,NIB,Status PM,KBLI,Sektor,Kecamatan,Mata Uang,"
        "Nilai Realisasi,Kurs,TKI Laki-laki,TKI Perempuan,TKA,Status Laporan"
    )
    data = csv_file(
        "1,2025,Triwulan I,PT Tambang Mahakam,9120307654321,PMA,05100,Pertambangan,Loa Kulu,USD,"
        "1250000.50,16401,120,8,3,Disetujui",
        "2,2025,Semester 2,CV Kuliner Tenggarong,9120305555555,PMDN,56101,Hotel dan Restoran,"
        "Kec. Tenggarong,IDR,350000000,,6,9,0,Perlu Perbaikan",
        heading=heading,
    )

    result = run_import(kukar, data, file_name="lkpm-oss-export.csv")

    mine = Realization.objects.get(company="PT Tambang Mahakam")
    assert (mine.year, mine.period, mine.end_quarter) == (2025, "Q1", 1)
    assert mine.sector_id == 4
    assert mine.district.name == "Loa Kulu"
    assert mine.amount_idr == PMA_Q1_IDR
    assert (mine.workers_male, mine.workers_female, mine.workers_foreign) == (120, 8, 3)
    assert mine.report_status == "disetujui"
    small = Realization.objects.get(company="CV Kuliner Tenggarong")
    assert (small.period, small.end_quarter) == ("S2", 4)
    assert small.sector_id == 20 and small.district.code == "64.02.06"
    assert small.report_status == "perlu_perbaikan"
    assert result.dataset.periods == ["2025-Q1", "2025-S2"]


# --- Bad files -------------------------------------------------------------------------------

GOOD = PMDN_Q1
TEMPLATE_ROW = dict(
    zip(
        HEADING.split(","),
        "2025,Q2,PT Kebun Kenohan,9120302222222,PMDN,01262,1,64.02.09,IDR,700000000,,30,10,0,"
        "Disetujui".split(","),
        strict=True,
    )
)


def row_with(**changes: str) -> str:
    return ",".join({**TEMPLATE_ROW, **changes}.values())


@pytest.mark.parametrize(
    ("bad_row", "column"),
    [
        pytest.param(row_with(sector="24"), "sector", id="sector-24-does-not-exist"),
        pytest.param(row_with(sector="Perkebunan Sawit"), "sector", id="unknown-sector-name"),
        pytest.param(row_with(kbli="99999"), "kbli", id="unknown-kbli"),
        pytest.param(row_with(kbli="05100"), "kbli", id="kbli-of-another-sector"),
        pytest.param(row_with(amount="-700000000"), "amount", id="negative-amount"),
        pytest.param(
            row_with(status="PMA", currency="USD", amount="50000", rate=""),
            "rate",
            id="pma-without-rate",
        ),
        pytest.param(row_with(district_code="64.02.99"), "district_code", id="unknown-kecamatan"),
        pytest.param(
            row_with(district_code="64.03.01"), "district_code", id="kecamatan-of-another-regency"
        ),
        pytest.param(row_with(period="Q5"), "period", id="period-q5"),
        pytest.param(row_with(period="S3"), "period", id="period-s3"),
        pytest.param(GOOD, "nib", id="duplicated-row"),
    ],
)
def test_a_bad_row_is_refused_with_its_row_and_column_and_nothing_is_imported(  # type: ignore[no-untyped-def]
    kukar, bad_row, column
):
    run_import(kukar, csv_file(PMA_Q1))  # an earlier import of the Q1 the bad file holds too
    before = counts()

    errors = rejected(kukar, csv_file(GOOD, bad_row))

    assert errors == [(3, column)]
    assert counts() == before
    assert Realization.objects.get().company == "PT Tambang Mahakam"


def test_every_problem_of_a_row_is_named_at_once_the_kbli_too(kukar):  # type: ignore[no-untyped-def]
    # Issue 18: a wrong sector hid the bad KBLI, which was reported only on the next upload.
    errors = rejected(kukar, csv_file(row_with(sector="24", kbli="123", period="Q5")))
    assert sorted(errors) == [(2, "kbli"), (2, "period"), (2, "sector")]
    # A bad status does not hide that a dollar amount needs its rate.
    errors = rejected(kukar, csv_file(row_with(status="PMX", currency="USD", rate="")))
    assert sorted(errors) == [(2, "rate"), (2, "status")]


def test_a_pma_row_without_a_rate_is_refused_with_row_and_column(kukar):  # type: ignore[no-untyped-def]
    data = csv_file(PMA_Q1.replace(",16401,", ",,"))

    with pytest.raises(ImportRejected) as refusal:
        run_import(kukar, data)

    (error,) = refusal.value.errors
    assert (error.row, error.column) == (2, "rate")
    assert str(error).startswith("baris 2, kolom rate: ")
    assert "kurs" in error.message
    assert Realization.objects.count() == 0


def test_a_file_with_a_good_first_row_and_bad_later_rows_imports_nothing(kukar):  # type: ignore[no-untyped-def]
    data = csv_file(
        PMDN_Q1,
        row_with(amount="-1"),
        PMA_Q1,
        row_with(company="PT Lain", nib="9120309999999", sector="24"),
        SMALL_S1,
    )

    errors = rejected(kukar, data)

    assert errors == [(3, "amount"), (5, "sector")]  # every bad row, the good ones not
    assert counts() == (0, 0, 0)


def test_one_row_with_several_bad_cells_names_each_column(kukar):  # type: ignore[no-untyped-def]
    errors = rejected(kukar, csv_file(row_with(year="25", amount="-5", workers_male="lima")))

    assert sorted(errors) == [(2, "amount"), (2, "workers_male"), (2, "year")]


def test_a_duplicated_row_names_the_earlier_row(kukar):  # type: ignore[no-untyped-def]
    # Same year, period, NIB, KBLI and kecamatan as row 2; only the amount differs.
    data = csv_file(PMDN_Q1, PMA_Q1, PMDN_Q1.replace("12500000000", "1"))

    with pytest.raises(ImportRejected) as refusal:
        run_import(kukar, data)

    (error,) = refusal.value.errors
    assert (error.row, error.column) == (4, "nib")
    assert "baris 2" in error.message
    assert Realization.objects.count() == 0


def test_the_same_company_in_two_kecamatan_is_not_a_duplicate(kukar):  # type: ignore[no-untyped-def]
    run_import(kukar, csv_file(PMDN_Q1, PMDN_Q1.replace("64.02.11", "64.02.13")))

    assert Realization.objects.filter(nib="9120301234567").count() == 2


def test_a_missing_column_is_named(kukar):  # type: ignore[no-untyped-def]
    heading = HEADING.replace(",rate", "")
    data = csv_file(PMDN_Q1.replace(",IDR,12500000000,,", ",IDR,12500000000,"), heading=heading)

    with pytest.raises(ImportRejected) as refusal:
        run_import(kukar, data)

    (error,) = refusal.value.errors
    assert (error.row, error.column) == (1, "rate")
    assert Realization.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "file_name", "words"),
    [
        pytest.param(b"", "lkpm.csv", "kosong", id="empty-file"),
        pytest.param(xlsx_file(), "lkpm.xlsx", "kosong", id="empty-xlsx"),
        pytest.param(csv_file(), "lkpm.csv", "tidak berisi baris", id="heading-only"),
        pytest.param(
            csv_file(PMDN_Q1.replace("Sawit Lestari", "Sawit Jayá"), encoding="cp1252"),
            "lkpm.csv",
            "UTF-8",
            id="non-utf-8-csv",
        ),
        pytest.param(b"PK\x03\x04 not a workbook", "lkpm.xlsx", "XLSX", id="damaged-xlsx"),
        pytest.param(csv_file(PMDN_Q1), "lkpm.pdf", "CSV atau XLSX", id="not-csv-or-xlsx"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_as_a_whole(kukar, data, file_name, words):  # type: ignore[no-untyped-def]
    with pytest.raises(ImportRejected) as refusal:
        run_import(kukar, data, file_name=file_name)

    (error,) = refusal.value.errors
    assert (error.row, error.column) == (None, None)
    assert words in error.message
    assert counts() == (0, 0, 0)


def test_blank_lines_at_the_end_of_a_file_are_ignored(kukar):  # type: ignore[no-untyped-def]
    run_import(kukar, csv_file(PMDN_Q1, ",,,,,,,,,,,,,,", ""))

    assert Realization.objects.count() == 1


# --- Time ------------------------------------------------------------------------------------


@time_machine.travel(dt.datetime(2026, 5, 15, 10, 0, tzinfo=WITA), tick=False)
def test_a_period_not_yet_ended_is_refused(kukar):  # type: ignore[no-untyped-def]
    ended = row_with(year="2026", period="Q1")
    running = row_with(year="2026", period="Q2", nib="9120308888888")
    semester = row_with(year="2026", period="S1", nib="9120307777777")

    errors = rejected(kukar, csv_file(ended, running, semester))

    assert errors == [(3, "period"), (4, "period")]  # Q2 and S1 end on 30 June
    assert Realization.objects.count() == 0


@pytest.mark.parametrize(
    ("moment", "is_ended"),
    [
        # The last evening of Q3 in Kukar: the quarter has not ended (15:00 UTC, same day).
        pytest.param(dt.datetime(2026, 9, 30, 23, 0, tzinfo=WITA), False, id="last-evening"),
        # Half past midnight on 1 October in Kukar, still 30 September in UTC: it has.
        pytest.param(dt.datetime(2026, 10, 1, 0, 30, tzinfo=WITA), True, id="first-night"),
    ],
)
def test_a_quarter_ends_at_midnight_in_the_regency(kukar, moment, is_ended):  # type: ignore[no-untyped-def]
    data = csv_file(row_with(year="2026", period="Q3"))

    with time_machine.travel(moment, tick=False):
        if is_ended:
            run_import(kukar, data, cut_off=dt.date(2026, 9, 30))
            assert Realization.objects.filter(year=2026, period="Q3").count() == 1
        else:
            assert rejected(kukar, data) == [(2, "period")]


@time_machine.travel(dt.datetime(2026, 10, 1, 7, 0, tzinfo=WITA), tick=False)
def test_todays_date_in_the_regency_is_a_valid_cut_off_before_8_in_the_morning(kukar):  # type: ignore[no-untyped-def]
    """At 07:00 WITA it is still 30 September in UTC; the officer's today is 1 October."""
    result = run_import(kukar, csv_file(PMDN_Q1), cut_off=dt.date(2026, 10, 1))

    assert result.dataset.cut_off == dt.date(2026, 10, 1)


@time_machine.travel(dt.datetime(2026, 10, 1, 12, 0, tzinfo=WITA), tick=False)
def test_a_cut_off_in_the_future_is_refused(kukar):  # type: ignore[no-untyped-def]
    with pytest.raises(ImportRejected) as refusal:
        run_import(kukar, csv_file(PMDN_Q1), cut_off=dt.date(2026, 10, 2))

    assert [(e.row, e.column) for e in refusal.value.errors] == [(None, None)]
    assert counts() == (0, 0, 0)


# --- Re-importing ----------------------------------------------------------------------------


def approved_q1_total() -> int:
    return sum(
        Realization.objects.filter(year=2025, period="Q1", report_status="disetujui").values_list(
            "amount_idr", flat=True
        )
    )


def test_reimporting_the_same_period_replaces_it_and_leaves_other_periods(kukar, cast):  # type: ignore[no-untyped-def]
    q1 = csv_file(PMDN_Q1, PMA_Q1)
    first = run_import(kukar, q1)
    q2 = run_import(kukar, csv_file(PMDN_Q2))
    q2_row = Realization.objects.get(period="Q2")

    again = run_import(kukar, q1, user=cast.regency_admin())

    assert Realization.objects.filter(year=2025, period="Q1").count() == 2
    assert approved_q1_total() == 12_500_000_000 + PMA_Q1_IDR
    assert again.replaced == 2 and again.dataset.replaced_count == 2
    assert set(Realization.objects.filter(period="Q1").values_list("dataset", flat=True)) == {
        again.dataset.pk
    }
    assert Realization.objects.get(period="Q2") == q2_row
    assert q2_row.dataset_id == q2.dataset.pk
    assert Dataset.objects.get(pk=first.dataset.pk).realizations.count() == 0
    assert AuditEntry.objects.filter(action="investment.imported").count() == 3
    assert AuditEntry.objects.filter(action="investment.imported").first().data["replaced"] == 2


def test_a_corrected_file_drops_the_rows_it_no_longer_has(kukar):  # type: ignore[no-untyped-def]
    run_import(kukar, csv_file(PMDN_Q1, PMA_Q1))

    run_import(kukar, csv_file(PMDN_Q1.replace("12500000000", "13000000000")))

    assert list(Realization.objects.values_list("company", "amount_idr")) == [
        ("PT Sawit Lestari", 13_000_000_000)
    ]


def test_a_rejected_import_leaves_an_earlier_import_intact(kukar):  # type: ignore[no-untyped-def]
    earlier = run_import(kukar, csv_file(PMDN_Q1, PMA_Q1))
    before = counts()

    errors = rejected(kukar, csv_file(PMDN_Q1.replace("10431", "10439"), row_with(sector="99")))

    assert errors == [(3, "sector")]
    assert counts() == before
    assert approved_q1_total() == 12_500_000_000 + PMA_Q1_IDR
    assert Realization.objects.get(company="PT Sawit Lestari").kbli == "10431"
    assert set(Realization.objects.values_list("dataset", flat=True)) == {earlier.dataset.pk}


# --- The regency's classification ------------------------------------------------------------


def test_downstream_kbli_prefixes_tag_records_and_retag_when_edited(kukar, cast):  # type: ignore[no-untyped-def]
    admin = cast.regency_admin()
    set_downstream_kbli(region=kukar, entries=[("1043", "Minyak sawit")], acting_user=admin)
    processing = PMDN_Q1.replace("PT Sawit Lestari", "PT Olah Pangan").replace(",10431,", ",10771,")
    run_import(kukar, csv_file(PMDN_Q1, processing, PMA_Q1))

    def tagged() -> set[str]:
        return set(Realization.objects.filter(is_downstream=True).values_list("kbli", flat=True))

    assert tagged() == {"10431"}

    count = set_downstream_kbli(
        region=kukar, entries=[("1077", "Makanan olahan"), ("051", "Batu bara")], acting_user=admin
    )

    assert tagged() == {"10771", "05100"} and count == 2
    entry = AuditEntry.objects.filter(action="investment.downstream_changed").first()
    assert entry.actor == admin
    assert entry.data == {"prefixes": ["1077", "051"]}

    assert set_downstream_kbli(region=kukar, entries=[], acting_user=admin) == 0
    assert tagged() == set()


def test_changing_the_sector_classification_is_audited_and_idempotent(kukar, cast):  # type: ignore[no-untyped-def]
    admin = cast.regency_admin()

    changed = set_sector_classification(
        region=kukar, natures={1: "ekstraktif", 4: "ekstraktif"}, acting_user=admin
    )

    # Sector 4 is already extractive by default, but has no row of the regency's own yet.
    assert changed == 2
    assert dict(
        SectorClassification.objects.filter(region=kukar).values_list("sector_id", "nature")
    ) == {1: "ekstraktif", 4: "ekstraktif"}
    entry = AuditEntry.objects.get(action="investment.classification_changed")
    assert entry.actor == admin
    assert (entry.object_type, entry.object_id) == ("malls.region", str(kukar.pk))
    assert entry.data == {"1": "ekstraktif", "4": "ekstraktif"}

    assert (
        set_sector_classification(region=kukar, natures={1: "ekstraktif"}, acting_user=admin) == 0
    )
    assert AuditEntry.objects.filter(action="investment.classification_changed").count() == 1


def test_a_rate_too_large_for_its_column_is_refused_with_row_and_column(kukar):  # type: ignore[no-untyped-def]
    """The rate column holds ten digits before the decimal mark: a rupiah amount typed into it
    must be a row error, not a database error half-way through the import."""
    data = csv_file(row_with(status="PMA", currency="USD", amount="1.00", rate="16400000000"))

    assert rejected(kukar, data) == [(2, "rate")]
    assert Realization.objects.count() == 0


def test_the_optional_split_into_fixed_and_working_capital_must_add_up(kukar):  # type: ignore[no-untyped-def]
    heading = HEADING + ",fixed_capital,working_capital"

    run_import(kukar, csv_file(row_with() + ",600000000,100000000", heading=heading))

    record = Realization.objects.get()
    assert (record.fixed_capital, record.working_capital) == (
        Decimal(600_000_000),
        Decimal(100_000_000),
    )
    assert rejected(kukar, csv_file(row_with() + ",600000000,1", heading=heading)) == [
        (2, "fixed_capital")
    ]
    assert rejected(kukar, csv_file(row_with() + ",700000000,", heading=heading)) == [
        (2, "working_capital")
    ]


def test_a_single_thousands_group_in_a_comma_csv_is_refused_not_guessed(kukar):  # type: ignore[no-untyped-def]
    """ "350.000" in a comma file could be 350 or 350 thousand: the row is refused, named."""
    data = csv_file(
        '2025,Q1,CV Kuliner Tenggarong,9120305555555,PMDN,56101,20,64.02.06,IDR,"350.000",,'
        "6,9,0,Disetujui",
    )
    before = counts()
    assert rejected(kukar, data) == [(2, "amount")]
    assert counts() == before


def test_an_unknown_classification_or_downstream_entry_is_refused(kukar):  # type: ignore[no-untyped-def]
    from mpp.investment.actions import set_downstream_kbli

    with pytest.raises(ValueError):
        set_sector_classification(region=kukar, natures={4: "ajaib"}, acting_user=None)
    with pytest.raises(ValueError):
        set_sector_classification(region=kukar, natures={24: "ekstraktif"}, acting_user=None)
    with pytest.raises(ValueError):
        set_downstream_kbli(region=kukar, entries=[("1a", "Sawit")], acting_user=None)
    assert not SectorClassification.objects.exists()
