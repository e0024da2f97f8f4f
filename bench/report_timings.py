"""How long each report download takes to write with Kukar's demo data (docs/adr/0020): those
over a second are written by the background worker.

    MPP_DATA_DIR=/tmp/mpp-demo .venv/bin/mpp demo --no-serve
    MPP_DATA_DIR=/tmp/mpp-demo .venv/bin/python bench/report_timings.py

PDFs are timed as the worker writes them (the views now queue them); the rest through Django's
test client, as a request. Three runs each, the median.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mpp.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")

import django

django.setup()

from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from mpp.accounts.models import Role, StaffProfile  # noqa: E402
from mpp.investment import queries as investment_queries  # noqa: E402
from mpp.investment.exports import dashboard_pdf  # noqa: E402
from mpp.investment.views import dashboard_context  # noqa: E402
from mpp.malls.models import Region  # noqa: E402
from mpp.surveys.views_reports import report_pdf_as  # noqa: E402


def timed(label: str, run: Callable[[], int]) -> None:
    times, size = [], 0
    for _ in range(3):
        start = time.perf_counter()
        size = run()
        times.append(time.perf_counter() - start)
    runs = ", ".join(f"{t:.2f}" for t in times)
    print(f"{label:36} {size:>9} B  median {statistics.median(times):.2f} s  ({runs})", flush=True)


def main() -> None:
    setup_test_environment()
    region = Region.objects.get(slug=os.environ.get("MPP_REGION", "kukar"))
    profiles = StaffProfile.objects.select_related("user")
    admin = profiles.filter(role=Role.REGENCY_ADMIN).first().user  # type: ignore[union-attr]
    supervisor = (
        profiles.filter(  # type: ignore[union-attr]
            role=Role.MALL_SUPERVISOR, mall__slug="mpp-kukar"
        )
        .first()
        .user
    )
    year = investment_queries.years_with_data(region)[-1]
    through = investment_queries.latest_quarter(region, year) or 4
    base = "http://127.0.0.1:8000/"

    timed(
        "investment PDF (public)",
        lambda: len(
            dashboard_pdf(None, region, dashboard_context(region, year, through), base_url=base)
        ),
    )
    timed("IKM PDF, regency", lambda: len(report_pdf_as(admin, "", base)))
    timed("IKM PDF, MPP Kukar", lambda: len(report_pdf_as(supervisor, "", base)))
    for label, user, url in [
        ("investment XLSX (public)", None, "/investasi/unduh.xlsx"),
        ("investment XLSX with companies", admin, "/investasi/internal/unduh.xlsx"),
        ("IKM XLSX, regency", admin, "/survei/hasil/unduh.xlsx"),
        ("daily report XLSX, MPP Kukar", supervisor, "/pengawas/mpp-kukar/laporan/?format=xlsx"),
        ("daily report HTML, MPP Kukar", supervisor, "/pengawas/mpp-kukar/laporan/"),
    ]:
        client = Client()
        if user is not None:
            client.force_login(user)

        def get(client: Client = client, url: str = url) -> int:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return len(response.content)

        timed(label, get)


if __name__ == "__main__":
    main()
