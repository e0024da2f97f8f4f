"""Idempotency keys belong to their caller: a kiosk device's (its token or session user), a
staff member's, or a citizen's browser (its CSRF cookie). Issue 16: replaying a kiosk's key
anonymously returned the kiosk's ticket with its secret phone-page code."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.crypto import get_random_string

from mpp.accounts.models import Role
from mpp.accounts.tests.factories import bearer, make_staff, token_for
from mpp.catalog.models import Service
from mpp.queueing.models import Ticket


@pytest.fixture
def kiosk(kukar):  # type: ignore[no-untyped-def]
    return make_staff(Role.KIOSK, mall="mpp-kukar", username="kios.mpp.1")


@pytest.fixture
def akta(kukar) -> Service:  # type: ignore[no-untyped-def]
    return Service.objects.get(slug="akta-kelahiran")


def a_browser() -> Client:
    """A citizen's browser with the CSRF cookie the site's pages give it."""
    client = Client(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = get_random_string(32)
    return client


def ask(client: Client, mall: Any, service: Service, key: str, **extra: Any) -> Any:
    return client.post(
        f"/api/v1/malls/{mall.pk}/tickets",
        {"service_id": service.pk},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=key,
        **extra,
    )


def test_a_kiosks_key_replayed_by_a_stranger_never_returns_the_kiosks_ticket(
    client, monday, kiosk, mall_mpp, akta
):
    """The probe's case: the stranger gets a ticket of their own, not the kiosk's code."""
    kiosks = ask(client, mall_mpp, akta, "tap-42", **bearer(token_for(client, kiosk)))
    assert kiosks.status_code == 201
    stranger = a_browser()
    replayed = ask(stranger, mall_mpp, akta, "tap-42")
    assert replayed.status_code == 201  # a new key for this caller: a new ticket
    assert replayed.json()["code"] != kiosks.json()["code"]
    assert replayed.json()["id"] != kiosks.json()["id"]
    # Each caller's own replay is still a double tap that gives their own ticket back.
    assert ask(stranger, mall_mpp, akta, "tap-42").json() == replayed.json()
    again = ask(client, mall_mpp, akta, "tap-42", **bearer(token_for(client, kiosk)))
    assert again.status_code == 200 and again.json() == kiosks.json()
    assert Ticket.objects.count() == 2


def test_another_staff_token_with_the_kiosks_key_gets_its_own_ticket(
    client, monday, kiosk, cast, mall_mpp, akta
):
    kiosks = ask(client, mall_mpp, akta, "tap-1", **bearer(token_for(client, kiosk)))
    officer = ask(
        client, mall_mpp, akta, "tap-1", **bearer(token_for(client, cast.officer_dukcapil()))
    )
    assert officer.status_code == 201 and officer.json()["code"] != kiosks.json()["code"]
    # Another kiosk device of the same mall is another caller too.
    other_kiosk = make_staff(Role.KIOSK, mall="mpp-kukar", username="kios.mpp.2")
    third = ask(client, mall_mpp, akta, "tap-1", **bearer(token_for(client, other_kiosk)))
    assert third.status_code == 201
    assert len({kiosks.json()["id"], officer.json()["id"], third.json()["id"]}) == 3


def test_two_browsers_with_one_key_get_two_tickets(monday, mall_mpp, akta):
    first, second = a_browser(), a_browser()
    mine = ask(first, mall_mpp, akta, "halaman-1")
    theirs = ask(second, mall_mpp, akta, "halaman-1")
    assert mine.status_code == theirs.status_code == 201
    assert mine.json()["code"] != theirs.json()["code"]


def test_a_key_from_a_caller_that_cannot_be_told_apart_is_refused(client, monday, mall_mpp, akta):
    """No token, no session, no browser cookie: the key could be anyone's."""
    response = ask(client, mall_mpp, akta, "tap-1")
    assert response.status_code == 400
    assert response.json()["code"] == "idempotency_key_without_caller"
    assert "Idempotency-Key hanya berlaku" in response.json()["detail"]
    assert not Ticket.objects.exists()
    # Without a key the same caller simply takes a number.
    plain = client.post(
        f"/api/v1/malls/{mall_mpp.pk}/tickets",
        {"service_id": akta.pk},
        content_type="application/json",
    )
    assert plain.status_code == 201


def test_the_key_owner_is_stored_hashed_never_the_browsers_secret(monday, mall_mpp, akta):
    browser = a_browser()
    secret = browser.cookies["csrftoken"].value
    assert ask(browser, mall_mpp, akta, "halaman-1").status_code == 201
    owner = Ticket.objects.get().idempotency_owner
    assert owner.startswith("browser:") and secret not in owner


def take_on_the_phone_page(client: Client, service: Service, key: str) -> Any:
    return client.post(
        reverse("queueing:take-number", args=[service.pk]),
        {
            "mall": "mpp-kukar",
            "priority": "none",
            "idempotency_key": key,
            "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
        },
    )


def test_a_kiosk_pages_key_sent_from_a_phone_page_gives_the_phone_its_own_ticket(
    monday, kiosk, akta
):
    kiosk_browser = a_browser()
    kiosk_browser.force_login(kiosk)
    kiosk_browser.cookies["csrftoken"] = get_random_string(32)  # signing in renews it
    slip = kiosk_browser.post(
        reverse("queueing:kiosk-issue", kwargs={"slug": "mpp-kukar", "pk": akta.pk}),
        {
            "priority": "none",
            "idempotency_key": "kios-halaman-7",
            "csrfmiddlewaretoken": kiosk_browser.cookies["csrftoken"].value,
        },
    )
    assert slip.status_code == 302
    kiosk_ticket = Ticket.objects.get()
    phone = a_browser()
    response = take_on_the_phone_page(phone, akta, "kios-halaman-7")
    assert response.status_code == 302
    assert kiosk_ticket.code not in response["Location"]
    assert Ticket.objects.count() == 2
    # The phone's own resubmission is still answered with the phone's ticket.
    assert take_on_the_phone_page(phone, akta, "kios-halaman-7")["Location"] == response["Location"]
