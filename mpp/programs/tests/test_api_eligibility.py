"""POST /api/v1/nikah/eligibility: issue 20's contract (problems, needs, 400, 429)."""

from __future__ import annotations

import pytest

from mpp.core.models import AuditEntry
from mpp.programs.models import Person, Registration

pytestmark = pytest.mark.django_db

URL = "/api/v1/nikah/eligibility"
GROOM = {"nik": "6402061705980001", "birth_date": "1998-05-17"}
BRIDE = {"nik": "6402064708950001", "birth_date": "1995-08-07"}


def check(client, *, akad="2026-04-10", registered="2026-03-10", groom=GROOM, bride=BRIDE):
    body = {"akad_date": akad, "registered_on": registered, "groom": groom, "bride": bride}
    return client.post(URL, body, content_type="application/json")


def codes(answer) -> list[tuple[str, str | None]]:
    return [(p["code"], p["who"]) for p in answer["problems"]]


def test_an_eligible_couple_needs_nothing_and_nothing_is_stored(client, kukar):
    audits = AuditEntry.objects.count()
    response = check(client)
    assert response.status_code == 200
    assert response.json() == {"eligible": True, "problems": [], "needs": []}
    assert not Registration.objects.exists() and not Person.objects.exists()
    assert AuditEntry.objects.count() == audits


def test_registering_on_25_march_for_10_april_2026_is_in_time_but_26_march_is_late(client, kukar):
    assert check(client, registered="2026-03-25").json()["needs"] == []
    late = check(client, registered="2026-03-26").json()
    assert late["eligible"] is True
    assert late["needs"] == ["late_registration_dispensation"]


@pytest.mark.parametrize(
    "nik",
    [
        "640206170598001",  # 15 digits
        "9902061705980001",  # no such province
        "6402063505980001",  # day 35
        "6402061713980001",  # month 13
        "6402063104980001",  # 31 April
        "6402061705980000",  # serial 0000
    ],
)
def test_a_malformed_nik_is_a_problem_of_its_owner(client, kukar, nik):
    answer = check(client, groom={"nik": nik, "birth_date": "1998-05-17"}).json()
    assert answer["eligible"] is False
    assert ("nik_invalid", "groom") in codes(answer)
    message = next(p["message"] for p in answer["problems"] if p["code"] == "nik_invalid")
    assert message.startswith("NIK calon suami:")


def test_a_birth_date_other_than_the_niks_is_a_mismatch(client, kukar):
    answer = check(client, bride={"nik": BRIDE["nik"], "birth_date": "1995-08-08"}).json()
    assert codes(answer) == [("nik_birth_date_mismatch", "bride")]


def test_a_groom_with_a_womans_nik_and_a_bride_with_a_mans_are_sex_mismatches(client, kukar):
    answer = check(
        client,
        groom={"nik": BRIDE["nik"], "birth_date": BRIDE["birth_date"]},
        bride={"nik": GROOM["nik"], "birth_date": GROOM["birth_date"]},
    ).json()
    assert codes(answer) == [("nik_sex_mismatch", "groom"), ("nik_sex_mismatch", "bride")]


def test_under_19_is_a_problem_and_needs_court_dispensation_and_parental_permission(client, kukar):
    young = {"nik": "6402061506080001", "birth_date": "2008-06-15"}
    answer = check(client, groom=young).json()
    assert codes(answer) == [("under_19", "groom")]
    assert answer["needs"] == ["parental_permission", "court_dispensation"]
    assert "19 tahun" in answer["problems"][0]["message"]


def test_under_21_only_needs_parental_permission(client, kukar):
    answer = check(client, bride={"nik": "6402064501060001", "birth_date": "2006-01-05"}).json()
    assert answer == {"eligible": True, "problems": [], "needs": ["parental_permission"]}


def test_a_29_february_birthday_turns_on_1_march_in_a_common_year(client, kukar):
    bride = {"nik": "6402066902080001", "birth_date": "2008-02-29"}
    on_28th = check(client, akad="2027-02-28", registered="2027-01-04", bride=bride).json()
    assert codes(on_28th) == [("under_19", "bride")]
    on_1st = check(client, akad="2027-03-01", registered="2027-01-04", bride=bride).json()
    assert on_1st["eligible"] is True and on_1st["needs"] == ["parental_permission"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"registered_on": "2026-03-10", "groom": GROOM, "bride": BRIDE}, "akad_date"),
        (
            {
                "akad_date": "10-04-2026",
                "registered_on": "2026-03-10",
                "groom": GROOM,
                "bride": BRIDE,
            },
            "akad_date",
        ),
        ({"akad_date": "2026-04-10", "registered_on": "2026-03-10", "groom": GROOM}, "bride"),
        (
            {
                "akad_date": "2026-04-10",
                "registered_on": "2026-03-10",
                "groom": {"nik": 6402061705980001, "birth_date": "1998-05-17"},
                "bride": BRIDE,
            },
            "groom.nik",
        ),
        (
            {
                "akad_date": "2026-04-10",
                "registered_on": "2026-03-10",
                "groom": {"nik": "1", "birth_date": "1998-02-30"},
                "bride": BRIDE,
            },
            "groom.birth_date",
        ),
    ],
)
def test_a_malformed_body_is_a_400_naming_the_field(client, kukar, body, field):
    response = client.post(URL, body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert f"payload.{field}" in [d["field"] for d in response.json()["detail"]]


def test_a_body_that_is_not_json_is_refused(client, kukar):
    response = client.post(URL, "akad=2026-04-10", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_json"


def test_a_script_checking_niks_in_bulk_is_rate_limited(client, kukar):
    for _ in range(30):
        assert check(client).status_code == 200
    response = check(client)
    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited"


def test_the_openapi_document_lists_the_operation_and_its_errors(client, kukar):
    operation = client.get("/api/v1/openapi.json").json()["paths"][URL]["post"]
    assert {"200", "400", "429"} <= set(operation["responses"])
