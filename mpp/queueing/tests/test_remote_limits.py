"""Number hoarding: one phone or person holds a few remote numbers at once, a family behind one
address each hold theirs, and the mall keeps its walk-ins' share (docs/adr/0028)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from mpp.catalog.models import MallService
from mpp.queueing import actions
from mpp.queueing.exceptions import TicketRefused
from mpp.queueing.limits import MAX_ACTIVE_PER_HOLDER, MAX_ACTIVE_PER_HOLDER_SERVICE
from mpp.queueing.models import QueueSettings, Ticket

ONLINE = Ticket.Channel.ONLINE


@pytest.fixture
def remote(mall_mpp, service_by_slug):  # type: ignore[no-untyped-def]
    def _take(slug="akta-kelahiran", *, holder="browser:ibu", channel=ONLINE):  # type: ignore[no-untyped-def]
        return actions.issue_ticket(
            mall=mall_mpp, service=service_by_slug(slug), channel=channel, holder=holder
        ).ticket

    return _take


def test_one_holder_keeps_two_numbers_of_a_service_and_three_in_all(monday, remote):
    first = remote()
    remote()
    with pytest.raises(TicketRefused) as same_service:
        remote()
    assert same_service.value.code == "holder_service_limit"
    assert same_service.value.status == 429
    assert first.display_number in str(same_service.value)  # the numbers it already holds
    remote("penggantian-ktp-el")
    with pytest.raises(TicketRefused) as in_all:
        remote("skck-baru")
    assert in_all.value.code == "holder_limit" and in_all.value.status == 429
    held = Ticket.objects.filter(holder="browser:ibu")
    assert held.count() == MAX_ACTIVE_PER_HOLDER
    assert MAX_ACTIVE_PER_HOLDER_SERVICE == 2
    # The refused numbers were rolled back: the queue has no gap.
    assert sorted(held.filter(queue=first.queue).values_list("number", flat=True)) == [1, 2, 3]


def test_a_number_given_up_or_served_frees_its_place(monday, remote, dukcapil_counters, cast):
    officer = cast.officer_dukcapil()
    first, _second = remote(), remote()
    actions.cancel_ticket(ticket=first, channel="phone")
    remote()  # in the cancelled one's place
    called = actions.call_next_ticket(counter=dukcapil_counters[0], acting_user=officer)
    actions.start_ticket(ticket=called, acting_user=officer)
    actions.finish_ticket(ticket=called, outcome="done", acting_user=officer)
    remote()  # in the served one's place
    assert Ticket.objects.filter(holder="browser:ibu").count() == 4


def test_kiosk_and_counter_numbers_are_not_limited(monday, remote):
    for _ in range(MAX_ACTIVE_PER_HOLDER + 1):
        remote(channel=Ticket.Channel.KIOSK)
    assert Ticket.objects.filter(holder="").count() == MAX_ACTIVE_PER_HOLDER + 1


def test_the_online_share_keeps_half_of_a_quota_for_walk_ins(monday, remote, mall_mpp, akta):
    MallService.objects.filter(mall=mall_mpp, service=akta).update(daily_quota=6)
    for phone in range(3):
        remote(holder=f"browser:{phone}")
    with pytest.raises(TicketRefused) as refused:
        remote(holder="browser:keempat")
    assert refused.value.code == "online_share_reached" and refused.value.status == 400
    for _ in range(3):
        remote(channel=Ticket.Channel.KIOSK)  # the walk-ins' half
    assert Ticket.objects.count() == 6


def test_a_queue_without_quota_caps_remote_numbers_waiting(monday, remote, mall_mpp):
    QueueSettings.objects.update_or_create(mall=mall_mpp, defaults={"online_waiting_max": 2})
    remote(holder="browser:1")
    remote(holder="browser:2")
    with pytest.raises(TicketRefused) as refused:
        remote(holder="browser:3")
    assert refused.value.code == "online_waiting_full"
    assert remote(channel=Ticket.Channel.KIOSK).number == 3


def test_a_family_behind_one_address_each_take_their_number(monday, akta):
    """Five phones on the mall's Wi-Fi (one address): each its own browser, each a number."""
    for phone in range(5):
        browser = Client()
        browser.get(akta.get_absolute_url())  # the service page sets the browser's cookie
        response = browser.post(
            reverse("queueing:take-number", args=[akta.pk]), {"mall": "mpp-kukar"}
        )
        assert response.status_code == 302, phone
    assert Ticket.objects.values("holder").distinct().count() == 5


def test_the_api_refuses_a_hoarding_phone_with_its_code(client, monday, mall_mpp, akta):
    client.cookies["csrftoken"] = "a" * 32
    url = f"/api/v1/malls/{mall_mpp.pk}/tickets"
    codes = [
        client.post(url, {"service_id": akta.pk}, content_type="application/json") for _ in range(3)
    ]
    assert [c.status_code for c in codes] == [201, 201, 429]
    assert codes[2].json()["code"] == "holder_service_limit"
    assert "Anda sudah memegang 2 nomor antrean daring" in codes[2].json()["detail"]


def test_callers_without_a_cookie_share_their_address(monday, mall_mpp, akta):
    url = f"/api/v1/malls/{mall_mpp.pk}/tickets"
    codes = [
        Client().post(url, {"service_id": akta.pk}, content_type="application/json").status_code
        for _ in range(3)
    ]
    assert codes == [201, 201, 429]
    assert Ticket.objects.get(number=1).holder.startswith("address:")


@pytest.fixture
def akta(service_by_slug):  # type: ignore[no-untyped-def]
    return service_by_slug("akta-kelahiran")
