"""A ticket's "3 nomor lagi" and "giliran Anda" alerts (docs/adr/0033): the phone page's form and
the API turn them on and off; calls send each message once, after the commit, through a local
server speaking WhatsApp's Cloud API."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import reverse

from mpp.notifications.models import Message
from mpp.notifications.tests.servers import Answer, Gateway, run_gateway
from mpp.queueing import actions, alerts
from mpp.queueing.jobs import erase_ended_ticket_alerts, sweep_ticket_alerts
from mpp.queueing.models import Ticket, TicketAlert


@pytest.fixture
def whatsapp(settings) -> Iterator[Gateway]:  # type: ignore[no-untyped-def]
    for gateway in run_gateway(Gateway(answers=[Answer(200, {"messages": [{"id": "wamid.1"}]})])):
        settings.MPP_WHATSAPP_TOKEN = "EAAG-uji"  # noqa: S105 - a test gateway
        settings.MPP_WHATSAPP_PHONE_NUMBER_ID = "1098765"
        settings.MPP_WHATSAPP_API_BASE = gateway.url
        settings.MPP_FONNTE_TOKEN = ""
        settings.EMAIL_HOST = ""
        yield gateway


@pytest.fixture
def counter(dukcapil_counters, cast):  # type: ignore[no-untyped-def]
    officer = cast.officer_dukcapil()
    for extra in dukcapil_counters[1:]:
        actions.set_counter_status(counter=extra, status="closed", acting_user=officer)
    return dukcapil_counters[0]


def call_next(counter, officer, capture):  # type: ignore[no-untyped-def]
    """Finish the counter's citizen, then call the next one; the commit's work runs."""
    current = Ticket.objects.filter(counter=counter, status=Ticket.Status.CALLED).first()
    if current is not None:
        actions.start_ticket(ticket=current, acting_user=officer)
        actions.finish_ticket(ticket=current, outcome="done", acting_user=officer)
    with capture(execute=True):
        return actions.call_next_ticket(counter=counter, acting_user=officer)


def page(client: Client, ticket: Ticket) -> str:
    return client.get(reverse("queueing:ticket", kwargs={"code": ticket.code})).content.decode()


def test_the_page_form_turns_alerts_on_and_calls_send_each_message_once(
    monday, issue, counter, cast, client, whatsapp, django_capture_on_commit_callbacks
):
    officer = cast.officer_dukcapil()
    tickets = [issue().ticket for _ in range(6)]
    mine = tickets[5]
    assert "Beri tahu saya saat 3 nomor lagi" in page(client, mine)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("queueing:ticket-alert", kwargs={"code": mine.code}),
            {"kontak": "0812-3456-7890"},
        )
    assert response.status_code == 302
    shown = page(client, mine)
    assert "Pemberitahuan aktif" in shown and "0812****890" in shown
    assert "81234567890" not in shown
    assert not Message.objects.exists()  # 5 ahead: nothing yet

    call_next(counter, officer, django_capture_on_commit_callbacks)  # 4 ahead
    assert not Message.objects.exists()
    call_next(counter, officer, django_capture_on_commit_callbacks)  # 3 ahead
    soon = Message.objects.get()
    assert (soon.kind, soon.status, soon.recipient) == ("queue.soon", "sent", "6281234567890")
    assert soon.body == (
        f"MPP Kukar: tinggal 3 nomor lagi sebelum nomor {mine.display_number} dipanggil. "
        "Mohon bersiap di dekat loket."
    )

    for _ in range(3):  # 2, 1, 0 ahead: no second "3 nomor lagi"
        call_next(counter, officer, django_capture_on_commit_callbacks)
    assert Message.objects.count() == 1
    assert sweep_ticket_alerts.call_local() == 0

    called = call_next(counter, officer, django_capture_on_commit_callbacks)
    assert called.pk == mine.pk
    turn = Message.objects.get(kind="queue.turn")
    assert turn.body == (
        f"Giliran Anda: nomor {mine.display_number}, silakan ke loket {counter.number}. (MPP Kukar)"
    )
    actions.recall_ticket(ticket=called, acting_user=officer)
    assert sweep_ticket_alerts.call_local() == 0
    assert Message.objects.count() == 2
    bodies = [r.json()["text"]["body"] for r in whatsapp.received]
    assert bodies == [soon.body, turn.body]
    for message in Message.objects.all():
        assert "6402" not in message.body  # no NIK, no name: nothing personal in the text


def test_a_ticket_already_close_is_told_at_once_and_the_sweep_makes_up_a_lost_check(
    monday, issue, counter, client, whatsapp, django_capture_on_commit_callbacks
):
    first, second = issue().ticket, issue().ticket
    alerts.turn_on(second, phone="081234567890")  # its commit's check was never run
    assert not Message.objects.exists()
    assert sweep_ticket_alerts.call_local() == 1
    assert Message.objects.get().body.startswith("MPP Kukar: tinggal 1 nomor lagi")
    assert first.pk != second.pk


def test_turning_alerts_off_deletes_the_contact(monday, issue, client):
    ticket = issue().ticket
    alerts.turn_on(ticket, email="warga@contoh.id")
    assert "w***@contoh.id" in page(client, ticket)
    response = client.post(reverse("queueing:ticket-alert-off", kwargs={"code": ticket.code}))
    assert response.status_code == 302
    assert not TicketAlert.objects.exists()
    assert "Beri tahu saya" in page(client, ticket)


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("", "Isi nomor HP"),
        ("021-555-1234", "nomor seluler"),
        ("0812abc", "hanya boleh berisi angka"),
        ("bukan@surel", "Alamat surel tidak sah"),
    ],
)
def test_the_form_says_what_is_wrong_in_indonesian(monday, issue, client, typed, says):
    ticket = issue().ticket
    response = client.post(
        reverse("queueing:ticket-alert", kwargs={"code": ticket.code}), {"kontak": typed}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert says in body and 'aria-invalid="true"' in body
    assert not TicketAlert.objects.exists()


def test_the_form_needs_csrf_and_a_waiting_ticket_and_a_known_code(monday, issue, client):
    ticket = issue().ticket
    url = reverse("queueing:ticket-alert", kwargs={"code": ticket.code})
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(url, {"kontak": "081234567890"}).status_code == 403
    unknown = reverse("queueing:ticket-alert", kwargs={"code": "tidakada"})
    assert client.post(unknown, {"kontak": "081234567890"}).status_code == 404
    actions.cancel_ticket(ticket=ticket, channel="phone")
    response = client.post(url, {"kontak": "081234567890"})
    assert response.status_code == 409
    assert "tidak lagi menunggu" in response.content.decode()
    assert not TicketAlert.objects.exists()
    assert client.get(url).status_code == 405


def test_the_api_turns_alerts_on_and_off(monday, issue, client):
    ticket = issue().ticket
    url = f"/api/v1/tickets/{ticket.code}/alert"
    response = client.post(url, {"phone": "+62 812 3456 7890"}, content_type="application/json")
    assert response.status_code == 201
    assert response.json() == {"on": True, "contact": "0812****890"}
    assert TicketAlert.objects.get(ticket=ticket).phone == "6281234567890"
    assert client.delete(url).status_code == 204
    assert not TicketAlert.objects.exists()
    assert client.delete(url).status_code == 204  # again: nothing to turn off, same answer


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({}, 400, "contact_required"),
        ({"phone": "0215551234"}, 400, "invalid_phone"),
        ({"email": "x@"}, 400, "invalid_email"),
        ({"phone": 81234567890}, 400, "invalid"),
    ],
)
def test_the_api_refuses_a_bad_contact(monday, issue, client, body, status, code):
    ticket = issue().ticket
    response = client.post(
        f"/api/v1/tickets/{ticket.code}/alert", body, content_type="application/json"
    )
    assert (response.status_code, response.json()["code"]) == (status, code)


def test_the_api_answers_404_409_and_403_without_csrf(monday, issue, client, cast):
    response = client.post(
        "/api/v1/tickets/tidakada/alert", {"phone": "081234567890"}, content_type="application/json"
    )
    assert response.status_code == 404
    assert client.delete("/api/v1/tickets/tidakada/alert").status_code == 404
    ticket = issue().ticket
    actions.cancel_ticket(ticket=ticket, channel="phone")
    response = client.post(
        f"/api/v1/tickets/{ticket.code}/alert",
        {"phone": "081234567890"},
        content_type="application/json",
    )
    assert (response.status_code, response.json()["code"]) == (409, "ticket_cancelled")
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(cast.supervisor_mpp())
    waiting = issue().ticket
    response = strict.post(
        f"/api/v1/tickets/{waiting.code}/alert",
        {"phone": "081234567890"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not TicketAlert.objects.exists()


def test_contacts_are_erased_once_the_tickets_day_has_ended(monday, issue):
    ticket = issue().ticket
    alerts.turn_on(ticket, phone="081234567890")
    assert erase_ended_ticket_alerts.call_local() == 0  # today: kept
    monday.shift(dt.timedelta(days=1))
    assert erase_ended_ticket_alerts.call_local() == 1
    alert = TicketAlert.objects.get()
    assert (alert.phone, alert.email) == ("", "")
