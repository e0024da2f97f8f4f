"""The queue API contract: tokens, issuing, the phone page's status, counters, steps, board."""

from __future__ import annotations

import pytest

from mpp.accounts.models import Role
from mpp.accounts.tests.factories import bearer, make_staff, token_for
from mpp.catalog.models import Service
from mpp.queueing.models import Counter, Ticket


@pytest.fixture
def kiosk(kukar):  # type: ignore[no-untyped-def]
    return make_staff(Role.KIOSK, mall="mpp-kukar", username="kios.mpp.1")


@pytest.fixture
def akta(kukar) -> Service:  # type: ignore[no-untyped-def]
    return Service.objects.get(slug="akta-kelahiran")


def post(client, url, body=None, **extra):  # type: ignore[no-untyped-def]
    return client.post(url, body or {}, content_type="application/json", **extra)


def test_a_token_needs_the_right_password(client, kiosk):
    assert token_for(client, kiosk)
    wrong = post(client, "/api/v1/auth/token", {"username": "kios.mpp.1", "password": "salah"})
    assert wrong.status_code == 401
    assert "salah" in wrong.json()["detail"]
    assert post(client, "/api/v1/auth/token", {"username": ""}).status_code == 400


def test_a_kiosk_issues_a_ticket_once_per_idempotency_key(client, monday, kiosk, mall_mpp, akta):
    headers = {**bearer(token_for(client, kiosk)), "HTTP_IDEMPOTENCY_KEY": "tap-42"}
    url = f"/api/v1/malls/{mall_mpp.pk}/tickets"
    first = post(client, url, {"service_id": akta.pk, "priority": "lansia"}, **headers)
    assert first.status_code == 201
    body = first.json()
    assert set(body) == {"id", "code", "number", "service_id", "status", "ahead", "estimate"}
    assert body["number"].endswith("001") and body["status"] == "waiting" and body["ahead"] == 0
    again = post(client, url, {"service_id": akta.pk, "priority": "lansia"}, **headers)
    assert again.status_code == 200 and again.json() == body
    ticket = Ticket.objects.get()
    assert ticket.channel == Ticket.Channel.KIOSK and ticket.priority == "lansia"
    assert ticket.issued_by == kiosk


@pytest.mark.parametrize(
    "other",
    [
        {"priority": "none"},  # what a plain "Ambil nomor" sends: the default priority
        {"priority": "disabilitas"},
        {"service_slug": "kartu-identitas-anak"},
    ],
)
def test_an_idempotency_key_reused_for_another_request_is_refused(
    client, monday, kiosk, mall_mpp, akta, other
):
    """The key names one request: another priority or service never gets the earlier ticket."""
    headers = {**bearer(token_for(client, kiosk)), "HTTP_IDEMPOTENCY_KEY": "halaman-1"}
    url = f"/api/v1/malls/{mall_mpp.pk}/tickets"
    first = post(client, url, {"service_id": akta.pk, "priority": "lansia"}, **headers)
    assert first.status_code == 201
    service = Service.objects.get(slug=other.get("service_slug", "akta-kelahiran"))
    body = {"service_id": service.pk, "priority": other.get("priority", "lansia")}
    reused = post(client, url, body, **headers)
    assert reused.status_code == 422
    assert reused.json() == {
        "detail": "Kunci permintaan ini sudah dipakai untuk nomor antrean lain (layanan, "
        "prioritas, atau hari lain). Ulangi dengan permintaan baru.",
        "code": "idempotency_key_reused",
    }
    assert Ticket.objects.count() == 1
    fresh = post(client, url, body, **{**headers, "HTTP_IDEMPOTENCY_KEY": "halaman-2"})
    assert fresh.status_code == 201 and fresh.json()["id"] != first.json()["id"]


def test_a_revoked_token_or_deactivated_kiosk_stops_at_once(client, monday, kiosk, mall_mpp, akta):
    """Tokens and their owners are kept in memory: a change must still count on the next call."""
    from mpp.accounts.models import ApiToken

    url = f"/api/v1/malls/{mall_mpp.pk}/tickets"
    headers = bearer(token_for(client, kiosk))
    assert post(client, url, {"service_id": akta.pk}, **headers).status_code == 201
    kiosk.is_active = False
    kiosk.save(update_fields=["is_active"])
    assert post(client, url, {"service_id": akta.pk}, **headers).status_code == 401
    kiosk.is_active = True
    kiosk.save(update_fields=["is_active"])
    # Deactivation revoked the token (ADR 0018): reactivated, the kiosk signs in again.
    assert post(client, url, {"service_id": akta.pk}, **headers).status_code == 401
    headers = bearer(token_for(client, kiosk))
    assert post(client, url, {"service_id": akta.pk}, **headers).status_code == 201
    ApiToken.objects.filter(user=kiosk).delete()  # a queryset delete sends post_delete per row
    assert post(client, url, {"service_id": akta.pk}, **headers).status_code == 401
    assert Ticket.objects.count() == 2


def test_a_kiosk_of_another_mall_is_refused(client, monday, kiosk, mall_loakulu, akta):
    response = post(
        client,
        f"/api/v1/malls/{mall_loakulu.pk}/tickets",
        {"service_id": akta.pk},
        **bearer(token_for(client, kiosk)),
    )
    assert response.status_code == 403


def test_a_wrong_token_is_a_401_not_a_citizen(client, monday, mall_mpp, akta):
    response = post(
        client,
        f"/api/v1/malls/{mall_mpp.pk}/tickets",
        {"service_id": akta.pk},
        **bearer("bukan-token"),
    )
    assert response.status_code == 401


def test_a_phone_takes_a_number_and_follows_it(client, monday, mall_mpp, akta):
    issued = post(client, f"/api/v1/malls/{mall_mpp.pk}/tickets", {"service_id": akta.pk})
    assert issued.status_code == 201
    assert Ticket.objects.get().channel == Ticket.Channel.ONLINE
    status = client.get(f"/api/v1/tickets/{issued.json()['code']}").json()
    assert status["number"] == issued.json()["number"]
    assert status["status"] == "waiting" and status["counter"] is None
    assert client.get("/api/v1/tickets/tidak-ada").status_code == 404


def test_phones_flooding_the_api_from_one_address_meet_its_ceiling(client, monday, mall_mpp, akta):
    """Many phones behind one address (a carrier's CGNAT) each take a number; only a flood
    meets the per-address ceiling (queueing.limits; one phone's own limit: test_remote_limits)."""
    from mpp.queueing.limits import ADDRESS_ISSUES_PER_MINUTE

    url = f"/api/v1/malls/{mall_mpp.pk}/tickets"
    codes = []
    for phone in range(ADDRESS_ISSUES_PER_MINUTE + 2):
        client.cookies["csrftoken"] = f"{phone:032d}"  # each phone its own browser
        codes.append(post(client, url, {"service_id": akta.pk}).status_code)
    assert codes == [201] * ADDRESS_ISSUES_PER_MINUTE + [429, 429]
    assert Ticket.objects.count() == ADDRESS_ISSUES_PER_MINUTE


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"service_id": 0}, 400),
        ({"service_id": "x"}, 400),
        ({}, 400),
        ({"service_id": 1, "priority": "vip"}, 400),
        ({"service_id": 999999}, 404),
    ],
)
def test_bad_ticket_requests(client, monday, mall_mpp, body, status):
    response = post(client, f"/api/v1/malls/{mall_mpp.pk}/tickets", body)
    assert response.status_code == status


def test_a_refusal_says_why_in_indonesian(client, monday, mall_mpp):
    paspor = Service.objects.get(slug="paspor-biasa-baru")
    response = post(client, f"/api/v1/malls/{mall_mpp.pk}/tickets", {"service_id": paspor.pk})
    assert response.status_code == 400
    assert response.json() == {"detail": response.json()["detail"], "code": "not_today"}
    assert "Rabu" in response.json()["detail"]


def test_an_officer_runs_a_ticket_through_the_counter(client, monday, cast, mall_mpp, akta):
    officer = cast.officer_dukcapil()
    auth = bearer(token_for(client, officer))
    counter = Counter.objects.filter(mall=mall_mpp, tenant__slug="disdukcapil").first()
    assert post(client, f"/api/v1/counters/{counter.pk}/call-next", **auth).status_code == 409
    opened = post(client, f"/api/v1/counters/{counter.pk}/status", {"status": "open"}, **auth)
    assert opened.json()["status"] == "open"
    assert post(client, f"/api/v1/counters/{counter.pk}/call-next", **auth).status_code == 204

    code = post(client, f"/api/v1/malls/{mall_mpp.pk}/tickets", {"service_id": akta.pk}).json()[
        "code"
    ]
    called = post(client, f"/api/v1/counters/{counter.pk}/call-next", **auth).json()
    assert called["status"] == "called" and called["counter"] == counter.number
    assert client.get(f"/api/v1/tickets/{code}").json()["counter"] == counter.number
    tid = called["id"]
    finish_early = post(client, f"/api/v1/tickets/{tid}/finish", {"outcome": "done"}, **auth)
    assert finish_early.status_code == 409
    assert "dipanggil" in finish_early.json()["detail"]
    assert post(client, f"/api/v1/tickets/{tid}/recall", **auth).json()["recall_count"] == 1
    busy = post(client, f"/api/v1/counters/{counter.pk}/call-next", **auth)
    assert busy.status_code == 409 and busy.json()["code"] == "counter_busy"
    closing = post(client, f"/api/v1/counters/{counter.pk}/status", {"status": "closed"}, **auth)
    assert closing.status_code == 409 and "selesaikan dulu" in closing.json()["detail"]
    assert post(client, f"/api/v1/tickets/{tid}/start", **auth).json()["status"] == "serving"
    done = post(client, f"/api/v1/tickets/{tid}/finish", {"outcome": "done"}, **auth)
    assert done.status_code == 200 and done.json()["status"] == "done"


def test_an_officer_of_another_tenant_gets_a_403(client, monday, cast, mall_mpp, akta):
    from mpp.queueing import actions

    ticket = actions.issue_ticket(mall=mall_mpp, service=akta, channel="kiosk").ticket
    other = bearer(token_for(client, cast.officer_imigrasi()))
    counter = Counter.objects.filter(mall=mall_mpp, tenant__slug="disdukcapil").first()
    assert post(client, f"/api/v1/counters/{counter.pk}/call-next", **other).status_code == 403
    assert post(client, f"/api/v1/tickets/{ticket.pk}/recall", **other).status_code == 403
    assert (
        post(
            client, f"/api/v1/counters/{counter.pk}/status", {"status": "open"}, **other
        ).status_code
        == 403
    )


@pytest.mark.parametrize(
    "url", ["/api/v1/counters/999999/call-next", "/api/v1/tickets/999999/start"]
)
def test_unknown_counters_and_tickets_are_404(client, monday, cast, url):
    assert (
        post(client, url, **bearer(token_for(client, cast.officer_dukcapil()))).status_code == 404
    )


def test_staff_steps_need_a_sign_in(client, monday, mall_mpp):
    counter = Counter.objects.filter(mall=mall_mpp).first()
    assert post(client, f"/api/v1/counters/{counter.pk}/call-next").status_code == 401


def test_transfer_and_out_of_order_call(client, monday, cast, mall_mpp, akta):
    from mpp.queueing import actions

    auth = bearer(token_for(client, cast.officer_dukcapil()))
    counter = Counter.objects.filter(mall=mall_mpp, tenant__slug="disdukcapil").first()
    post(client, f"/api/v1/counters/{counter.pk}/status", {"status": "open"}, **auth)
    actions.issue_ticket(mall=mall_mpp, service=akta, channel="kiosk")
    second = actions.issue_ticket(mall=mall_mpp, service=akta, channel="kiosk").ticket
    called = post(
        client,
        f"/api/v1/counters/{counter.pk}/call",
        {"ticket_id": second.pk, "reason": "berkas lengkap"},
        **auth,
    )
    assert called.status_code == 200 and called.json()["id"] == second.pk
    nib = Service.objects.get(slug="pendaftaran-nib")
    moved = post(client, f"/api/v1/tickets/{second.pk}/transfer", {"service_id": nib.pk}, **auth)
    assert moved.status_code == 200 and moved.json()["status"] == "waiting"
    follow = client.get(f"/api/v1/tickets/{second.code}").json()
    assert follow["number"] == moved.json()["number"]


def test_the_board_snapshot_shows_counters_calls_and_waiting(client, monday, cast, mall_mpp, akta):
    from mpp.queueing import actions

    officer = cast.officer_dukcapil()
    counter = Counter.objects.filter(mall=mall_mpp, tenant__slug="disdukcapil").first()
    counter = actions.set_counter_status(counter=counter, status="open", acting_user=officer)
    actions.issue_ticket(mall=mall_mpp, service=akta, channel="kiosk")
    actions.issue_ticket(mall=mall_mpp, service=akta, channel="kiosk")
    called = actions.call_next_ticket(counter=counter, acting_user=officer)
    board = client.get(f"/api/v1/malls/{mall_mpp.pk}/board").json()
    assert isinstance(board["seq"], int)
    row = next(c for c in board["counters"] if c["number"] == counter.number)
    assert row["current"] == called.display_number and row["status"] == "open"
    assert board["last_calls"][0]["text"].startswith(f"Nomor antrean {called.queue.letter} satu")
    waiting = {w["letter"]: w["count"] for w in board["waiting"]}
    assert waiting[called.queue.letter] == 1
    assert client.get("/api/v1/malls/999999/board").status_code == 404


def test_a_change_by_another_worker_counts_from_the_next_request(client, monday, mall_mpp, akta):
    """What another worker changed between two requests (an update that sends no signal) is
    seen by the second."""
    from mpp.catalog.models import MallService

    url = f"/api/v1/malls/{mall_mpp.pk}/tickets"
    assert post(client, url, {"service_id": akta.pk}).status_code == 201
    MallService.objects.filter(mall=mall_mpp, service=akta).update(daily_quota=1)
    refused = post(client, url, {"service_id": akta.pk})
    assert refused.status_code == 400 and refused.json()["code"] == "quota_reached"
