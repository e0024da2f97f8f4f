"""The JSON API contract: /malls, /services, /services/{id}; and its 400/401/403/404."""

from __future__ import annotations

import re

import pytest

from mpp.catalog.models import MallService, Service, Tenant
from mpp.core.models import AuditEntry
from mpp.malls.models import Mall


def test_malls_follow_the_contract(client, uji):
    response = client.get("/api/v1/malls")
    assert response.status_code == 200
    malls = response.json()
    assert len(malls) == Mall.objects.count()  # every region's: Kukar's and Uji's
    mine = [(m["name"], m["kind"], m["district_code"], m["status"]) for m in malls]
    assert ("Mal Pelayanan Publik Kabupaten Uji", "mpp", "99.01.01", "operating") in mine
    assert ("Mini MPP Kecamatan Hilir", "mini_mpp", "99.01.02", "operating") in mine
    for mall in malls:
        assert {"id", "name", "kind", "district_code", "status"} <= set(mall)
        assert mall["kind"] in {"mpp", "mini_mpp"}
        assert re.fullmatch(r"\d{2}\.\d{2}\.\d{2}", mall["district_code"])
        assert mall["status"] in {"planned", "preparing", "operating"}


def test_the_api_says_which_mall_statuses_are_sample_data(client, kukar, service_by_slug):
    malls = {m["slug"]: m for m in client.get("/api/v1/malls").json()}
    assert malls["mpp-kukar"]["status_is_sample"] is False
    assert malls["mini-mpp-loa-kulu"]["status_is_sample"] is True
    service = service_by_slug("akta-kelahiran")
    places = client.get(f"/api/v1/services/{service.pk}").json()["places"]
    assert {p["mall"]: p["status_is_sample"] for p in places}["Mini MPP Loa Kulu"] is True


def test_one_mall_with_its_hours(client, mall_mpp):
    data = client.get(f"/api/v1/malls/{mall_mpp.pk}").json()
    friday = next(h for h in data["hours"] if h["weekday"] == 5)
    assert friday["break_starts"] == "11:30"
    assert data["service_count"] == Service.objects.active().count()


def test_services_are_searched_with_everyday_words(client, kukar):
    response = client.get("/api/v1/services", {"q": "akta lahir"})
    assert response.status_code == 200
    first = response.json()[0]
    assert first["name"] == "Penerbitan Akta Kelahiran"
    assert set(first) >= {"id", "name", "tenant"}
    assert first["tenant"] == "Disdukcapil Kukar"


def test_services_can_be_limited_to_one_mall(client, mall_loakulu):
    everything = client.get("/api/v1/services").json()
    at_mini = client.get("/api/v1/services", {"mall": mall_loakulu.pk}).json()
    assert 0 < len(at_mini) < len(everything)
    offered = set(Service.objects.offered_at(mall_loakulu).values_list("pk", flat=True))
    assert {s["id"] for s in at_mini} == offered


def test_a_service_carries_the_six_components(client, service_by_slug):
    service = service_by_slug("skck-baru")
    data = client.get(f"/api/v1/services/{service.pk}").json()
    for key in ("requirements", "procedure", "duration", "fee", "product", "complaints"):
        assert data[key], key
    assert data["requirements"] == service.requirements
    assert data["fee_amount"] == service.fee_amount
    assert any(p["mall"] == "MPP Kukar" for p in data["places"])


def test_a_service_carries_its_time_as_a_value_and_a_unit(client, service_by_slug):
    """Issue 22's contract: the text for display, the value and unit for deadlines; null for
    both (never "") when the standard names no fixed time."""
    paspor = service_by_slug("paspor-biasa-baru")
    data = client.get(f"/api/v1/services/{paspor.pk}").json()
    assert (data["duration"], data["duration_value"], data["duration_unit"]) == (
        paspor.duration,
        paspor.duration_value,
        paspor.duration_unit,
    )
    assert data["duration_unit"] in {"menit", "jam", "hari_kerja", "hari"}
    court = Service.objects.filter(duration="Sesuai jadwal persidangan").first()
    assert court is not None
    data = client.get(f"/api/v1/services/{court.pk}").json()
    assert data["duration"] == "Sesuai jadwal persidangan"
    assert data["duration_value"] is None and data["duration_unit"] is None


@pytest.mark.parametrize(
    ("url", "params", "field"),
    [
        ("/api/v1/services", {"mall": "abc"}, "mall"),
        ("/api/v1/services", {"mall": "0"}, "mall"),
        ("/api/v1/services", {"q": "x" * 101}, "q"),
        ("/api/v1/services/abc", {}, "service_id"),
        ("/api/v1/services/0", {}, "service_id"),
        ("/api/v1/malls/abc", {}, "mall_id"),
    ],
)
def test_malformed_parameters_are_a_400_naming_the_field(client, kukar, url, params, field):
    response = client.get(url, params)
    assert response.status_code == 400
    error = response.json()["detail"][0]
    assert error["field"] == field
    assert error["message"] in {
        "harus berupa bilangan bulat",
        "paling kecil 1",
        "paling panjang 100 karakter",
    }


@pytest.mark.parametrize(
    "url", ["/api/v1/services/999999", "/api/v1/malls/999999", "/api/v1/services?mall=999999"]
)
def test_unknown_objects_are_a_json_404(client, kukar, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert "tidak ditemukan" in response.json()["detail"]


def test_the_openapi_document_declares_the_contract(client, kukar):
    doc = client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/malls", "/api/v1/services", "/api/v1/services/{service_id}"} <= set(
        doc["paths"]
    )
    assert "400" in doc["paths"]["/api/v1/services"]["get"]["responses"]


# --- staff: offering a service at a mall ------------------------------------------------------


def offer_url(mall: Mall, service: Service) -> str:
    return f"/api/v1/malls/{mall.pk}/services/{service.pk}"


def test_a_supervisor_opens_and_closes_a_service_at_their_mall(
    client, cast, mall_loakulu, service_by_slug
):
    client.force_login(cast.supervisor_loakulu())
    service = service_by_slug("akta-kelahiran")
    MallService.objects.filter(mall=mall_loakulu, service=service).delete()

    response = client.put(offer_url(mall_loakulu, service))
    assert response.status_code == 200
    assert response.json() == {
        "mall_id": mall_loakulu.pk,
        "service_id": service.pk,
        "offered": True,
        "changed": True,
    }
    assert MallService.objects.filter(mall=mall_loakulu, service=service).exists()
    assert client.put(offer_url(mall_loakulu, service)).json()["changed"] is False

    response = client.delete(offer_url(mall_loakulu, service))
    assert response.status_code == 200
    assert not MallService.objects.filter(mall=mall_loakulu, service=service).exists()
    actions = list(
        AuditEntry.objects.filter(mall_id=mall_loakulu.pk).values_list("action", flat=True)
    )
    assert actions == ["offering.removed", "offering.added"]


def test_a_mini_mpp_cannot_offer_a_back_office_service(client, cast, mall_loakulu, service_by_slug):
    client.force_login(cast.supervisor_loakulu())
    response = client.put(offer_url(mall_loakulu, service_by_slug("paspor-biasa-baru")))
    assert response.status_code == 400
    assert "Mini MPP" in response.json()["detail"]
    assert not AuditEntry.objects.filter(action__startswith="offering.").exists()


def test_a_supervisor_cannot_touch_another_mall(client, cast, mall_mpp, service_by_slug):
    client.force_login(cast.supervisor_loakulu())
    response = client.put(offer_url(mall_mpp, service_by_slug("skck-baru")))
    assert response.status_code == 403


@pytest.mark.parametrize("who", ["officer_dukcapil", "leadership", "auditor", "outsider"])
def test_other_roles_cannot_change_offerings(client, cast, mall_loakulu, service_by_slug, who):
    client.force_login(getattr(cast, who)())
    response = client.delete(offer_url(mall_loakulu, service_by_slug("akta-kelahiran")))
    assert response.status_code == 403


def test_a_citizen_must_sign_in(client, mall_loakulu, service_by_slug):
    response = client.put(offer_url(mall_loakulu, service_by_slug("akta-kelahiran")))
    assert response.status_code == 401


def test_unknown_mall_or_service_is_a_404_for_staff(client, cast, mall_loakulu, service_by_slug):
    client.force_login(cast.regency_admin())
    service = service_by_slug("akta-kelahiran")
    assert client.put(f"/api/v1/malls/999999/services/{service.pk}").status_code == 404
    assert client.put(f"/api/v1/malls/{mall_loakulu.pk}/services/999999").status_code == 404


def test_me_reports_role_and_scope(client, cast, mall_loakulu):
    assert client.get("/api/v1/me").status_code == 401
    client.force_login(cast.supervisor_loakulu())
    data = client.get("/api/v1/me").json()
    assert data["role"] == "mall_supervisor"
    assert data["editable_mall_ids"] == [mall_loakulu.pk]
    client.force_login(cast.outsider())
    assert client.get("/api/v1/me").status_code == 403


def test_tenants_list_their_days_of_service(client, uji):
    response = client.get("/api/v1/tenants")
    assert response.status_code == 200
    tenants = {t["slug"]: t for t in response.json()}
    assert len(tenants) == Tenant.objects.count()  # every region's
    assert tenants["imigrasi-uji"]["service_days"] == [3]
    assert tenants["dukcapil-uji"]["service_days"] == [1, 2, 3, 4, 5]


def test_the_api_refuses_unknown_methods(client, kukar):
    assert client.post("/api/v1/malls").status_code == 405
