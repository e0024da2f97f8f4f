"""Finishing a ticket with "Berkas diterima" opens an application (docs/adr/0037): at the
console (the receipt code and the slip's button), through the API, and on the citizen's
ticket page (a link to the tracking page)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from mpp.accounts.tests.factories import bearer, token_for
from mpp.applications.models import Application
from mpp.catalog.models import Service
from mpp.notifications.models import Message
from mpp.queueing import actions
from mpp.queueing.models import Counter, Ticket


@pytest.fixture
def officer(client, cast):  # type: ignore[no-untyped-def]
    user = cast.officer_dukcapil()
    client.force_login(user)
    return user


@pytest.fixture
def counter(mall_mpp, officer) -> Counter:  # type: ignore[no-untyped-def]
    first = Counter.objects.filter(mall=mall_mpp, tenant__slug="disdukcapil").order_by("number")[0]
    return actions.set_counter_status(counter=first, status="open", acting_user=officer)


@pytest.fixture
def serving(monday, issue, counter, officer) -> Ticket:  # type: ignore[no-untyped-def]
    Service.objects.filter(slug="akta-kelahiran").update(
        duration_value=5, duration_unit="hari_kerja"
    )
    issue()
    ticket = actions.call_next_ticket(counter=counter, acting_user=officer)
    assert ticket is not None
    return actions.start_ticket(ticket=ticket, acting_user=officer)


def finish(client, counter, ticket, **data):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("queueing:console-step", args=[counter.pk, "finish"]),
        {"ticket_id": ticket.pk, "reason": "", **data},
    )


def test_files_received_opens_an_application_and_the_console_shows_its_code(
    client, serving, counter
):
    response = finish(client, counter, serving, outcome="received", phone="0812 3456 7890")
    assert response.status_code == 302
    serving.refresh_from_db()
    assert (serving.status, serving.outcome) == (Ticket.Status.DONE, "received")
    application = Application.objects.get()
    assert application.ticket_code == serving.code
    assert application.service_id == serving.service_id and application.mall_id == serving.mall_id
    assert application.due_date == dt.date(2026, 12, 7)  # Monday 30 Nov + 5 working days
    assert Message.objects.get().kind == "application.received"

    html = client.get(reverse("queueing:console", args=[counter.pk])).content.decode()
    assert f'data-received="{application.code}"' in html
    assert application.grouped_code in html
    assert reverse("applications:slip", args=[application.code]) in html
    assert "0812" not in html


def test_other_outcomes_open_nothing_and_show_no_receipt(client, serving, counter):
    assert finish(client, counter, serving, outcome="done").status_code == 302
    assert not Application.objects.exists()
    html = client.get(reverse("queueing:console", args=[counter.pk])).content.decode()
    assert "data-received" not in html


def test_a_malformed_phone_leaves_the_ticket_serving(client, serving, counter):
    response = finish(client, counter, serving, outcome="received", phone="12")
    assert response.status_code == 400
    assert chosen(response.content.decode()) == ["received"]
    serving.refresh_from_db()
    assert serving.status == Ticket.Status.SERVING
    assert not Application.objects.exists()


def chosen(html: str) -> list[str]:
    import re

    select = re.search(r'<select name="outcome"[^>]*>(.*?)</select>', html, re.S)
    assert select is not None
    return re.findall(r'<option value="([a-z_]+)" selected>', select.group(1))


def test_the_ticket_page_links_to_the_tracking_page(client, serving, counter):
    page = reverse("queueing:ticket", args=[serving.code])
    assert "data-application" not in client.get(page).content.decode()
    finish(client, counter, serving, outcome="received")
    application = Application.objects.get()
    html = client.get(page).content.decode()
    assert reverse("applications:track", args=[application.code]) in html


def test_the_api_finish_gives_the_receipt_code(client, serving, officer):
    response = client.post(
        f"/api/v1/tickets/{serving.pk}/finish",
        {"outcome": "received"},
        content_type="application/json",
        **bearer(token_for(client, officer)),
    )
    assert response.status_code == 200
    assert response.json()["application_code"] == Application.objects.get().code


def test_the_api_finish_refuses_a_malformed_phone(client, serving, officer):
    response = client.post(
        f"/api/v1/tickets/{serving.pk}/finish",
        {"outcome": "received", "phone": "12"},
        content_type="application/json",
        **bearer(token_for(client, officer)),
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_phone"
    serving.refresh_from_db()
    assert serving.status == Ticket.Status.SERVING
