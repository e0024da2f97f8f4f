"""The synthetic demo data: its totals match the published figures, and it says it is synthetic."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Sum

from mpp.investment import queries
from mpp.investment.demo import load_demo_investment
from mpp.investment.models import Dataset, DownstreamKbli, Realization, Target
from mpp.malls.models import Region
from mpp.regions.tests.kukar import kukar_loaded

T = 10**12


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """The demo years, loaded once for the module (about a second) in a transaction that is
    rolled back after its last test; each test runs in a savepoint inside it."""
    with django_db_blocker.unblock():
        block = transaction.atomic()
        block.__enter__()
        try:
            summaries = load_demo_investment(kukar_loaded())
        except BaseException:
            # Leave no transaction open behind a failed set-up: every later test of this
            # process would run inside it.
            transaction.set_rollback(True)
            block.__exit__(None, None, None)
            raise
    yield summaries
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        block.__exit__(None, None, None)


def approved_total(region: Region, **filters: object) -> int:
    return queries.approved(region).filter(**filters).aggregate(t=Sum("amount_idr"))["t"] or 0


def test_the_synthetic_years_add_up_to_the_published_totals(demo, kukar):  # type: ignore[no-untyped-def]
    assert queries.summary(kukar, 2022, 4)["total_idr"] == 9_780_000_000_000
    assert queries.summary(kukar, 2024, 4)["total_idr"] == 16_400_000_000_000
    assert queries.summary(kukar, 2025, 3)["total_idr"] == 11_000_000_000_000  # January–September
    assert queries.latest_quarter(kukar, 2025) == 3
    # Reports under review or sent back are in the data, and do not count.
    assert Realization.objects.filter(year=2022).aggregate(t=Sum("amount_idr"))["t"] > 9.78 * T
    assert Realization.objects.exclude(report_status="disetujui").filter(year=2022).exists()


def test_the_synthetic_2022_is_mostly_mining_with_the_published_workers(demo, kukar):  # type: ignore[no-untyped-def]
    figures = queries.summary(kukar, 2022, 4)

    assert figures["extractive_idr"] / figures["total_idr"] == pytest.approx(0.58, abs=0.005)
    assert figures["by_sector"][0]["sector"] == 4
    board = queries.dashboard(kukar, 2022, 4)
    assert board.workers_male + board.workers_female == 8_802
    assert board.workers_foreign == 52


def test_the_synthetic_q1_2024_has_66_pma_projects_worth_1_72_trillion(demo, kukar):  # type: ignore[no-untyped-def]
    pma = queries.approved(kukar).filter(year=2024, period="Q1", status="PMA")

    assert pma.values("nib").distinct().count() == 66
    # USD 115,21 million at Rp14 930 = Rp1 720 085 300 000, give or take the cents of each row.
    assert approved_total(kukar, year=2024, period="Q1", status="PMA") == pytest.approx(
        1.72 * T, abs=0.005 * T
    )
    assert set(pma.values_list("currency", flat=True)) == {"USD"}


def test_every_demo_dataset_says_it_is_synthetic(demo, kukar):  # type: ignore[no-untyped-def]
    datasets = list(Dataset.objects.filter(region=kukar))

    assert len(datasets) == 4
    assert all(d.is_synthetic for d in datasets)
    assert all("sintetis" in d.source for d in datasets)
    assert {p[:4] for d in datasets for p in d.periods} == {"2022", "2023", "2024", "2025"}
    assert not Realization.objects.exclude(company__startswith="PT Sintetis").exists()
    sources = queries.summary(kukar, 2024, 4)["sources"]
    assert sources and all(s["is_synthetic"] for s in sources)
    assert queries.dashboard(kukar, 2025, 3).is_synthetic is True


def test_loading_the_demo_twice_does_not_double_it(demo, kukar):  # type: ignore[no-untyped-def]
    rows = Realization.objects.count()
    totals = {year: approved_total(kukar, year=year) for year in (2022, 2023, 2024, 2025)}
    prefixes, targets = DownstreamKbli.objects.count(), Target.objects.count()

    out = io.StringIO()
    call_command("investment", "demo", stdout=out)

    assert Realization.objects.count() == rows
    assert {year: approved_total(kukar, year=year) for year in totals} == totals
    assert (DownstreamKbli.objects.count(), Target.objects.count()) == (prefixes, targets)
    latest = Dataset.objects.filter(region=kukar)[:4]
    assert sum(d.replaced_count for d in latest) == rows
    assert "2022-Q1, 2022-Q2, 2022-Q3, 2022-Q4: " in out.getvalue()
    assert "Rp9,78 triliun" in out.getvalue()
    assert "Rp11 triliun" in out.getvalue()
