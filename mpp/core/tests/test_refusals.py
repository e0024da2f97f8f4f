"""Every app's refusals share one base (core.errors.Refused) whose codes are enums, and the API
answers each with one handler: `{detail, code}` and the refusal's status (docs/adr/0026)."""

from __future__ import annotations

import json

import pytest
from django.http import HttpRequest
from django.test import RequestFactory

from mpp.accounts.exceptions import AccessCode, AccountRefusal, SignInLocked
from mpp.api import on_refused
from mpp.catalog.exceptions import CatalogCode, CatalogError
from mpp.core.errors import Refused
from mpp.investment.exceptions import ImportRejected as InvestmentImportRejected
from mpp.queueing.exceptions import IdempotencyKeyReused, IssuingForbidden, QueueCode, WrongState
from mpp.surveys.exceptions import SurveyCode, TokenRefused
from mpp.surveys.importing import ImportRejected as SurveyImportRejected


def _request() -> HttpRequest:
    return RequestFactory().post("/api/v1/tickets")


def test_every_apps_refusal_is_a_refused_with_its_enum_of_codes() -> None:
    """A code given as a string becomes the app's enum member; the string is unchanged."""
    refusals = [
        (AccountRefusal("x", code="wrong_credentials"), AccessCode.WRONG_CREDENTIALS),
        (CatalogError("x"), CatalogCode.REFUSED),
        (WrongState("x", code="ticket_done"), QueueCode.TICKET_DONE),
        (TokenRefused("x", code="token_expired", status=410), SurveyCode.TOKEN_EXPIRED),
        (SurveyImportRejected([], code="too_many_cells"), "too_many_cells"),
        (InvestmentImportRejected([]), "import_rejected"),
    ]
    for refusal, code in refusals:
        assert isinstance(refusal, Refused)
        assert refusal.code == code
        assert type(refusal.code) is not str  # an enum member, not a bare string


def test_a_misspelt_code_is_refused_when_the_refusal_is_made() -> None:
    """A code that is not in the app's enum fails in the tests, not in a client's hands."""
    with pytest.raises(ValueError, match="not one of its codes"):
        WrongState("x", code="ticket_gone")
    with pytest.raises(ValueError, match="not one of its codes"):
        CatalogError("x", code="queue_missing")


def test_the_api_answers_every_refusal_with_its_code_and_status() -> None:
    cases = [
        (CatalogError("Layanan tidak ada."), 400, {"code": "catalog_refused"}),
        (IssuingForbidden("Bukan mal Anda.", code="kiosk_other_mall"), 403, {}),
        (WrongState("Sudah selesai.", code="ticket_done"), 409, {}),
        (IdempotencyKeyReused("Kunci terpakai.", code="idempotency_key_reused"), 422, {}),
        (TokenRefused("Lewat.", code="token_expired", status=410), 410, {"field": None}),
        (AccountRefusal("Salah.", code=AccessCode.WRONG_CREDENTIALS), 401, {}),
    ]
    for refusal, status, extra in cases:
        response = on_refused(_request(), refusal)
        assert response.status_code == status
        body = json.loads(response.content)
        assert body == {"detail": str(refusal), "code": str(refusal.code), **extra}
        assert "Retry-After" not in response


def test_a_lock_out_says_when_to_try_again() -> None:
    locked = SignInLocked("Tunggu.", code=AccessCode.SIGN_IN_LOCKED, retry_after=600)
    response = on_refused(_request(), locked)
    assert response.status_code == 429
    assert response["Retry-After"] == "600"
    assert json.loads(response.content)["code"] == "sign_in_locked"
