"""The queue's daily report carries the day's applications (issue 22): a short section on the
page and a second sheet in its workbook, from applications.reports, with links to the
applications report of the day and of the month."""

from __future__ import annotations

import io

from django.urls import reverse
from openpyxl import load_workbook

from mpp.applications.tests.test_reports import world  # noqa: F401  (a fixture)


def test_the_daily_report_shows_the_days_applications(client, cast, world):  # noqa: F811
    client.force_login(cast.supervisor_mpp())
    url = reverse("queueing:report", args=["mpp-kukar"])
    page = client.get(url, {"tanggal": "2026-11-10"})
    html = page.content.decode()
    # 10 November: #2 finished late, #6 on time (its stop moved its due time); the passport
    # (no fixed time) still open at the day's end, not overdue.
    assert "data-applications-completed>2<" in html
    assert "data-applications-on-time>1<" in html and "data-applications-late>1<" in html
    assert "data-applications-open>1<" in html and "data-applications-overdue>0<" in html
    monthly = reverse("applications:report", args=["mpp-kukar"]) + "?bulan=2026-11"
    assert f'href="{monthly}"' in html

    xlsx = client.get(url, {"tanggal": "2026-11-10", "format": "xlsx"})
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.active.title == "Laporan harian"  # the queue's sheet stays first
    rows = [[c.value for c in r] for r in book["Permohonan"].iter_rows()]
    header = next(r for r in rows if r[0] == "Instansi")
    total = rows[-1]
    assert total[0] == "Seluruh mal"
    assert total[header.index("Selesai")] == 2 and total[header.index("Terlambat")] == 1
