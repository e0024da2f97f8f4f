"""DPMPTSP imports an LKPM file: the page follows the background job's progress bar (the real
`mpp worker`, core/jobs.py) until the import's result."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import BrowserContext, expect

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_lkpm_import_shows_its_progress_bar_then_its_result(
    desktop: BrowserContext, live_server, kukar, cast, tmp_path
):
    from mpp.core.tests.working import job_queue, worker
    from mpp.investment.models import Dataset
    from mpp.investment.tests.conftest import HEADER, ROWS

    admin = cast.regency_admin()
    with job_queue(tmp_path) as env, worker(env) as log:
        page = sign_in(desktop, live_server.url, admin.username, "/investasi/impor/")
        page.set_input_files(
            "#id_berkas",
            {
                "name": "lkpm-tw2.csv",
                "mimeType": "text/csv",
                "buffer": "\n".join([HEADER, *ROWS]).encode(),
            },
        )
        page.fill("#id_sumber", "LKPM OSS, uji peramban")
        page.fill("#id_data_per", "2025-07-15")
        page.get_by_role("button", name="Impor").click()

        # The page of the job: its bar, then (the worker's start took over 10 s on a loaded
        # machine) the import's result, the bar full.
        expect(page).to_have_url(re.compile(r"/investasi/impor/\?tugas=\d+$"))
        bar = page.locator("progress[data-job-bar]")
        expect(bar).to_be_visible()
        done = page.locator("[data-import-done]")
        expect(done).to_contain_text(
            "6 baris diimpor (periode 2024-Q1, 2024-Q3, 2025-Q1, 2025-Q2)", timeout=120_000
        )
        expect(bar).to_have_attribute("value", "3")
        expect(bar).to_have_attribute("max", "3")
        expect(page.locator("[data-job-status-label]")).to_have_text("selesai")
        assert Dataset.objects.get(source="LKPM OSS, uji peramban").row_count == 6, "".join(log)
