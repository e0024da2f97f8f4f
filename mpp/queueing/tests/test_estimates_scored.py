"""Every estimate shown is stored once per range and scored against the call; the supervisor's
accuracy page; the ticket answers' `estimate` (docs/adr/0034)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from mpp.queueing import actions
from mpp.queueing.models import CallEstimate, Counter, Ticket
from mpp.queueing.queries import estimate_accuracy, ticket_status

MINUTE = dt.timedelta(minutes=1)


@pytest.fixture
def one_counter(dukcapil_counters, cast):  # type: ignore[no-untyped-def]
    officer = cast.officer_dukcapil()
    for extra in dukcapil_counters[1:]:
        actions.set_counter_status(counter=extra, status="closed", acting_user=officer)
    return dukcapil_counters[0]


def test_an_estimate_is_stored_when_shown_and_again_only_when_its_range_moves(
    client, monday, issue, one_counter
):
    issue()
    ticket = issue().ticket
    page = client.get(reverse("queueing:ticket", args=[ticket.code]))
    assert page.status_code == 200
    label = page.context["status"]["estimate"]["label"]
    assert label in page.content.decode()
    stored = CallEstimate.objects.get()
    assert (stored.ticket, stored.shown, stored.ahead, stored.staffed) == (ticket, "phone", 1, 1)
    assert stored.earliest <= stored.expected <= stored.latest
    assert stored.naive == monday_at(9, 10)  # 1 ahead x 10 minutes / 1 counter
    assert stored.called_at is None
    # Polled every 15 seconds: the same range, nothing written.
    for _ in range(4):
        monday.shift(dt.timedelta(seconds=15))
        assert client.get(f"/api/v1/tickets/{ticket.code}").status_code == 200
    assert CallEstimate.objects.count() == 1
    # Half an hour later the range has moved: a second row, from the API.
    monday.shift(30 * MINUTE)
    client.get(f"/api/v1/tickets/{ticket.code}")
    assert list(CallEstimate.objects.values_list("shown", flat=True)) == ["phone", "api"]
    # ticket_status without `shown` (a board, a test) stores nothing.
    monday.shift(30 * MINUTE)
    ticket_status(ticket)
    assert CallEstimate.objects.count() == 2


def monday_at(hour: int, minute: int) -> dt.datetime:
    from mpp.queueing.tests.conftest import WITA

    return dt.datetime(2026, 11, 30, hour, minute, tzinfo=WITA)


def test_the_call_scores_every_estimate_of_the_ticket_and_no_other(
    monday, issue, one_counter, cast
):
    officer = cast.officer_dukcapil()
    first, second = issue().ticket, issue().ticket
    ticket_status(first, shown=CallEstimate.Shown.SLIP)
    ticket_status(second, shown=CallEstimate.Shown.SLIP)
    monday.shift(20 * MINUTE)
    ticket_status(second, shown=CallEstimate.Shown.PHONE)
    monday.shift(2 * MINUTE)
    called = actions.call_next_ticket(counter=one_counter, acting_user=officer)
    assert called.pk == first.pk
    assert list(CallEstimate.objects.filter(ticket=first).values_list("called_at", flat=True)) == [
        monday_at(9, 22)
    ]
    assert not CallEstimate.objects.filter(ticket=second, called_at__isnull=False).exists()
    # Out of order, by the console's "call this one": scored the same way.
    actions.start_ticket(ticket=called, acting_user=officer)
    actions.finish_ticket(ticket=called, outcome="done", acting_user=officer)
    third = issue().ticket
    ticket_status(third, shown=CallEstimate.Shown.API)
    monday.shift(MINUTE)
    actions.call_ticket(counter=one_counter, ticket=third, reason="dokumen", acting_user=officer)
    assert CallEstimate.objects.get(ticket=third).called_at == monday_at(9, 23)


def test_the_api_answers_carry_the_estimate_from_to_or_null(
    client, monday, akta, one_counter, service_by_slug
):
    url = f"/api/v1/malls/{one_counter.mall_id}/tickets"
    first = client.post(url, {"service_id": akta.pk}, content_type="application/json").json()
    second = client.post(url, {"service_id": akta.pk}, content_type="application/json").json()
    assert first["estimate"]["from"] == "09:00" and first["ahead"] == 0
    estimate = second["estimate"]
    assert set(estimate) >= {"from", "to", "earliest", "latest", "expected", "label"}
    assert estimate["label"] == f"sekitar {estimate['from'].replace(':', '.')}–" + estimate[
        "to"
    ].replace(":", ".")
    assert CallEstimate.objects.filter(shown="api").count() == 2
    status = client.get(f"/api/v1/tickets/{second['code']}").json()
    assert status["estimate"]["from"] == estimate["from"]
    # No counter open for the queue: null, in both answers.
    actions.set_counter_status(counter=one_counter, status="paused", acting_user=None)
    ktp = service_by_slug("perekaman-ktp-el")  # two of one service per phone (limits)
    third = client.post(url, {"service_id": ktp.pk}, content_type="application/json").json()
    assert third["estimate"] is None
    assert client.get(f"/api/v1/tickets/{second['code']}").json()["estimate"] is None


def test_a_booking_due_before_a_walk_in_moves_its_estimate(monday, issue, one_counter):
    """A booked person who has not checked in yet, whose slot began before a walk-in came,
    counts before that walk-in (weighted by the show-up rate)."""
    from mpp.appointments.queries import booked_due

    first = issue().ticket
    monday.shift(10 * MINUTE)
    walk_in = issue().ticket
    before = ticket_status(walk_in)["estimate"]["expected"]
    book(first.mall, first.service, start=dt.time(9, 5))
    assert booked_due(mall_id=first.mall_id, service_ids=[first.service_id], day=first.service_day)
    after = ticket_status(walk_in)["estimate"]["expected"]
    assert after > before


def book(mall, service, *, start):  # type: ignore[no-untyped-def]
    """An appointment booked for `start` today, written directly (the booking rules are the
    appointments app's; here only the estimate reads it)."""
    from mpp.appointments import models as booking

    day = dt.date(2026, 11, 30)
    end = (dt.datetime.combine(day, start) + 15 * MINUTE).time()
    slot = booking.Slot.objects.create(
        mall=mall, service=service, date=day, start=start, end=end, capacity=5, booked=1
    )
    return booking.Appointment.objects.create(
        code="7K3Q9XM2PD",
        access_key="k" * 40,
        mall=mall,
        service=service,
        slot=slot,
        status=booking.Appointment.Status.BOOKED,
        channel=booking.Appointment.Channel.WEB,
        nik_digest="0" * 64,
        nik_masked="6402**********01",
        created_at=dt.datetime(2026, 11, 29, 10, tzinfo=dt.UTC),
    )


# --- the supervisor's accuracy page --------------------------------------------------------


@pytest.fixture
def scored_day(monday, issue, one_counter, cast):  # type: ignore[no-untyped-def]
    """Three citizens shown an estimate, then served one after the other in 12 minutes each."""
    officer = cast.officer_dukcapil()
    tickets = [issue().ticket for _ in range(3)]
    for t in tickets:
        ticket_status(t, shown=CallEstimate.Shown.SLIP)
    for _ in tickets:
        called = actions.call_next_ticket(counter=one_counter, acting_user=officer)
        actions.start_ticket(ticket=called, acting_user=officer)
        monday.shift(12 * MINUTE)
        actions.finish_ticket(ticket=called, outcome="done", acting_user=officer)
    return tickets


def test_accuracy_is_the_mean_error_the_naive_one_and_the_share_inside(scored_day, mall_mpp):
    day = dt.date(2026, 11, 30)
    report = estimate_accuracy(mall_mpp, day, day)
    (row,) = report["rows"]
    assert row.service == "Penerbitan Akta Kelahiran" and row.estimates == row.tickets == 3
    rows = CallEstimate.objects.order_by("ticket__number")
    errors = [abs((r.expected - r.called_at).total_seconds()) / 60 for r in rows]
    naive = [abs((r.naive - r.called_at).total_seconds()) / 60 for r in rows]
    inside = sum(r.earliest <= r.called_at <= r.latest for r in rows)
    assert row.mae == pytest.approx(sum(errors) / 3)
    assert row.naive_mae == pytest.approx(sum(naive) / 3)  # 0, 2 and 4 minutes late: 2
    assert row.naive_mae == pytest.approx(2.0)
    assert row.inside == pytest.approx(inside / 3)
    assert report["total"].estimates == 3
    # Another day's range: nothing.
    earlier = day - dt.timedelta(days=1)
    assert estimate_accuracy(mall_mpp, earlier - dt.timedelta(days=3), earlier)["rows"] == []


def test_the_accuracy_page_for_its_readers(client, scored_day, cast, django_assert_max_num_queries):
    url = reverse("queueing:accuracy", args=["mpp-kukar"])
    client.force_login(cast.supervisor_mpp())
    with django_assert_max_num_queries(8):
        page = client.get(url, {"dari": "2026-11-24", "sampai": "2026-11-30"})
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-service="Penerbitan Akta Kelahiran"' in html and "Cara sederhana" in html
    report_page = client.get(reverse("queueing:report", args=["mpp-kukar"])).content.decode()
    assert url in report_page
    for person, status in [
        (cast.leadership(), 200),
        (cast.auditor(), 200),
        (cast.regency_admin(), 200),
        (cast.supervisor_loakulu(), 403),
        (cast.officer_dukcapil(), 403),
        (cast.outsider(), 403),
    ]:
        client.force_login(person)
        assert client.get(url).status_code == status, person
    assert client.get(reverse("queueing:accuracy", args=["tidak-ada"])).status_code == 404


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ({"dari": "24-11-2026"}, "TTTT-BB-HH"),
        ({"sampai": "2026-12-01"}, "belum terjadi"),
        ({"dari": "2026-11-30", "sampai": "2026-11-01"}, "sesudah tanggal akhir"),
        ({"dari": "2026-01-01", "sampai": "2026-11-30"}, "paling panjang 92 hari"),
    ],
)
def test_a_bad_range_is_a_400(client, monday, cast, query, words):  # type: ignore[no-untyped-def]
    client.force_login(cast.supervisor_mpp())
    response = client.get(reverse("queueing:accuracy", args=["mpp-kukar"]), query)
    assert response.status_code == 400 and words in response.content.decode()


def test_a_paused_counter_gives_no_estimate_and_stores_none(client, monday, issue, one_counter):
    ticket = issue().ticket
    actions.set_counter_status(counter=one_counter, status=Counter.Status.PAUSED, acting_user=None)
    assert (
        client.get(reverse("queueing:ticket", args=[ticket.code])).context["status"]["estimate"]
        is None
    )
    assert not CallEstimate.objects.exists()
    assert Ticket.objects.get(pk=ticket.pk).status == Ticket.Status.WAITING


@pytest.fixture
def akta(service_by_slug):  # type: ignore[no-untyped-def]
    return service_by_slug("akta-kelahiran")
