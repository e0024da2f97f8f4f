"""GET /api/v1/investment/summary (public, the contract) and /investment/companies (staff)."""

from __future__ import annotations

import pytest

from mpp.accounts.tests.factories import PASSWORD
from mpp.investment.tests.conftest import TOTAL_2025_H1

pytestmark = pytest.mark.django_db

CONTRACT = {
    "total_idr",
    "pma_idr",
    "pmdn_idr",
    "extractive_idr",
    "non_extractive_idr",
    "workers",
    "by_sector",
    "by_district",
}


def bearer(client, user) -> dict[str, str]:  # type: ignore[no-untyped-def]
    response = client.post(
        "/api/v1/auth/token",
        {"username": user.username, "password": PASSWORD},
        content_type="application/json",
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {response.json()['token']}"}


def test_summary_follows_the_contract(client, small_dataset):
    body = client.get("/api/v1/investment/summary?year=2025&through=2").json()
    assert body.keys() >= CONTRACT
    assert body["total_idr"] == TOTAL_2025_H1
    assert body["pma_idr"] == 1_600_000_000
    assert body["pmdn_idr"] == 1_500_000_000
    assert body["extractive_idr"] == 1_600_000_000  # mining
    assert body["resource_based_idr"] == 500_000_000  # plantation, by the default classification
    assert body["non_extractive_idr"] == 1_000_000_000  # food industry
    assert body["workers"] == 10 + 5 + 20 + 2 + 3 + 8 + 4
    assert [s["sector"] for s in body["by_sector"]] == [4, 5, 1]
    assert all(isinstance(s["total_idr"], int) for s in body["by_sector"])
    districts = {d["code"]: d["total_idr"] for d in body["by_district"]}
    assert districts["64.02.02"] == 2_100_000_000 and districts["64.02.06"] == 1_000_000_000
    # Every kecamatan, those without investment at 0.
    from mpp.malls.models import District

    assert len(districts) == District.objects.filter(region__slug="kukar").count()
    assert body["sources"][0]["source"] == "LKPM OSS, berkas uji"
    assert body["sources"][0]["cut_off"] == "2025-07-15"


def test_summary_through_a_quarter_counts_january_to_its_end(client, small_dataset):
    q1 = client.get("/api/v1/investment/summary?year=2025&through=Q1").json()
    assert q1["total_idr"] == 2_600_000_000
    whole = client.get("/api/v1/investment/summary?year=2025").json()
    assert whole["through"] == 4 and whole["total_idr"] == TOTAL_2025_H1


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("year=2025&through=5", "through"),
        ("year=2025&through=Q0", "through"),
        ("year=25&through=1", "year"),
        ("year=tahun&through=1", "year"),
        ("through=1", "year"),
    ],
)
def test_summary_refuses_bad_parameters_naming_the_field(client, small_dataset, query, field):
    response = client.get(f"/api/v1/investment/summary?{query}")
    assert response.status_code == 400
    assert [d["field"] for d in response.json()["detail"]] == [field]


def test_summary_of_a_year_without_data_is_404(client, small_dataset):
    response = client.get("/api/v1/investment/summary?year=2019&through=4")
    assert response.status_code == 404
    assert "2019" in response.json()["detail"]


def test_companies_are_for_dpmptsp_leadership_and_auditors(client, cast, small_dataset):
    url = "/api/v1/investment/companies?year=2025&through=2"
    assert client.get(url).status_code == 401
    for person in (cast.supervisor_mpp(), cast.officer_dukcapil()):
        response = client.get(url, **bearer(client, person))
        assert response.status_code == 403
        assert "pimpinan" in response.json()["detail"]
    for person in (cast.regency_admin(), cast.leadership(), cast.auditor()):
        rows = client.get(url, **bearer(client, person)).json()
        assert [r["company"] for r in rows] == ["PT Uji Batu", "PT Uji Pangan", "PT Uji Kebun"]
        assert rows[0]["total_idr"] == 1_600_000_000
    # A rejected report is not a company's realization.
    assert "PT Rahasia Ditolak" not in client.get(url, **bearer(client, cast.auditor())).text


def test_companies_refuse_bad_parameters(client, cast, small_dataset):
    headers = bearer(client, cast.regency_admin())
    response = client.get("/api/v1/investment/companies?year=2025&through=9", **headers)
    assert response.status_code == 400
    assert response.json()["detail"][0]["field"] == "through"
