"""The API's own refusals in Indonesian: a body that is not JSON, a staff call without
credentials, a page without its CSRF token; and staff tokens on every staff endpoint."""

from __future__ import annotations

import pytest

from mpp.accounts.models import ApiToken


@pytest.mark.django_db
@pytest.mark.parametrize("body", ["not json", "{", '{"username": "a",}', "\xff\xfe"])
def test_a_body_that_is_not_json_is_refused_in_indonesian(client, body):
    response = client.post("/api/v1/auth/token", data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Isi permintaan bukan JSON yang sah.",
        "code": "invalid_json",
    }
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_a_ticket_body_that_is_not_json_issues_nothing(client, kukar, mall_mpp):
    from mpp.queueing.models import Ticket

    response = client.post(
        f"/api/v1/malls/{mall_mpp.pk}/tickets", data="not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Isi permintaan bukan JSON yang sah.",
        "code": "invalid_json",
    }
    assert not Ticket.objects.exists()


@pytest.mark.django_db
def test_a_staff_write_without_any_credentials_is_a_401_in_indonesian(client, kukar, mall_mpp):
    from mpp.queueing.models import Counter

    counter = Counter.objects.filter(mall=mall_mpp).first()
    for url in (f"/api/v1/counters/{counter.pk}/status", "/api/v1/tickets/1/start"):
        response = client.post(url, data='{"status": "open"}', content_type="application/json")
        assert response.status_code == 401, url
        assert response.json() == {
            "detail": "Silakan masuk sebagai petugas.",
            "code": "unauthenticated",
        }
    assert Counter.objects.get(pk=counter.pk).status == Counter.Status.CLOSED


@pytest.mark.django_db
def test_a_signed_in_page_without_its_csrf_token_is_told_so(kukar, mall_mpp, cast):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(cast.supervisor_mpp())
    put = browser.put(f"/api/v1/malls/{mall_mpp.pk}/services/1")
    assert put.status_code == 403
    assert "CSRF" in put.json()["detail"] and "muat ulang" in put.json()["detail"]


@pytest.mark.django_db
def test_staff_tokens_work_on_every_staff_endpoint(client, kukar, mall_mpp, cast):
    from mpp.accounts.tests.factories import bearer, token_for
    from mpp.catalog.models import Service

    supervisor = cast.supervisor_mpp()
    auth = bearer(token_for(client, supervisor))
    me = client.get("/api/v1/me", **auth)
    assert me.status_code == 200 and me.json()["username"] == supervisor.get_username()
    service = Service.objects.get(slug="akta-kelahiran")
    offered = client.put(f"/api/v1/malls/{mall_mpp.pk}/services/{service.pk}", **auth)
    assert offered.status_code == 200 and offered.json()["offered"] is True
