"""Complaints' API: filing without an account (201, 400 naming the field, 429 in the error
shape) and reading a complaint by its code (404 unknown; nothing personal, no internal note)."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client

from mpp.complaints import actions
from mpp.complaints.api import COMPLAINTS_PER_HOUR
from mpp.complaints.models import Complaint
from mpp.complaints.tests import world

pytestmark = pytest.mark.django_db
URL = "/api/v1/complaints"


@pytest.fixture(autouse=True)
def _thursday(kukar):  # type: ignore[no-untyped-def]
    with time_machine.travel(world.THURSDAY_9, tick=False):
        yield


def _post(client: Client, body: dict) -> object:  # type: ignore[type-arg]
    return client.post(URL, body, content_type="application/json")


def test_filing_answers_201_with_the_code_and_the_verify_by_date(client: Client):
    mall, service = world.mpp(), world.akta()
    response = _post(
        client,
        {
            "text": "Antrean lama",
            "mall_id": mall.pk,
            "service_id": service.pk,
            "contact": "0812 3456 7890",
        },
    )
    assert response.status_code == 201
    body = response.json()
    assert body == {"code": body["code"], "status": "diterima", "verify_by": "2026-08-19"}
    complaint = Complaint.objects.get(code=body["code"])
    assert (complaint.mall, complaint.service, complaint.source) == (mall, service, "api")
    assert complaint.contact == "6281234567890"


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"text": " "}, "empty_text", "text"),
        ({"text": "x" * (actions.MAX_TEXT + 1)}, "text_too_long", "text"),
        ({"text": "x", "contact": "bukan"}, "invalid_contact", "contact"),
        ({"text": "x", "mall_id": 999999}, "unknown_mall", "mall_id"),
        ({"text": "x", "service_id": 999999}, "unknown_service", "service_id"),
    ],
)
def test_bad_values_are_400_naming_the_field(client: Client, body, code, field):
    response = _post(client, body)
    assert response.status_code == 400
    assert response.json()["code"] == code and response.json()["field"] == field
    assert not Complaint.objects.exists()


@pytest.mark.parametrize(
    "body", [{}, {"text": 5}, {"text": "x", "mall_id": "satu"}, {"text": "x", "mall_id": 0}]
)
def test_malformed_bodies_are_400_invalid(client: Client, body):
    response = _post(client, body)
    assert response.status_code == 400 and response.json()["code"] == "invalid"


def test_filing_is_rate_limited_with_the_error_shape(client: Client):
    for _ in range(COMPLAINTS_PER_HOUR):
        assert _post(client, {"text": "x"}).status_code == 201
    refused = _post(client, {"text": "x"})
    assert refused.status_code == 429 and refused.json()["code"] == "rate_limited"


def test_reading_by_code_shows_public_replies_and_nothing_personal(client: Client):
    complaint = world.verified(contact="081234567890")
    actions.reply_to_complaint(
        complaint=complaint, text="Rahasia", is_internal=True, acting_user=None
    )
    actions.reply_to_complaint(
        complaint=complaint, text="Jawaban", is_internal=False, acting_user=None
    )
    body = client.get(f"{URL}/{complaint.grouped_code}").json()
    assert body["status"] == "dijawab" and body["verify_by"] == "2026-08-19"
    assert body["answer_by"] == "2026-08-21" and body["answered_on"] == "2026-08-13"
    assert [r["text"] for r in body["replies"]] == ["Jawaban"]
    assert "0812" not in str(body) and "628" not in str(body) and "contact" not in body


def test_an_unknown_code_is_404(client: Client):
    response = client.get(f"{URL}/AAAABBBBCCCC")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
