"""A request body that is not JSON is a 400 saying so in Indonesian, and changes nothing."""

from __future__ import annotations

import pytest

from mpp.accounts.models import ApiToken


@pytest.mark.django_db
@pytest.mark.parametrize("body", ["not json", "{", '{"username": "a",}', "\xff\xfe"])
def test_a_body_that_is_not_json_is_refused_in_indonesian(client, body):
    response = client.post("/api/v1/auth/token", data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": "Isi permintaan bukan JSON yang sah."}
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_a_ticket_body_that_is_not_json_issues_nothing(client, kukar, mall_mpp):
    from mpp.queueing.models import Ticket

    response = client.post(
        f"/api/v1/malls/{mall_mpp.pk}/tickets", data="not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "Isi permintaan bukan JSON yang sah."}
    assert not Ticket.objects.exists()
