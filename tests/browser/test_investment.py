"""A resident on an Android phone reads the regency's investment realization."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import BrowserContext, expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_resident_reads_the_investment_dashboard_and_downloads_it(
    android: BrowserContext, live_server, kukar, tmp_path
):
    from mpp.investment.demo import load_demo_investment

    load_demo_investment(kukar)
    page = android.new_page()
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Investasi").tap()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Realisasi investasi")
    # The latest period with data: January–September 2025, Rp11 trillion (the published figure).
    expect(page.locator("[data-total]")).to_have_text("Rp11 triliun")
    expect(page.locator(".inv-synthetic")).to_contain_text("Data sintetis")
    expect(page.locator(".inv-source")).to_contain_text("data per 31 Oktober 2025")
    expect(page.locator("svg.chart")).to_have_count(7)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"]

    page.get_by_label("Tahun", exact=True).select_option("2024")
    page.get_by_label("Sampai dengan").select_option("4")
    page.get_by_role("button", name="Tampilkan").tap()
    expect(page).to_have_url(re.compile(r"tahun=2024&sd=4"))
    expect(page.locator("[data-total]")).to_have_text("Rp16,4 triliun")

    # The figures behind a chart, for a screen reader or a closer look.
    page.get_by_text("Semua sektor").tap()
    expect(page.get_by_role("row", name=re.compile(r"^4\. Pertambangan"))).to_be_visible()

    # The PDF is written by the background worker (core/jobs.py): a page says it is being
    # prepared and reloads itself until the download starts (the worker's start took over
    # 10 s on a loaded machine).
    from mpp.core.tests.working import job_queue, worker

    with job_queue(tmp_path) as env, worker(env):
        with page.expect_download(timeout=120_000) as download:
            page.get_by_role("link", name="Unduh PDF").tap()
            expect(page.get_by_role("heading", level=1)).to_have_text(
                "Laporan PDF sedang disiapkan"
            )
        assert download.value.suggested_filename == "realisasi-investasi-kukar-2024-tw4.pdf"
