"""A NUL character in an API input is a 400 naming the field: PostgreSQL's text cannot hold
one, and the token endpoint answered 500 there (found by the API fuzz test)."""

from __future__ import annotations

import pytest

from mpp.accounts.models import ApiToken
from mpp.core.text import NO_NUL

NUL = "tidak boleh memuat karakter NUL"


@pytest.mark.django_db
def test_a_nul_in_a_json_body_names_its_field(client):
    response = client.post(
        "/api/v1/auth/token",
        data='{"username": "kios\\u0000-mpp", "password": "x"}',
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["detail"] == [
        {"field": "payload.username", "message": NUL, "type": "string_pattern_mismatch"}
    ]
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_a_nul_in_the_query_or_the_address_names_its_parameter(client, kukar):
    response = client.get("/api/v1/services", {"q": "akta\x00"})
    assert response.status_code == 400
    assert response.json()["detail"][0] == {
        "field": "q",
        "message": NUL,
        "type": "string_pattern_mismatch",
    }
    # In the address, before any route is chosen (core.malformed): no field to name.
    response = client.get("/api/v1/tickets/abc%00def")
    assert response.status_code == 400
    assert response.json()["detail"][0] == {
        "field": None,
        "message": NUL,
        "type": "string_pattern_mismatch",
    }


@pytest.mark.django_db
def test_an_escaped_backslash_is_not_a_nul(client, kukar):
    # The JSON text \\u0000 is a backslash and "u0000": a plain (wrong) password.
    response = client.post(
        "/api/v1/auth/token",
        data='{"username": "kios-mpp-kukar", "password": "\\\\u0000"}',
        content_type="application/json",
    )
    assert response.status_code == 401


def test_the_openapi_document_says_so(client):
    schema = client.get("/api/v1/openapi.json").json()
    token_in = schema["components"]["schemas"]["TokenIn"]["properties"]
    assert token_in["username"]["pattern"] == token_in["password"]["pattern"] == NO_NUL
