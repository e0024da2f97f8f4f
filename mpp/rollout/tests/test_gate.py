"""The go-live gate: "operating" only when ready, going back with a reason, every change
audited; the same rule on the page, the API and the admin (issue 19)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from mpp.accounts.tests.factories import bearer, token_for
from mpp.accounts.tests.test_admin import _form_data, change_url
from mpp.core.models import AuditEntry
from mpp.malls.models import Mall
from mpp.rollout.exceptions import RolloutRefused
from mpp.rollout.gate import gate_problems, set_mall_status
from mpp.rollout.models import MallStatusChange, TrialDay
from mpp.rollout.tests import readiness_world as w

OPERATING, PREPARING, PLANNED = Mall.Status.OPERATING, Mall.Status.PREPARING, Mall.Status.PLANNED


@pytest.fixture
def world(kukar):  # type: ignore[no-untyped-def]
    with time_machine.travel(w.MONDAY_9, tick=False):
        yield w.build(kukar)


def _served_trial(mall: Mall) -> TrialDay:
    return TrialDay.objects.create(
        mall=mall, day=dt.date(2026, 11, 27), tickets_issued=3, tickets_called=2
    )


def _status(mall: Mall) -> str:
    return Mall.objects.get(pk=mall.pk).status


def test_the_gate_refuses_naming_the_open_items_and_the_missing_trial(world, cast):
    w.all_done(world.mall)
    world.items["renovasi"].refresh_from_db()
    type(world.items["renovasi"]).objects.filter(pk=world.items["renovasi"].pk).update(
        status="blocked", done_at=None
    )
    with pytest.raises(RolloutRefused) as refused:
        set_mall_status(world.mall, OPERATING, actor=cast.regency_admin())
    error = refused.value
    assert error.code == "readiness_incomplete" and error.status == 409
    assert [o["code"] for o in error.extra["open_items"]] == ["renovasi"]
    row = error.extra["open_items"][0]
    assert row == {
        "id": world.items["renovasi"].pk,
        "code": "renovasi",
        "title": "Renovasi selesai",
        "owner": "Dinas PU",
        "due_date": "2026-12-31",
        "status": "blocked",
    }
    assert "Renovasi selesai (Dinas PU)" in error.message
    assert "uji coba" in error.message and error.extra["trial_served"] is False
    assert _status(world.mall) == PREPARING
    assert not MallStatusChange.objects.filter(mall=world.mall).exists()
    assert len(gate_problems(world.mall)) == 2


def test_done_items_without_a_served_trial_are_not_enough(world, cast):
    w.all_done(world.mall)
    TrialDay.objects.create(
        mall=world.mall, day=dt.date(2026, 11, 27), tickets_issued=4
    )  # none called
    with pytest.raises(RolloutRefused) as refused:
        set_mall_status(world.mall, OPERATING, actor=cast.regency_admin())
    assert refused.value.extra["open_items"] == []
    assert "belum ada hari uji coba" in refused.value.message


def test_a_ready_mini_mpp_operates_audited_with_its_opening_date(world, cast):
    w.all_done(world.mall)
    _served_trial(world.mall)
    Mall.objects.filter(pk=world.mall.pk).update(opened_on=None)
    admin = cast.regency_admin()
    with time_machine.travel(w.MONDAY_9, tick=False):
        mall = set_mall_status(world.mall, OPERATING, actor=admin)
    assert mall.status == OPERATING and mall.opened_on == dt.date(2026, 11, 30)
    change = MallStatusChange.objects.get(mall=mall)
    assert (change.from_status, change.to_status, change.actor) == (PREPARING, OPERATING, admin)
    entry = AuditEntry.objects.get(action="mall.status_changed", object_id=str(mall.pk))
    assert entry.actor == admin and entry.data["to"] == OPERATING
    assert gate_problems(mall) == []


def test_going_back_needs_a_reason(world, cast):
    admin = cast.regency_admin()
    with pytest.raises(RolloutRefused) as refused:
        set_mall_status(world.mall, PLANNED, actor=admin, reason="   ")
    assert refused.value.code == "reason_required"
    assert "Sebutkan alasan" in refused.value.message
    set_mall_status(world.mall, PLANNED, actor=admin, reason="Lokasi dipindah")
    assert MallStatusChange.objects.get(mall=world.mall).reason == "Lokasi dipindah"
    set_mall_status(world.mall, PREPARING, actor=admin)  # forward: no reason needed


def test_the_mpp_has_no_checklist_only_the_reason_rule(kukar, cast):
    mpp = Mall.objects.get(slug="mpp-kukar")
    admin = cast.regency_admin()
    with pytest.raises(RolloutRefused) as refused:
        set_mall_status(mpp, PREPARING, actor=admin)
    assert refused.value.code == "reason_required"
    set_mall_status(mpp, PREPARING, actor=admin, reason="Renovasi gedung")
    assert set_mall_status(mpp, OPERATING, actor=admin).status == OPERATING
    assert gate_problems(mpp) == []


def test_the_same_status_again_writes_nothing(world, cast):
    set_mall_status(world.mall, PREPARING, actor=cast.regency_admin())
    assert not MallStatusChange.objects.exists()
    assert not AuditEntry.objects.filter(action="mall.status_changed").exists()


# --- the API --------------------------------------------------------------------------------


def _post(client, mall_id: int, body: dict, token: str | None = None):  # type: ignore[no-untyped-def]
    extra = bearer(token) if token else {}
    return client.post(
        f"/api/v1/malls/{mall_id}/status", body, content_type="application/json", **extra
    )


def test_api_409_names_the_open_items(client, world, cast):
    token = token_for(client, cast.regency_admin())
    response = _post(client, world.mall.pk, {"status": "operating"}, token)
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "readiness_incomplete" and "belum dapat beroperasi" in body["detail"]
    assert {o["code"] for o in body["open_items"]} == {"lokasi", "renovasi", "perbup", "listrik"}


def test_api_200_answers_the_mall(client, world, cast):
    w.all_done(world.mall)
    _served_trial(world.mall)
    token = token_for(client, cast.regency_admin())
    response = _post(client, world.mall.pk, {"status": "operating"}, token)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["id"] == world.mall.pk and body["status"] == "operating"
    assert body["slug"] == w.PREPARING


def test_api_400_for_a_bad_status_or_a_missing_reason(client, world, cast):
    token = token_for(client, cast.regency_admin())
    bad = _post(client, world.mall.pk, {"status": "open"}, token)
    assert bad.status_code == 400 and bad.json()["code"] == "invalid"
    assert bad.json()["detail"][0]["field"].endswith("status")
    back = _post(client, world.mall.pk, {"status": "planned"}, token)
    assert back.status_code == 400 and back.json()["code"] == "reason_required"
    assert _status(world.mall) == PREPARING


def test_api_403_out_of_scope_404_unknown_401_anonymous(client, world, cast):
    for user in (cast.leadership(), cast.supervisor_loakulu(), w.liaison(world.pu, "pu.api")):
        token = token_for(client, user)
        response = _post(client, world.mall.pk, {"status": "operating"}, token)
        assert response.status_code == 403 and response.json()["code"] == "forbidden"
    token = token_for(client, cast.regency_admin())
    assert _post(client, 999_999, {"status": "operating"}, token).status_code == 404
    assert _post(client, world.mall.pk, {"status": "operating"}).status_code == 401
    assert _status(world.mall) == PREPARING


def test_the_api_document_declares_the_gate_refusal(client, kukar):
    schema = client.get("/api/v1/openapi.json").json()
    responses = schema["paths"]["/api/v1/malls/{mall_id}/status"]["post"]["responses"]
    assert {"200", "400", "401", "403", "404", "409"} <= set(responses)


# --- the page and the admin -----------------------------------------------------------------


def test_the_page_shows_the_gates_refusal_with_the_open_items(client, world, cast):
    client.force_login(cast.regency_admin())
    url = reverse("rollout:readiness-status", kwargs={"slug": world.mall.slug})
    response = client.post(url, {"status": "operating"})
    assert response.status_code == 409
    html = response.content.decode()
    assert 'data-gate-refusal="readiness_incomplete"' in html
    assert 'data-open-item="renovasi"' in html and 'data-open-item="spanduk"' not in html
    back = client.post(url, {"status": "planned", "reason": ""})
    assert back.status_code == 400 and "Sebutkan alasan" in back.content.decode()
    moved = client.post(url, {"status": "planned", "reason": "Ruang PATEN belum tersedia"})
    assert moved.status_code == 302 and _status(world.mall) == PLANNED
    client.force_login(cast.auditor())
    assert client.post(url, {"status": "preparing"}).status_code == 403


def test_the_admin_shows_the_status_read_only_and_a_post_does_not_change_it(
    client, world, cast, admin_user
):
    for user in (cast.regency_admin(), admin_user):
        client.force_login(user)
        page = client.get(change_url(world.mall))
        assert page.status_code == 200
        assert (
            reverse("rollout:readiness", kwargs={"slug": world.mall.slug}) in page.content.decode()
        )
        data = _form_data(page)
        data["status"] = "operating"
        response = client.post(change_url(world.mall), data)
        assert response.status_code == 302
        assert _status(world.mall) == PREPARING


def test_a_supervisor_sees_the_status_read_only_without_the_dpmptsp_link(client, kukar, cast):
    loakulu = Mall.objects.get(slug="mini-mpp-loa-kulu")
    client.force_login(cast.supervisor_loakulu())
    page = client.get(change_url(loakulu))
    assert page.status_code == 200 and "/persiapan/kesiapan/" not in page.content.decode()
    data = {**_form_data(page), "status": "planned"}
    assert client.post(change_url(loakulu), data).status_code == 302
    assert _status(loakulu) == OPERATING
