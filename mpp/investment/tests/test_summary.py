"""The summary (the API's contract) and the dashboard on a small dataset computed by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from mpp.investment import queries
from mpp.investment.actions import (
    import_realizations,
    set_downstream_kbli,
    set_sector_classification,
)

M = 10**6  # a juta rupiah: the figures below are in millions

HEADING = (
    "year,period,company,nib,status,kbli,sector,district_code,currency,amount,rate,"
    "workers_male,workers_female,workers_foreign,report_status"
)
# Default natures: sector 4 (mining) extractive, 1 and 2 resource-based, 5 and 20 non-extractive.
# Kecamatan: 64.02.02 Loa Kulu, 64.02.06 Tenggarong.
ROWS = [
    # 2025 ---------------------------------------------------------------------- rupiah
    # A: Q1, food (5), Tenggarong, PMDN                                   1 000 000 000
    "2025,Q1,PT Andalan,9120300000001,PMDN,10431,5,64.02.06,IDR,1000000000,,10,5,0,Disetujui",
    # B: Q1, mining (4), Loa Kulu, PMA USD 100 000 × 16 000              1 600 000 000
    "2025,Q1,PT Batu,9120300000002,PMA,05100,4,64.02.02,USD,100000.00,16000,20,2,3,Disetujui",
    # C: Q2, plantation (1), Loa Kulu, PMDN                                 500 000 000
    "2025,Q2,PT Cahaya,9120300000003,PMDN,01262,1,64.02.02,IDR,500000000,,8,4,0,Disetujui",
    # D: S1 (ends with Q2), restaurant (20), Tenggarong                     200 000 000
    "2025,S1,CV Dapur,9120300000004,PMDN,56101,20,64.02.06,IDR,200000000,,3,3,0,Disetujui",
    # D: S2 (ends with Q4), restaurant (20), Tenggarong                     300 000 000
    "2025,S2,CV Dapur,9120300000004,PMDN,56101,20,64.02.06,IDR,300000000,,2,2,0,Disetujui",
    # B: Q3, mining, PMA USD 50 000 × 16 500                                825 000 000
    "2025,Q3,PT Batu,9120300000002,PMA,05100,4,64.02.02,USD,50000.00,16500,5,0,1,Disetujui",
    # F: Q2, mining, still under review: never counts                     9 999 000 000
    "2025,Q2,PT Fajar,9120300000006,PMDN,05100,4,64.02.02,IDR,9999000000,,100,0,0,Diajukan",
    # G: Q1, forestry (2), sent back: never counts                          400 000 000
    "2025,Q1,PT Gemilang,9120300000007,PMDN,02112,2,64.02.06,IDR,400000000,,7,0,0,Perlu Perbaikan",
    # 2024 (the dashboard's comparison) ----------------------------------------
    # A: Q1, food                                                           800 000 000
    "2024,Q1,PT Andalan,9120300000001,PMDN,10431,5,64.02.06,IDR,800000000,,9,4,0,Disetujui",
    # D: S1, restaurant                                                     100 000 000
    "2024,S1,CV Dapur,9120300000004,PMDN,56101,20,64.02.06,IDR,100000000,,2,2,0,Disetujui",
    # B: Q3, mining, PMA USD 80 000 × 15 000                              1 200 000 000
    "2024,Q3,PT Batu,9120300000002,PMA,05100,4,64.02.02,USD,80000.00,15000,15,1,2,Disetujui",
]
SOURCE = "LKPM OSS, uji hitung tangan"


@pytest.fixture
def hand_computed(kukar, cast):  # type: ignore[no-untyped-def]
    admin = cast.regency_admin()
    # KBLI 10431 (palm oil) is downstreaming: A's rows, 1 000 000 000 (2025) and 800 000 000 (2024).
    set_downstream_kbli(region=kukar, entries=[("10431", "Minyak sawit")], acting_user=admin)
    return import_realizations(
        region=kukar,
        data=("\n".join([HEADING, *ROWS]) + "\n").encode(),
        file_name="hitung-tangan.csv",
        source=SOURCE,
        cut_off=dt.date(2025, 10, 15),
        acting_user=admin,
    )


def sectors(figures) -> list[tuple[int, str, int]]:  # type: ignore[no-untyped-def]
    return [(s["sector"], s["nature"], s["total_idr"]) for s in figures["by_sector"]]


def test_the_summary_through_q2_counts_approved_reports_and_the_first_semester(  # type: ignore[no-untyped-def]
    kukar, hand_computed
):
    figures = queries.summary(kukar, 2025, 2)

    assert (figures["year"], figures["through"]) == (2025, 2)
    # A 1 000 + B 1 600 + C 500 + D(S1) 200; not B's Q3, D's S2, F or G.
    assert figures["total_idr"] == 3_300 * M
    assert figures["pma_idr"] == 1_600 * M  # B
    assert figures["pmdn_idr"] == 1_700 * M  # A + C + D
    assert figures["extractive_idr"] == 1_600 * M  # B, mining
    assert figures["resource_based_idr"] == 500 * M  # C, plantation
    assert figures["non_extractive_idr"] == 1_200 * M  # A food + D restaurant
    # A 10+5, B 20+2+3, C 8+4, D 3+3: the unapproved F's 100 do not count.
    assert figures["workers"] == 15 + 25 + 12 + 6 == 58
    assert sectors(figures) == [
        (4, "ekstraktif", 1_600 * M),
        (5, "non_ekstraktif", 1_000 * M),
        (1, "berbasis_sumber_daya", 500 * M),
        (20, "non_ekstraktif", 200 * M),
    ]
    assert figures["by_sector"][0]["name"] == "Pertambangan"
    districts = figures["by_district"]
    assert districts[:2] == [
        {"code": "64.02.02", "name": "Loa Kulu", "total_idr": 2_100 * M},  # B + C
        {"code": "64.02.06", "name": "Tenggarong", "total_idr": 1_200 * M},  # A + D
    ]
    # Every kecamatan appears, those without investment at zero, in code order.
    from mpp.malls.models import District

    assert len(districts) == District.objects.filter(region__slug="kukar").count()
    assert [d["total_idr"] for d in districts[2:]] == [0] * (len(districts) - 2)
    assert [d["code"] for d in districts[2:5]] == ["64.02.01", "64.02.03", "64.02.04"]
    assert districts[-1]["code"] == "64.02.20"
    assert [(s["source"], s["cut_off"], s["is_synthetic"]) for s in figures["sources"]] == [
        (SOURCE, "2025-10-15", False)
    ]


def test_the_summary_through_q1_leaves_out_the_first_semester(kukar, hand_computed):  # type: ignore[no-untyped-def]
    figures = queries.summary(kukar, 2025, 1)

    assert figures["total_idr"] == 2_600 * M  # A 1 000 + B 1 600; D's S1 is known only at Q2
    assert figures["pmdn_idr"] == 1_000 * M
    assert figures["workers"] == 15 + 25
    assert sectors(figures) == [(4, "ekstraktif", 1_600 * M), (5, "non_ekstraktif", 1_000 * M)]


def test_the_summary_through_q4_holds_the_second_semester_and_orders_ties_by_number(  # type: ignore[no-untyped-def]
    kukar, hand_computed
):
    figures = queries.summary(kukar, 2025, 4)

    # Through Q2 3 300, plus B's Q3 825 and D's S2 300.
    assert figures["total_idr"] == 4_425 * M
    assert figures["pma_idr"] == 2_425 * M
    assert figures["pmdn_idr"] == 2_000 * M
    assert figures["extractive_idr"] == 2_425 * M
    assert figures["workers"] == 58 + 6 + 4
    # Plantation (1) and restaurants (20, 200 + 300) tie at 500: the lower number comes first.
    assert sectors(figures) == [
        (4, "ekstraktif", 2_425 * M),
        (5, "non_ekstraktif", 1_000 * M),
        (1, "berbasis_sumber_daya", 500 * M),
        (20, "non_ekstraktif", 500 * M),
    ]


def test_the_natures_always_add_up_to_the_total(kukar, hand_computed):  # type: ignore[no-untyped-def]
    for through in (1, 2, 3, 4):
        f = queries.summary(kukar, 2025, through)
        parts = f["extractive_idr"] + f["resource_based_idr"] + f["non_extractive_idr"]
        assert parts == f["total_idr"] == f["pma_idr"] + f["pmdn_idr"]
        assert sum(d["total_idr"] for d in f["by_district"]) == f["total_idr"]


def test_the_summary_of_a_year_without_data_is_zero_in_every_kecamatan(kukar, hand_computed):  # type: ignore[no-untyped-def]
    figures = queries.summary(kukar, 2023, 4)

    assert figures["total_idr"] == figures["workers"] == 0
    assert figures["by_sector"] == [] and figures["sources"] == []
    assert [d["total_idr"] for d in figures["by_district"]] == [0] * 20


def test_the_extractive_share_follows_an_edited_classification(kukar, hand_computed, cast):  # type: ignore[no-untyped-def]
    before = queries.summary(kukar, 2025, 2)
    assert before["extractive_idr"] / before["total_idr"] == pytest.approx(1_600 / 3_300)

    # The regency counts plantations (sector 1) as extractive too.
    set_sector_classification(
        region=kukar, natures={1: "ekstraktif"}, acting_user=cast.regency_admin()
    )
    after = queries.summary(kukar, 2025, 2)

    assert after["extractive_idr"] == 2_100 * M  # B 1 600 + C 500
    assert after["resource_based_idr"] == 0
    assert after["non_extractive_idr"] == 1_200 * M
    assert after["extractive_idr"] / after["total_idr"] == pytest.approx(2_100 / 3_300)
    assert (1, "ekstraktif", 500 * M) in sectors(after)
    assert after["total_idr"] == before["total_idr"]

    # ... and mining as resource-based: only the plantation stays extractive.
    set_sector_classification(
        region=kukar, natures={4: "berbasis_sumber_daya"}, acting_user=cast.regency_admin()
    )
    last = queries.summary(kukar, 2025, 2)

    assert last["extractive_idr"] == 500 * M
    assert last["resource_based_idr"] == 1_600 * M


def test_the_summary_costs_a_fixed_number_of_queries(  # type: ignore[no-untyped-def]
    kukar, hand_computed, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        queries.summary(kukar, 2025, 4)


def test_the_dashboard_compares_with_the_same_months_of_the_previous_year(  # type: ignore[no-untyped-def]
    kukar, hand_computed
):
    board = queries.dashboard(kukar, 2025, 2)

    assert board.total == 3_300 * M
    assert board.quarters == [2_600 * M, 700 * M]  # Q1: A + B; Q2: C + D(S1)
    assert board.cumulative == [2_600 * M, 3_300 * M]
    # 2024: Q1 A 800, Q2 D(S1) 100, Q3 B 1 200, Q4 nothing.
    assert board.previous_quarters == [800 * M, 100 * M, 1_200 * M, 0]
    assert board.previous_cumulative == [800 * M, 900 * M, 2_100 * M, 2_100 * M]
    assert board.previous_same_period == 900 * M
    assert board.previous_year == 2_100 * M
    assert board.growth == pytest.approx(3_300 / 900 - 1)
    assert board.of_previous_year == pytest.approx(3_300 / 2_100)
    assert (board.pma, board.pmdn) == (1_600 * M, 1_700 * M)
    assert board.companies == 4  # A, B, C, D; F and G are not approved
    assert (board.workers_male, board.workers_female, board.workers_foreign) == (41, 14, 3)
    assert board.workers == 58
    assert board.local_share == pytest.approx(55 / 58)
    assert [(s["sector"], s["share"]) for s in board.by_sector] == [
        (4, pytest.approx(1_600 / 3_300)),
        (5, pytest.approx(1_000 / 3_300)),
        (1, pytest.approx(500 / 3_300)),
        (20, pytest.approx(200 / 3_300)),
    ]
    assert board.by_district[0] == {"code": "64.02.02", "name": "Loa Kulu", "total_idr": 2_100 * M}
    assert board.years == [2024, 2025]
    assert board.is_synthetic is False
    assert board.of_target("kabupaten") is None


def test_the_dashboard_trend_gives_each_years_shares(kukar, hand_computed, cast):  # type: ignore[no-untyped-def]
    board = queries.dashboard(kukar, 2025, 2)

    last_year, this_year = board.trend
    # 2024 whole: 2 100, of which mining 1 200, food and restaurants 900, palm oil (A) 800.
    assert (last_year.year, last_year.through, last_year.total) == (2024, 4, 2_100 * M)
    assert last_year.share("ekstraktif") == pytest.approx(1_200 / 2_100)
    assert last_year.share("non_ekstraktif") == pytest.approx(900 / 2_100)
    assert last_year.share("berbasis_sumber_daya") == 0
    assert last_year.downstream_share == pytest.approx(800 / 2_100)
    # 2025 through Q2: 3 300, of which mining 1 600, plantation 500, palm oil (A) 1 000.
    assert (this_year.year, this_year.through, this_year.total) == (2025, 2, 3_300 * M)
    assert this_year.share("ekstraktif") == pytest.approx(1_600 / 3_300)
    assert this_year.share("berbasis_sumber_daya") == pytest.approx(500 / 3_300)
    assert this_year.downstream_share == pytest.approx(1_000 / 3_300)

    set_sector_classification(
        region=kukar, natures={1: "ekstraktif"}, acting_user=cast.regency_admin()
    )
    last_year, this_year = queries.dashboard(kukar, 2025, 2).trend

    assert this_year.share("ekstraktif") == pytest.approx(2_100 / 3_300)
    assert last_year.share("ekstraktif") == pytest.approx(1_200 / 2_100)  # no plantation in 2024


def test_the_dashboard_of_a_first_year_has_no_growth(kukar, hand_computed):  # type: ignore[no-untyped-def]
    board = queries.dashboard(kukar, 2024, 4)

    assert board.total == 2_100 * M
    assert board.previous_same_period == board.previous_year == 0
    assert board.growth is None and board.of_previous_year is None
    assert board.quarters == [800 * M, 100 * M, 1_200 * M, 0]
    assert [y.year for y in board.trend] == [2024]


def test_the_dashboard_costs_a_fixed_number_of_queries(  # type: ignore[no-untyped-def]
    kukar, hand_computed, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        queries.dashboard(kukar, 2025, 4)
