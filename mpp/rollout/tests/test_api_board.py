"""GET /api/v1/rollout: the contract of issue 19 (fields, order), and who may read it."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from mpp.accounts.models import Role
from mpp.accounts.tests.factories import bearer, make_staff, token_for
from mpp.rollout.models import AgencyMember
from mpp.rollout.tests import board_world as w

URL = "/api/v1/rollout"
# 15 October 2025, 16:30 in Tenggarong (WITA, UTC+8).
NOW = dt.datetime(2025, 10, 15, 8, 30, tzinfo=dt.UTC)


@pytest.fixture
def world(kukar):  # type: ignore[no-untyped-def]
    w.clear(kukar)
    w.plan(kukar, dt.date(2025, 12, 31))
    malls = {m.slug: m for m in w.mini_mpps(kukar)}
    loakulu = malls["mini-mpp-loa-kulu"]
    pu = w.agency(kukar, "dinas-pu", "Dinas PU")
    desain = w.template(kukar, "desain", pu, due=dt.date(2025, 9, 30))
    renovasi = w.template(kukar, "renovasi", pu, due=dt.date(2025, 11, 30))
    w.item(loakulu, desain)  # late
    w.item(loakulu, renovasi, status="done")
    staff = w.member(kukar, w.village_in(loakulu.district))
    w.assign(staff, loakulu, start=dt.date(2025, 1, 6))
    w.assess(staff, w.module(kukar, "konsol"))
    return {"loakulu": loakulu, "pu": pu}


def _liaison(agency, username):  # type: ignore[no-untyped-def]
    user = make_staff(Role.AGENCY_LIAISON, username=username)
    AgencyMember.objects.create(user=user, agency=agency)
    return user


@time_machine.travel(NOW, tick=False)
def test_the_contract_one_entry_per_mini_mpp_by_kecamatan_code(client, cast, world):
    response = client.get(URL, **bearer(token_for(client, cast.leadership())))
    assert response.status_code == 200
    rows = response.json()
    assert len(rows) == 20
    codes = [r["district_code"] for r in rows]
    assert codes == sorted(codes) and codes[0] == "64.02.01"
    contract = {"mall_id", "district_code", "status", "readiness", "overdue", "staff", "trained"}
    for row in rows:
        assert contract <= set(row)
        assert set(row) - contract == {"mall_name", "blocked", "days_to_target", "as_of"}
        assert set(row["readiness"]) == {"done", "total", "percent"}
        assert set(row["staff"]) == {"total", "local", "local_percent"}
        assert set(row["trained"]) == {"total", "passed", "percent"}
    loakulu = next(r for r in rows if r["mall_id"] == world["loakulu"].pk)
    assert loakulu == {
        "mall_id": world["loakulu"].pk,
        "district_code": "64.02.02",
        "status": world["loakulu"].status,
        "readiness": {"done": 1, "total": 2, "percent": 50},
        "overdue": 1,
        "blocked": 0,
        "staff": {"total": 1, "local": 1, "local_percent": 100},
        "trained": {"total": 1, "passed": 1, "percent": 100},
        "mall_name": "Mini MPP Kecamatan Loa Kulu",
        "days_to_target": 77,
        "as_of": "2025-10-15T16:30:00+08:00",
    }
    # A Mini MPP with nothing yet: counts 0, percentages null (not 0).
    empty = next(r for r in rows if r["district_code"] == "64.02.01")
    assert empty["readiness"] == {"done": 0, "total": 0, "percent": None}
    assert empty["staff"] == {"total": 0, "local": 0, "local_percent": None}
    assert empty["trained"] == {"total": 0, "passed": 0, "percent": None}


@time_machine.travel(NOW, tick=False)
def test_dpmptsp_leadership_auditors_and_liaisons_read_it(client, cast, world):
    readers = (
        cast.regency_admin(),
        cast.leadership(),
        cast.auditor(),
        _liaison(world["pu"], "pu.uji"),
    )
    for person in readers:
        response = client.get(URL, **bearer(token_for(client, person)))
        assert response.status_code == 200, person
        assert len(response.json()) == 20


def test_anonymous_is_401(client, world):
    response = client.get(URL)
    assert response.status_code == 401
    assert response.json()["code"]


def test_other_roles_are_403_with_the_reason(client, cast, world):
    kiosk = make_staff(Role.KIOSK, mall="mpp-kukar", username="kios.uji")
    for person in (cast.officer_dukcapil(), cast.supervisor_loakulu(), kiosk):
        response = client.get(URL, **bearer(token_for(client, person)))
        assert response.status_code == 403, person
        assert "pimpinan" in response.json()["detail"]


def test_a_signed_in_browser_session_reads_it_too(client, cast, world):
    client.force_login(cast.auditor())
    assert client.get(URL).status_code == 200


def test_the_openapi_document_declares_the_operation(client, kukar):
    doc = client.get("/api/v1/openapi.json").json()
    operation = doc["paths"][URL]["get"]
    assert {"200", "401", "403"} <= set(operation["responses"])
    schema = doc["components"]["schemas"]["RolloutOut"]
    assert {"mall_id", "district_code", "status", "readiness", "overdue", "staff", "trained"} <= (
        set(schema["required"])
    )
