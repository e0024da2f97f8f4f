"""A small two-year dataset for page and API tests, imported through the real action."""

from __future__ import annotations

import datetime as dt

import pytest

HEADER = (
    "year,period,company,nib,status,kbli,sector,district_code,currency,amount,rate,"
    "workers_male,workers_female,workers_foreign,report_status"
)
ROWS = [
    "2024,Q1,PT Uji Pangan,9120300000001,PMDN,10431,5,64.02.06,IDR,800000000,,9,4,0,Disetujui",
    "2024,Q3,PT Uji Batu,9120300000002,PMA,05100,4,64.02.02,USD,80000.00,15000,15,1,2,Disetujui",
    "2025,Q1,PT Uji Pangan,9120300000001,PMDN,10431,5,64.02.06,IDR,1000000000,,10,5,0,Disetujui",
    "2025,Q1,PT Uji Batu,9120300000002,PMA,05100,4,64.02.02,USD,100000.00,16000,20,2,3,Disetujui",
    "2025,Q2,PT Uji Kebun,9120300000003,PMDN,01262,1,64.02.02,IDR,500000000,,8,4,0,Disetujui",
    "2025,Q2,PT Rahasia Ditolak,9120300000009,PMDN,01262,1,64.02.02,IDR,900000000,,1,0,0,Ditolak",
]
# 2025 through Q2: 1 000 000 000 + 100 000 × 16 000 + 500 000 000 = 3 100 000 000.
TOTAL_2025_H1 = 3_100_000_000


@pytest.fixture
def small_dataset(kukar):  # type: ignore[no-untyped-def]
    from mpp.investment.actions import import_realizations

    data = "\n".join([HEADER, *ROWS]).encode()
    return import_realizations(
        region=kukar,
        data=data,
        file_name="uji.csv",
        source="LKPM OSS, berkas uji",
        cut_off=dt.date(2025, 7, 15),
        acting_user=None,
    )


@pytest.fixture
def import_page(client, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    """POST the import page's form, let its background job run (core/jobs.py, in this process
    when the request's transaction commits) and GET the page it leads to: the job's outcome.
    A form refused before any job (400) is returned as it is."""

    def post(data: dict[str, object]):  # type: ignore[no-untyped-def]
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/investasi/impor/", data)
        if response.status_code != 302:
            return response
        return client.get(response["Location"])

    return post
