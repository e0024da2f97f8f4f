"""The survey API contract: POST /api/v1/surveys/responses and GET /api/v1/surveys/ikm."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from mpp.accounts.tests.factories import PASSWORD
from mpp.surveys import ikm
from mpp.surveys.actions import survey_token_for
from mpp.surveys.models import Response
from mpp.surveys.queries import Period, Scope, index_for

ALL = {f"U{i}": 3 for i in range(1, 10)}


def post(client, body):  # type: ignore[no-untyped-def]
    return client.post("/api/v1/surveys/responses", body, content_type="application/json")


def bearer(client, user) -> dict[str, str]:  # type: ignore[no-untyped-def]
    response = client.post(
        "/api/v1/auth/token",
        {"username": user.username, "password": PASSWORD},
        content_type="application/json",
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {response.json()['token']}"}


def test_a_response_by_token_is_recorded_once(client, served):
    token = survey_token_for(served())
    body = {"token": token.token, "answers": {**ALL, "U4": None}, "profile": {"sex": "L"}}
    first = post(client, body)
    assert first.status_code == 201
    assert first.json()["recorded"] is True
    response = Response.objects.get()
    assert response.u4 is None and response.u1 == 3 and response.sex == "L"
    again = post(client, body)
    assert again.status_code == 409
    assert again.json()["code"] == "token_used"
    assert Response.objects.count() == 1


def test_answers_outside_1_to_4_name_the_element(client, served):
    token = survey_token_for(served())
    refused = post(client, {"token": token.token, "answers": {**ALL, "U7": 5}})
    assert refused.status_code == 400
    assert refused.json()["field"] == "U7"
    assert "U7" in refused.json()["detail"]
    assert not Response.objects.exists()


def test_unknown_elements_and_empty_responses_are_400(client, served):
    token = survey_token_for(served())
    unknown = post(client, {"token": token.token, "answers": {"U42": 3}})
    assert unknown.status_code == 400 and unknown.json()["code"] == "unknown_element"
    empty = post(client, {"token": token.token, "answers": {"U1": None}})
    assert empty.status_code == 400 and empty.json()["code"] == "no_answers"
    malformed = post(client, {"answers": ALL})
    assert malformed.status_code == 400
    assert malformed.json()["detail"][0]["field"] == "payload.token"


def test_unknown_and_expired_tokens(client, served, monday):
    assert post(client, {"token": "tidak-ada", "answers": ALL}).status_code == 404
    token = survey_token_for(served())
    monday.shift(dt.timedelta(days=7, seconds=1))
    expired = post(client, {"token": token.token, "answers": ALL})
    assert expired.status_code == 410
    assert expired.json()["code"] == "token_expired"


def test_ikm_for_a_mall_and_range_matches_the_computation(client, respond, mall_mpp, cast):
    respond(ALL)
    respond({**ALL, "U1": 4, "U8": None})
    respond(ALL, on=dt.date(2026, 12, 1))  # outside the range below
    url = f"/api/v1/surveys/ikm?mall={mall_mpp.pk}&from=2026-11-01&to=2026-11-30"
    got = client.get(url, **bearer(client, cast.supervisor_mpp()))
    assert got.status_code == 200
    body = json.loads(got.content, parse_float=Decimal)
    assert set(body) == {"respondents", "nrr", "ikm", "score", "mutu", "kinerja"}
    assert body["respondents"] == 2
    assert body["nrr"]["U1"] == Decimal("3.5000") and body["nrr"]["U8"] == Decimal("3.0000")
    expected = index_for(
        Scope(mall=mall_mpp), Period(dt.date(2026, 11, 1), dt.date(2026, 11, 30), "")
    )
    assert body["score"] == expected.score == ikm.round_half_up(expected.ikm * 25)
    assert b'"score": 76.39' in got.content  # (3.5 + 8 × 3) / 9 × 25 = 76.388…


def test_ikm_for_the_regency_needs_a_regency_role(client, respond, cast):
    respond(ALL)
    url = "/api/v1/surveys/ikm?from=2026-11-01&to=2026-11-30"
    assert client.get(url, **bearer(client, cast.auditor())).json()["score"] == 75.0
    assert client.get(url, **bearer(client, cast.supervisor_mpp())).status_code == 200
    assert client.get(url, **bearer(client, cast.officer_dukcapil())).status_code == 403
    assert client.get(url).status_code == 401
    client.force_login(cast.outsider())
    assert client.get(url).status_code == 403


def test_ikm_scope_errors(client, mall_loakulu, cast):
    auth = bearer(client, cast.supervisor_mpp())
    base = "/api/v1/surveys/ikm?from=2026-11-01&to=2026-11-30"
    assert client.get(f"{base}&mall={mall_loakulu.pk}", **auth).status_code == 403
    assert client.get(f"{base}&mall=999999", **auth).status_code == 404
    reversed_range = client.get("/api/v1/surveys/ikm?from=2026-12-01&to=2026-11-01", **auth)
    assert reversed_range.status_code == 400
    assert "sebelum" in reversed_range.json()["detail"]
    bad_date = client.get("/api/v1/surveys/ikm?from=kemarin&to=2026-11-01", **auth)
    assert bad_date.status_code == 400
    legacy = client.get(f"{base}&weights=0.2", **auth)
    assert legacy.status_code == 400


def test_ikm_for_one_service(client, respond, mall_mpp, cast, service_by_slug):
    akta = service_by_slug("akta-kelahiran")
    respond({**ALL, "U1": 4}, service=akta)
    respond(ALL)
    auth = bearer(client, cast.supervisor_mpp())
    base = f"/api/v1/surveys/ikm?mall={mall_mpp.pk}&from=2026-11-01&to=2026-11-30"
    body = client.get(f"{base}&service={akta.pk}", **auth).json()
    assert body["respondents"] == 1 and body["nrr"]["U1"] == 4.0
    assert client.get(f"{base}&service=999999", **auth).status_code == 404
