"""People ahead and the estimate on the phone page, the slip and the API, against the counters
really calling (docs/adr/0028); the mall page's line."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from mpp.catalog.models import Service
from mpp.queueing import actions
from mpp.queueing.models import Counter, Queue, Ticket
from mpp.queueing.queries import mall_queue_lengths, ticket_status

L, E, P = Ticket.Priority.ELDERLY, Ticket.Priority.PREGNANT, Ticket.Priority.NONE


@pytest.fixture
def officer(cast):  # type: ignore[no-untyped-def]
    return cast.officer_dukcapil()


def serve_round(counters, officer, monday):  # type: ignore[no-untyped-def]
    """The counters call in turn (by number), each finishing its citizen first; the clock moves
    a second per call, as calls never share an instant. Returns the tickets in call order."""
    order: list[int] = []
    while True:
        called_any = False
        for counter in counters:
            current = Ticket.objects.filter(counter=counter, status=Ticket.Status.CALLED).first()
            if current is not None:
                actions.start_ticket(ticket=current, acting_user=officer)
                actions.finish_ticket(ticket=current, outcome="done", acting_user=officer)
            monday.shift(dt.timedelta(seconds=1))
            ticket = actions.call_next_ticket(counter=counter, acting_user=officer)
            if ticket is not None:
                order.append(ticket.pk)
                called_any = True
        if not called_any:
            return order


def test_people_ahead_is_the_order_the_counters_then_call(
    monday, issue, dukcapil_counters, officer, mall_mpp
):
    """Two Disdukcapil counters and a front desk that also serves DPMPTSP's queue: whatever a
    ticket's lane and queue, the calls before it are what the phone said."""
    for extra in dukcapil_counters[2:]:
        actions.set_counter_status(counter=extra, status="closed", acting_user=officer)
    front = Counter.objects.create(mall=mall_mpp, number=90, status=Counter.Status.OPEN)
    dpmptsp = Service.objects.filter(tenant__slug="dpmptsp").first()
    front.queues.set(Queue.objects.filter(mall=mall_mpp, letter__in=["A", "B"]))
    tickets = []
    for minutes, (slug, priority) in enumerate(
        [
            ("akta-kelahiran", P),
            ("akta-kelahiran", P),
            (dpmptsp.slug, P),
            ("akta-kelahiran", L),
            ("akta-kelahiran", P),
            (dpmptsp.slug, E),
            ("akta-kelahiran", P),
            ("akta-kelahiran", E),
        ]
    ):
        tickets.append(issue(slug, priority=priority).ticket)
        monday.shift(dt.timedelta(minutes=1 + minutes % 2))
    ahead = {t.pk: ticket_status(t)["ahead"] for t in tickets}
    assert ahead[tickets[3].pk] == 0  # the elderly citizen is called first, not fourth

    order = serve_round([*dukcapil_counters[:2], front], officer, monday)

    assert {pk: order.index(pk) for pk in order} == ahead


def test_the_overdue_rule_counts_before_the_priority_lane(monday, issue, dukcapil_counters):
    old = issue().ticket
    monday.shift(dt.timedelta(minutes=50))  # past the 45 minutes of the mall's rules
    elderly = issue(priority=L).ticket
    assert ticket_status(old)["ahead"] == 0
    assert ticket_status(elderly)["ahead"] == 1


def test_the_estimate_is_a_range_from_open_counters_and_todays_services(
    monday, issue, dukcapil_counters, officer
):
    for extra in dukcapil_counters[1:]:
        actions.set_counter_status(counter=extra, status="closed", acting_user=officer)
    first, _second, third = issue().ticket, issue().ticket, issue().ticket
    # No service finished yet: the default of 10 minutes a citizen, spread 5 (akta has no
    # same-visit standard); two ahead at one idle counter: 20 minutes of walk, a range of about
    # 09.11-09.31 (forecast.py: lognormal median and quantiles), rounded outwards to 5 minutes.
    status = ticket_status(third)
    assert status["ahead"] == 2 and status["can_cancel"] is True
    assert status["estimate"]["label"] == "sekitar 09.10–09.35"
    assert (status["estimate"]["from"], status["estimate"]["to"]) == ("09:10", "09:35")
    assert status["estimate"]["earliest"] == "2026-11-30T09:10:00+08:00"
    assert "09:18:00" < status["estimate"]["expected"][11:19] < "09:20:00"

    called = actions.call_next_ticket(counter=dukcapil_counters[0], acting_user=officer)
    assert called.pk == first.pk
    actions.start_ticket(ticket=called, acting_user=officer)
    monday.shift(dt.timedelta(minutes=20))
    actions.finish_ticket(ticket=called, outcome="done", acting_user=officer)
    # Now 09.20, one ahead, the counter free: one service (akta's 20 minutes today, pulled
    # towards the 10 minutes default as 5 services: 11.7 minutes) before the third is called.
    later = ticket_status(third)["estimate"]
    assert later["label"] == "sekitar 09.20–09.40"  # 09.25 less the minutes of a walk-up

    actions.set_counter_status(counter=dukcapil_counters[0], status="paused", acting_user=officer)
    status = ticket_status(third)
    assert status["estimate"] is None  # no counter open: nobody can say when
    assert status["ahead"] == 1


def test_a_ticket_no_longer_waiting_has_nobody_ahead_and_no_estimate(
    monday, issue, dukcapil_counters, officer
):
    issue()
    called = actions.call_next_ticket(counter=dukcapil_counters[0], acting_user=officer)
    status = ticket_status(called)
    assert status["ahead"] == 0 and status["estimate"] is None and status["can_cancel"] is False


def test_the_phone_page_and_the_api_say_the_same_in_few_queries(
    client, monday, issue, dukcapil_counters, django_assert_max_num_queries
):
    for _ in range(30):
        issue()
    elderly = issue(priority=L).ticket
    # The estimate (docs/adr/0034) adds the pool's services, their recent times, the bookings
    # due and the last estimate stored (4 reads), and the mall's zone (1); an insert in its
    # savepoint (3) only when the range moved, as on a first view.
    with django_assert_max_num_queries(14):
        page = client.get(reverse("queueing:ticket", args=[elderly.code]))
    assert page.status_code == 200
    with django_assert_max_num_queries(10):  # the same range: nothing written
        api = client.get(f"/api/v1/tickets/{elderly.code}").json()
    assert api["ahead"] == page.context["status"]["ahead"] == 0
    assert api["estimate"]["label"].startswith("sekitar ")
    assert api["can_cancel"] is True


def test_the_api_tells_a_new_priority_number_its_real_place(client, monday, issue, akta):
    for _ in range(3):
        issue()
    response = client.post(
        f"/api/v1/malls/{akta.tenant.counters.first().mall_id}/tickets",
        {"service_id": akta.pk, "priority": L},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["ahead"] == 0


def test_the_mall_page_shows_each_line_and_its_open_counters(
    client, monday, issue, dukcapil_counters, mall_mpp, django_assert_max_num_queries
):
    issue()
    issue()
    lengths = {row["letter"]: row for row in mall_queue_lengths(mall_mpp)}
    assert lengths["B"]["waiting"] == 2 and lengths["B"]["counters_open"] == 4
    assert lengths["A"]["waiting"] == 0 and lengths["A"]["counters_open"] == 0
    # 8, and the new number's estimate (docs/adr/0034): the open counters' queues, the pool's
    # tickets, services, their recent times, the bookings due and the mall's rules (6), whatever
    # the number of queues.
    with django_assert_max_num_queries(14):
        html = client.get(reverse("malls:mall-detail", args=[mall_mpp.slug])).content.decode()
    assert 'data-queue="B"' in html
    assert "2 menunggu" in html and "4 loket buka" in html
    # Two waiting at four idle counters: a new number is called at once, about now.
    assert lengths["B"]["estimate"] == "sekitar 09.00–09.10"
    assert "Nomor baru dipanggil sekitar 09.00–09.10" in html
    assert lengths["A"]["estimate"] is None


@pytest.fixture
def akta(service_by_slug):  # type: ignore[no-untyped-def]
    return service_by_slug("akta-kelahiran")
