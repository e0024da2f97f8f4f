"""The two minimal endpoints the queue bench measures issuing against (docs/BENCHMARKS.md)."""

from __future__ import annotations

import pytest

from mpp.accounts.models import Role
from mpp.accounts.tests.factories import make_staff
from mpp.queueing.tests.test_api import token_for


def test_the_minimal_endpoint(client):
    assert client.get("/api/v1/ping").json() == {"ok": True}


@pytest.mark.django_db
def test_the_minimal_endpoint_with_a_body_and_a_token(client, kukar):
    token = token_for(client, make_staff(Role.KIOSK, mall="mpp-kukar", username="kios.mpp.1"))
    response = client.post(
        "/api/v1/ping",
        {"service_id": 5, "priority": "lansia"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200
    assert response.json() == {"ok": True}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "headers", "status"),
    [
        ('{"service_id": 5}', {"Authorization": "Bearer salah"}, 401),
        ('{"service_id": 0}', {}, 400),
        ("[1, 2]", {}, 400),
        ("{bukan json", {}, 400),
    ],
)
def test_the_minimal_endpoint_with_a_body_refuses_what_issuing_refuses(
    client, body, headers, status
):
    response = client.post("/api/v1/ping", body, content_type="application/json", headers=headers)
    assert response.status_code == status
    assert response.json()["detail"]
