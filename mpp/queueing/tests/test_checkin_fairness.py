"""The fairness rule for booked people (docs/adr/0036), with real calls on the database.

A booked person checked in on time waits from their slot's start: the counters' one rule
(policy.choose_next) calls them after the walk-ins who came before that start and before those
who came later; checking in early moves them no further; late, they are a walk-in; the priority
lane keeps its turn; the overdue rule, "people ahead" and the reports stay sound when their
`waiting_since` is still ahead of the clock."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from mpp.queueing import actions
from mpp.queueing.checkin import check_in
from mpp.queueing.issuing import settings_of
from mpp.queueing.models import Counter, Ticket
from mpp.queueing.position import position_of
from mpp.queueing.queries import daily_report, supervisor_overview
from mpp.queueing.tests.bookings import book
from mpp.queueing.tests.conftest import WITA

AKTA = "akta-kelahiran"


def at(hhmm: str) -> dt.datetime:
    return dt.datetime.combine(dt.date(2026, 11, 30), dt.time.fromisoformat(hhmm), tzinfo=WITA)


@pytest.fixture
def counter(monday, mall_mpp, cast) -> Counter:  # type: ignore[no-untyped-def]
    """One Disdukcapil counter open: the calls come one after another, in the rule's order."""
    officer = cast.officer_dukcapil()
    first = Counter.objects.filter(mall=mall_mpp, tenant__slug="disdukcapil").order_by("number")[0]
    return actions.set_counter_status(
        counter=first, status=Counter.Status.OPEN, acting_user=officer
    )


def call_all(counter: Counter, officer: Any) -> list[str]:
    """Call until nobody waits, serving each citizen at once; the labels in the order called."""
    order = []
    while (ticket := actions.call_next_ticket(counter=counter, acting_user=officer)) is not None:
        order.append(ticket.display_number)
        actions.start_ticket(ticket=ticket, acting_user=officer)
        actions.finish_ticket(ticket=ticket, outcome=Ticket.Outcome.DONE, acting_user=officer)
    return order


# Each arrival: (time, who) — "W" a walk-in, "P" a walk-in of the priority lane (elderly),
# "B@09:30" a booked person of the 09:30 slot checking in. Calls start at `calls_at`; the
# expected order names the arrivals.
SCENARIOS = {
    "walk-in before the slot, booked early, walk-in after": (
        [("09:10", "W1"), ("09:15", "B@09:30"), ("09:25", "W2"), ("09:35", "W3")],
        "09:40",
        ["W1", "W2", "B", "W3"],
    ),
    "booked on time after the slot's start goes before who came after that start": (
        [("09:20", "W1"), ("09:35", "W2"), ("09:40", "B@09:30")],
        "09:41",
        ["W1", "B", "W2"],
    ),
    "late: a walk-in from the check-in": (
        [("09:10", "W1"), ("09:20", "B@09:00"), ("09:25", "W2")],
        "09:30",
        ["W1", "B", "W2"],
    ),
    "late: after who came before the check-in": (
        [("09:10", "W1"), ("09:15", "W2"), ("09:20", "B@09:00")],
        "09:30",
        ["W1", "W2", "B"],
    ),
    "early check-in does not jump walk-ins who came before the slot": (
        [("09:01", "B@09:30"), ("09:05", "W1"), ("09:29", "W2")],
        "09:31",
        ["W1", "W2", "B"],
    ),
    "two booked people keep their slots' order, whoever checks in first": (
        [("09:05", "W1"), ("09:30", "B@10:00"), ("09:35", "B@09:30"), ("09:50", "W2")],
        "10:01",
        ["W1", "B@09:30", "W2", "B@10:00"],
    ),
    "the priority lane keeps its turn": (
        [("09:10", "W1"), ("09:15", "B@09:30"), ("09:20", "W2"), ("09:35", "P1")],
        "09:40",
        ["P1", "W1", "W2", "B"],
    ),
}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_the_order_of_calls(name, monday, mall_mpp, service_by_slug, cast, counter):
    arrivals, calls_at, expected = SCENARIOS[name]
    akta = service_by_slug(AKTA)
    # Every slot's booking made before the day (the code is all the kiosk needs).
    bookings = {
        who: book(mall_mpp, akta, who.split("@")[1]) for _t, who in arrivals if who[0] == "B"
    }
    labels: dict[str, str] = {}
    for time, who in arrivals:
        monday.move_to(at(time))
        if who[0] == "B":
            ticket = check_in(code=bookings[who].code, mall=mall_mpp).ticket
        else:
            priority = Ticket.Priority.ELDERLY if who[0] == "P" else Ticket.Priority.NONE
            ticket = actions.issue_ticket(
                mall=mall_mpp, service=akta, channel=Ticket.Channel.KIOSK, priority=priority
            ).ticket
        labels[ticket.display_number] = who
    monday.move_to(at(calls_at))
    called = [labels[n] for n in call_all(counter, cast.officer_dukcapil())]
    # "B" stands for the only booked person of a scenario.
    booked = [w for w in labels.values() if w[0] == "B"]
    if len(booked) == 1:
        called = ["B" if w == booked[0] else w for w in called]
    assert called == expected


def test_an_early_check_in_is_not_overdue_and_counts_its_people_ahead(
    monday, mall_mpp, service_by_slug, cast, counter
):
    """A waiting_since still ahead of the clock: never overdue before it comes; its people
    ahead are the walk-ins who came before the slot's start; a walk-in after the start has the
    booked person ahead of it."""
    akta = service_by_slug(AKTA)
    rules = settings_of(mall_mpp)
    rules.max_wait_minutes = 10
    rules.save()
    booking = book(mall_mpp, akta, "09:30")
    w1 = actions.issue_ticket(mall=mall_mpp, service=akta, channel="kiosk").ticket  # 09:00
    monday.move_to(at("09:05"))
    booked = check_in(code=booking.code, mall=mall_mpp).ticket
    monday.move_to(at("09:20"))
    w2 = actions.issue_ticket(mall=mall_mpp, service=akta, channel="kiosk").ticket
    assert position_of(booked).ahead == 2  # W1 and W2 came before 09:30
    assert position_of(w2).ahead == 1  # W1 only: the booked person is due at 09:30
    monday.move_to(at("09:31"))
    w3 = actions.issue_ticket(mall=mall_mpp, service=akta, channel="kiosk").ticket
    assert position_of(w3).ahead == 3
    # 09:31: W1 (31 min) and W2 (11 min) are overdue, the booked person (1 min) not yet.
    called = actions.call_next_ticket(counter=counter, acting_user=cast.officer_dukcapil())
    assert called is not None and called.pk == w1.pk and "menunggu lebih dari" in called.call_reason


def test_a_lone_early_booking_may_be_called_before_its_slot(
    monday, mall_mpp, service_by_slug, cast, counter
):
    """An idle counter serves them at once: nobody waits from earlier."""
    akta = service_by_slug(AKTA)
    booked = check_in(code=book(mall_mpp, akta, "09:30").code, mall=mall_mpp).ticket
    assert position_of(booked).ahead == 0
    called = actions.call_next_ticket(counter=counter, acting_user=cast.officer_dukcapil())
    assert called is not None and called.pk == booked.pk


def test_reports_count_a_booked_wait_from_the_later_of_check_in_and_slot(
    monday, mall_mpp, service_by_slug, cast, counter
):
    """Early (09:10 for 09:40), called 09:55: 15 minutes, from the slot's start. On time after
    the start (09:44 for 09:30), called 09:50: 6 minutes, from the check-in. Called before the
    slot (09:05 for 09:30, at 09:15): 0, never negative."""
    akta = service_by_slug(AKTA)
    officer = cast.officer_dukcapil()
    early, after = book(mall_mpp, akta, "09:30"), book(mall_mpp, akta, "09:30")
    lone = book(mall_mpp, akta, "09:40")

    def serve_next() -> Ticket:
        ticket = actions.call_next_ticket(counter=counter, acting_user=officer)
        assert ticket is not None
        actions.start_ticket(ticket=ticket, acting_user=officer)
        actions.finish_ticket(ticket=ticket, outcome=Ticket.Outcome.DONE, acting_user=officer)
        return ticket

    monday.move_to(at("09:05"))
    first = check_in(code=early.code, mall=mall_mpp).ticket
    monday.move_to(at("09:10"))
    third = check_in(code=lone.code, mall=mall_mpp).ticket
    monday.move_to(at("09:15"))
    assert serve_next().pk == first.pk  # nobody waits from earlier than 09:30
    monday.move_to(at("09:40"))
    monday.move_to(at("09:44"))
    second = check_in(code=after.code, mall=mall_mpp).ticket
    monday.move_to(at("09:50"))
    assert serve_next().pk == second.pk
    monday.move_to(at("09:55"))
    assert serve_next().pk == third.pk
    report = daily_report(mall_mpp, dt.date(2026, 11, 30))
    # 09:15 before 09:30: 0; 09:44 → 09:50: 6; 09:40 → 09:55: 15 (not 45 from 09:10).
    assert sorted(report["total"].waits) == [0.0, 6.0, 15.0]
    assert min(report["total"].waits) >= 0


def test_reports_count_an_early_booking_called_after_its_slot_from_the_slot(
    monday, mall_mpp, service_by_slug, cast, counter
):
    akta = service_by_slug(AKTA)
    officer = cast.officer_dukcapil()
    walk_in = actions.issue_ticket(mall=mall_mpp, service=akta, channel="kiosk").ticket  # 09:00
    monday.move_to(at("09:05"))
    booked = check_in(code=book(mall_mpp, akta, "09:30").code, mall=mall_mpp).ticket
    monday.move_to(at("09:35"))
    first = actions.call_next_ticket(counter=counter, acting_user=officer)
    assert first is not None and first.pk == walk_in.pk
    actions.start_ticket(ticket=first, acting_user=officer)
    actions.finish_ticket(ticket=first, outcome=Ticket.Outcome.DONE, acting_user=officer)
    monday.move_to(at("09:40"))
    second = actions.call_next_ticket(counter=counter, acting_user=officer)
    assert second is not None and second.pk == booked.pk
    waits = sorted(daily_report(mall_mpp, dt.date(2026, 11, 30))["total"].waits)
    assert waits == [10.0, 35.0]  # 09:30 → 09:40, not 09:05 → 09:40; the walk-in 35


def test_the_supervisors_longest_wait_is_never_negative(monday, mall_mpp, service_by_slug):
    akta = service_by_slug(AKTA)
    check_in(code=book(mall_mpp, akta, "09:30").code, mall=mall_mpp)
    rows = {r["queue"].letter: r for r in supervisor_overview(mall_mpp)["queues"]}
    dukcapil = next(r for r in rows.values() if r["waiting"] == 1)
    assert dukcapil["longest_minutes"] == 0
