"""A citizen gives up a waiting number from the phone page or the API: no counter calls it,
its history and the audit trail say so, the report counts it as cancelled (docs/adr/0028)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from mpp.core.models import AuditEntry
from mpp.queueing import actions
from mpp.queueing.exceptions import WrongState
from mpp.queueing.models import DailySequence, Ticket, TicketEvent
from mpp.queueing.queries import daily_report, ticket_status


@pytest.fixture
def officer(cast):  # type: ignore[no-untyped-def]
    return cast.officer_dukcapil()


def api_cancel(client, code, **extra):  # type: ignore[no-untyped-def]
    return client.post(f"/api/v1/tickets/{code}/cancel", content_type="application/json", **extra)


def test_a_cancelled_number_is_never_called_and_leaves_its_trace(
    monday, issue, dukcapil_counters, officer
):
    first, second = issue().ticket, issue().ticket
    cancelled = actions.cancel_ticket(ticket=first, channel="phone")
    assert cancelled.status == Ticket.Status.CANCELLED and cancelled.finished_at is not None
    assert ticket_status(second)["ahead"] == 0
    sequence = DailySequence.objects.get(queue=first.queue, service_day=first.service_day)
    assert sequence.waiting == 1  # the day's waiting count goes down with it
    event = TicketEvent.objects.get(ticket=first)
    assert (event.type, event.actor, event.data) == ("cancelled", None, {"channel": "phone"})
    entry = AuditEntry.objects.get(action="ticket.cancelled")
    assert entry.actor_id is None and entry.data["number"] == first.display_number
    called = actions.call_next_ticket(counter=dukcapil_counters[0], acting_user=officer)
    assert called.pk == second.pk


def test_a_called_number_cannot_be_cancelled(monday, issue, dukcapil_counters, officer):
    issue()
    called = actions.call_next_ticket(counter=dukcapil_counters[0], acting_user=officer)
    with pytest.raises(WrongState) as refused:
        actions.cancel_ticket(ticket=called, channel="api")
    assert refused.value.code == "ticket_called" and refused.value.status == 409


def test_the_report_counts_cancelled_numbers_as_neither_served_nor_absent(monday, issue, mall_mpp):
    actions.cancel_ticket(ticket=issue().ticket, channel="phone")
    waiting = issue().ticket
    issue()
    total = daily_report(mall_mpp, waiting.service_day)["total"]
    assert (total.visitors, total.cancelled, total.served, total.no_shows) == (3, 1, 0, 0)
    assert total.still_waiting == 2


def test_the_phone_page_cancels_and_shows_the_number_cancelled(client, monday, issue):
    ticket = issue().ticket
    url = reverse("queueing:ticket-cancel", args=[ticket.code])
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("queueing:ticket", args=[ticket.code])
    page = client.get(response["Location"])
    assert page.context["status"]["status"] == "cancelled"
    assert page.context["status"]["can_cancel"] is False
    assert client.post(url).status_code == 302  # a second tap: the same page, no error


def test_the_phone_page_says_why_a_called_number_is_not_cancelled(
    client, monday, issue, dukcapil_counters, officer
):
    ticket = issue().ticket
    actions.call_next_ticket(counter=dukcapil_counters[0], acting_user=officer)
    response = client.post(reverse("queueing:ticket-cancel", args=[ticket.code]))
    assert response.status_code == 409
    assert "tidak dapat dibatalkan" in response.content.decode()


def test_the_phone_page_cancel_needs_the_csrf_token_and_a_known_code(monday, issue):
    ticket = issue().ticket
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(reverse("queueing:ticket-cancel", args=[ticket.code])).status_code == 403
    assert strict.get(reverse("queueing:ticket-cancel", args=[ticket.code])).status_code == 405
    assert Client().post(reverse("queueing:ticket-cancel", args=["tidak-ada"])).status_code == 404
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.WAITING


def test_the_api_cancels_a_waiting_number(client, monday, issue):
    ticket = issue().ticket
    response = api_cancel(client, ticket.code)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "cancelled" and body["can_cancel"] is False
    assert body["estimate"] is None and body["ahead"] == 0
    again = api_cancel(client, ticket.code)
    assert again.status_code == 409 and again.json()["code"] == "ticket_cancelled"


def test_the_api_cancel_refuses_unknown_and_malformed_codes(client, monday):
    assert api_cancel(client, "tidak-ada").status_code == 404
    assert api_cancel(client, "x" * 40).status_code == 400


def test_the_api_cancel_from_a_signed_in_browser_needs_csrf(monday, issue, cast):
    ticket = issue().ticket
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(cast.officer_dukcapil())
    assert api_cancel(browser, ticket.code).status_code == 403
    assert api_cancel(Client(), ticket.code, HTTP_AUTHORIZATION="Bearer salah").status_code == 401
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.WAITING


@pytest.mark.anyio
@pytest.mark.django_db(transaction=True)
async def test_the_board_and_console_hear_of_the_cancel(uji, settings):
    from channels.db import database_sync_to_async
    from channels.testing import WebsocketCommunicator

    from mpp.asgi import application
    from mpp.catalog.models import Service
    from mpp.malls.models import Mall

    settings.MPP_DEMO_ALWAYS_OPEN = True  # real time: the channel layer expires by the wall clock
    board = WebsocketCommunicator(
        application,
        "/ws/mal/mpp-uji/",
        headers=[(b"origin", b"http://127.0.0.1"), (b"host", b"127.0.0.1")],
    )
    assert (await board.connect())[0]

    def issue_and_cancel() -> Ticket:
        ticket = actions.issue_ticket(
            mall=Mall.objects.get(slug="mpp-uji"),
            service=Service.objects.get(slug="akta-lahir-uji"),
            channel=Ticket.Channel.ONLINE,
        ).ticket
        return actions.cancel_ticket(ticket=ticket, channel="phone")

    ticket = await database_sync_to_async(issue_and_cancel)()
    assert (await board.receive_json_from(timeout=5))["event"] == "ticket.issued"
    message = await board.receive_json_from(timeout=5)
    assert message["event"] == "ticket.cancelled"
    assert message["payload"]["number"] == ticket.display_number
    assert message["payload"]["status"] == "cancelled"
    assert ticket.code not in str(message)
    await board.disconnect()
