"""Transferring a ticket to another service: the action's refusals and events, the API step,
the console's messages, and what the citizen's phone page says about the new number."""

from __future__ import annotations

import re

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.urls import reverse

from mpp.accounts.tests.factories import bearer, token_for
from mpp.catalog.models import Service
from mpp.core.events import current_sequence, group_name
from mpp.queueing import actions
from mpp.queueing.exceptions import TicketRefused, WrongState
from mpp.queueing.models import Counter, DailySequence, Ticket, TicketEvent


def post(client, url, body=None, **extra):  # type: ignore[no-untyped-def]
    return client.post(url, body or {}, content_type="application/json", **extra)


@pytest.fixture
def officer(cast):  # type: ignore[no-untyped-def]
    return cast.officer_dukcapil()


@pytest.fixture
def counter(mall_mpp, officer) -> Counter:  # type: ignore[no-untyped-def]
    first = Counter.objects.filter(mall=mall_mpp, tenant__slug="disdukcapil").order_by("number")[0]
    return actions.set_counter_status(counter=first, status="open", acting_user=officer)


@pytest.fixture
def called(monday, issue, counter, officer) -> Ticket:  # type: ignore[no-untyped-def]
    """B001-like: an akta kelahiran ticket called at the Disdukcapil counter; one more waits."""
    issue()
    issue()
    ticket = actions.call_next_ticket(counter=counter, acting_user=officer)
    assert ticket is not None
    return ticket


def queue_trace() -> tuple[object, ...]:
    """Everything a transfer could change: tickets, their steps, the day's sequences."""
    return (
        list(Ticket.objects.order_by("pk").values_list("pk", "status", "transferred_to_id")),
        TicketEvent.objects.count(),
        list(
            DailySequence.objects.order_by("pk").values_list(
                "queue_id", "service_day", "last_number", "waiting"
            )
        ),
    )


# --- the action -----------------------------------------------------------------------------


def test_a_transfer_to_the_service_the_ticket_is_in_is_refused_and_changes_nothing(
    called, officer, mall_mpp, django_capture_on_commit_callbacks
):
    before, seq = queue_trace(), current_sequence(group_name("mall", mall_mpp.pk))
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(WrongState) as refused,
    ):
        actions.transfer_ticket(ticket=called, service=called.service, acting_user=officer)
    assert refused.value.code == "same_service" and refused.value.status == 409
    assert str(refused.value) == (
        f"Nomor {called.display_number} sudah berada di layanan Penerbitan Akta Kelahiran; "
        "pilih layanan lain untuk dialihkan."
    )
    assert callbacks == [] and current_sequence(group_name("mall", mall_mpp.pk)) == seq
    assert queue_trace() == before


def test_a_transfer_to_another_service_of_the_same_queue_is_a_transfer(
    called, officer, service_by_slug
):
    """Only the very same service is refused: KTP-el is Disdukcapil's queue too."""
    ktp = service_by_slug("perekaman-ktp-el")
    new = actions.transfer_ticket(ticket=called, service=ktp, acting_user=officer)
    assert new.queue_id == called.queue_id and new.service == ktp
    assert new.number == 3 and new.waiting_since == called.waiting_since


def test_a_transfer_says_so_to_the_screens_old_number_first(
    called, officer, service_by_slug, mall_mpp, django_capture_on_commit_callbacks
):
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(group_name("mall", mall_mpp.pk), channel)
    with django_capture_on_commit_callbacks(execute=True):
        new = actions.transfer_ticket(
            ticket=called, service=service_by_slug("pendaftaran-nib"), acting_user=officer
        )
    received = [async_to_sync(layer.receive)(channel) for _ in range(2)]
    # Old number first in the events' sequence, which screens follow. Arrival order is not
    # the sequence: the Redis layer may deliver two sends of the same instant either way.
    first, second = sorted(received, key=lambda message: message["seq"])
    assert second["seq"] == first["seq"] + 1
    assert (first["event"], first["payload"]["number"], first["payload"]["status"]) == (
        "ticket.transferred",
        called.display_number,
        "transferred",
    )
    assert (second["event"], second["payload"]["number"]) == ("ticket.issued", new.display_number)
    event = TicketEvent.objects.get(ticket=called, type="transferred")
    assert event.actor == officer and event.data["to"] == new.display_number


def test_a_transfer_to_a_service_closed_today_is_refused(called, officer, service_by_slug):
    """Immigration takes numbers at MPP Kukar on Wednesdays only; it is Monday."""
    before = queue_trace()
    with pytest.raises(TicketRefused, match="tidak melayani di MPP Kukar; buka Rabu") as refused:
        actions.transfer_ticket(
            ticket=called, service=service_by_slug("paspor-biasa-baru"), acting_user=officer
        )
    assert refused.value.code == "not_today"
    assert queue_trace() == before


# --- the API step ---------------------------------------------------------------------------


def transfer_url(ticket: Ticket) -> str:
    return f"/api/v1/tickets/{ticket.pk}/transfer"


def test_the_api_refuses_a_transfer_to_the_same_service_with_a_409(client, called, officer):
    before = queue_trace()
    response = post(
        client,
        transfer_url(called),
        {"service_id": called.service_id},
        **bearer(token_for(client, officer)),
    )
    assert response.status_code == 409
    assert response.json()["code"] == "same_service"
    assert "Penerbitan Akta Kelahiran" in response.json()["detail"]
    assert queue_trace() == before


def test_the_api_refuses_a_transfer_to_a_service_closed_today_with_a_400(client, called, officer):
    """Immigration takes numbers at MPP Kukar on Wednesdays only; it is Monday."""
    paspor = Service.objects.get(slug="paspor-biasa-baru")
    response = post(
        client,
        transfer_url(called),
        {"service_id": paspor.pk},
        **bearer(token_for(client, officer)),
    )
    assert response.status_code == 400
    assert response.json()["code"] == "not_today"
    assert "tidak melayani di MPP Kukar; buka Rabu" in response.json()["detail"]
    called.refresh_from_db()
    assert called.status == Ticket.Status.CALLED


def test_the_api_refuses_a_transfer_to_a_service_not_offered_at_the_mall(
    client, monday, issue, cast, mall_loakulu
):
    """Loa Kulu's Mini MPP has the front-counter services only: no passports."""
    supervisor = cast.supervisor_loakulu()
    front = Counter.objects.filter(mall=mall_loakulu).order_by("number")[0]
    front = actions.set_counter_status(counter=front, status="open", acting_user=supervisor)
    issue(mall=mall_loakulu)
    ticket = actions.call_next_ticket(counter=front, acting_user=supervisor)
    paspor = Service.objects.get(slug="paspor-biasa-baru")
    response = post(
        client,
        transfer_url(ticket),
        {"service_id": paspor.pk},
        **bearer(token_for(client, supervisor)),
    )
    assert response.status_code == 400
    assert response.json() == {
        "detail": f"Layanan {paspor.name} tidak tersedia di Mini MPP Loa Kulu.",
        "code": "service_not_offered",
    }


@pytest.mark.parametrize(
    "body",
    [{}, {"service_id": 0}, {"service_id": "akta"}],
)
def test_the_api_transfer_needs_a_service_id(client, called, officer, body):
    response = post(client, transfer_url(called), body, **bearer(token_for(client, officer)))
    assert response.status_code == 400


def test_the_api_transfer_answers_403_and_404(client, called, cast, officer):
    nib = Service.objects.get(slug="pendaftaran-nib")
    other = bearer(token_for(client, cast.officer_imigrasi()))
    assert post(client, transfer_url(called), {"service_id": nib.pk}, **other).status_code == 403
    auth = bearer(token_for(client, officer))
    unknown = post(client, "/api/v1/tickets/999999/transfer", {"service_id": nib.pk}, **auth)
    assert unknown.status_code == 404
    no_service = post(client, transfer_url(called), {"service_id": 999999}, **auth)
    assert no_service.status_code == 404
    assert post(client, transfer_url(called), {"service_id": nib.pk}).status_code == 401
    called.refresh_from_db()
    assert called.status == Ticket.Status.CALLED


# --- the console ----------------------------------------------------------------------------


def console_transfer(client, counter, ticket, service_id):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("queueing:console-step", args=[counter.pk, "transfer"]),
        {"ticket_id": ticket.pk, "service_id": service_id},
    )


def test_the_console_confirms_a_transfer_with_the_new_number_and_service(
    client, called, counter, officer
):
    client.force_login(officer)
    nib = Service.objects.get(slug="pendaftaran-nib")
    response = console_transfer(client, counter, called, nib.pk)
    assert response.status_code == 302
    new = Ticket.objects.get(transferred_from=called)
    page = client.get(response["Location"]).content.decode()
    notice = re.search(r'<p class="notice" data-message="success">(.*?)</p>', page)
    assert notice is not None
    assert notice.group(1) == (
        f"Nomor {called.display_number} dialihkan ke {nib.name} ({nib.tenant.short_name}); "
        f"nomor barunya {new.display_number}. Sampaikan nomor baru ini kepada warga."
    )
    assert 'class="errors"' not in page


def test_the_console_refuses_a_transfer_to_the_same_service_with_a_message(
    client, called, counter, officer
):
    client.force_login(officer)
    before = queue_trace()
    response = console_transfer(client, counter, called, called.service_id)
    assert response.status_code == 409
    page = response.content.decode()
    assert (
        f'<p class="errors" role="alert" data-message="error">Nomor {called.display_number} '
        "sudah berada di layanan Penerbitan Akta Kelahiran; pilih layanan lain untuk dialihkan."
        "</p>"
    ) in page
    assert f'data-current="{called.display_number}"' in page  # still called at this counter
    assert queue_trace() == before


def test_the_console_refused_transfer_keeps_the_chosen_service(client, called, counter, officer):
    client.force_login(officer)
    paspor = Service.objects.get(slug="paspor-biasa-baru")
    response = console_transfer(client, counter, called, paspor.pk)
    assert response.status_code == 400
    page = response.content.decode()
    assert "tidak melayani di MPP Kukar; buka Rabu" in page
    choices = re.search(
        r'<select id="transfer-service" name="service_id"[^>]*>(.*?)</select>', page
    )
    assert choices is not None
    assert re.findall(r'<option value="(\d+)" selected>', choices.group(1)) == [str(paspor.pk)]
    called.refresh_from_db()
    assert called.status == Ticket.Status.CALLED


def test_the_console_offers_the_tickets_own_service_only_as_a_disabled_choice(
    client, called, counter, officer
):
    client.force_login(officer)
    page = client.get(reverse("queueing:console", args=[counter.pk]) + "?panel=1")
    html = page.content.decode()
    assert re.search(
        rf'<option value="{called.service_id}" disabled>[^<]*Penerbitan Akta Kelahiran '
        r"\(layanan nomor ini\)</option>",
        html,
    )


@pytest.mark.parametrize("service_id", ["", "abc", "0"])
def test_the_console_transfer_needs_a_service(client, called, counter, officer, service_id):
    client.force_login(officer)
    before = queue_trace()
    assert console_transfer(client, counter, called, service_id).status_code == 400
    assert queue_trace() == before


def test_the_console_transfer_answers_403_and_404(client, called, counter, cast, officer):
    nib = Service.objects.get(slug="pendaftaran-nib")
    client.force_login(cast.officer_imigrasi())
    assert console_transfer(client, counter, called, nib.pk).status_code == 403
    client.force_login(officer)
    assert console_transfer(client, counter, called, 999999).status_code == 404
    url = reverse("queueing:console-step", args=[counter.pk, "transfer"])
    assert client.post(url, {"ticket_id": 999999, "service_id": nib.pk}).status_code == 404
    called.refresh_from_db()
    assert called.status == Ticket.Status.CALLED


# --- the citizen's phone page ---------------------------------------------------------------


def test_the_phone_page_of_a_transferred_ticket_says_the_number_changed(
    client, called, officer, service_by_slug
):
    nib = service_by_slug("pendaftaran-nib")
    new = actions.transfer_ticket(ticket=called, service=nib, acting_user=officer)
    page = client.get(reverse("queueing:ticket", args=[called.code])).content.decode()
    notice = re.search(r"<p class=\"notice\" data-transferred>(.*?)</p>", page)
    assert notice is not None
    assert re.sub(r"<[^>]+>", "", notice.group(1)) == (
        f"Nomor Anda sekarang {new.display_number} (sebelumnya {called.display_number}) "
        f"— dialihkan ke {nib.name}."
    )
    assert f'<span class="big-number">{new.display_number}</span></h1>' in page
    # The page keeps following the slip's code, so it can say what the slip shows.
    assert f'data-api="/api/v1/tickets/{called.code}"' in page
    assert new.code not in page


def test_the_phone_page_of_a_ticket_never_transferred_hides_the_notice(client, called):
    page = client.get(reverse("queueing:ticket", args=[called.code])).content.decode()
    assert '<p class="notice" data-transferred hidden>' in page


def test_the_phone_status_names_the_slips_number_after_transfers(
    client, called, officer, cast, service_by_slug
):
    """Twice transferred: the page shows the latest number and the one on the paper slip."""
    nib = actions.transfer_ticket(
        ticket=called, service=service_by_slug("pendaftaran-nib"), acting_user=officer
    )
    assert client.get(f"/api/v1/tickets/{nib.code}").json()["transferred_from"] is None
    supervisor = cast.supervisor_mpp()
    counter = Counter.objects.filter(mall=nib.mall, queues=nib.queue).order_by("number")[0]
    counter = actions.set_counter_status(counter=counter, status="open", acting_user=supervisor)
    nib = actions.call_ticket(
        counter=counter, ticket=nib, reason="dialihkan", acting_user=supervisor
    )
    ktp = actions.transfer_ticket(
        ticket=nib, service=service_by_slug("perekaman-ktp-el"), acting_user=supervisor
    )
    status = client.get(f"/api/v1/tickets/{called.code}").json()
    assert status == {
        "number": ktp.display_number,
        "status": "waiting",
        "ahead": status["ahead"],
        "counter": None,
        "service": ktp.service.name,
        "mall_id": called.mall_id,
        "transferred_from": called.display_number,
        "estimate": status["estimate"],
        "can_cancel": True,
    }
    untouched = client.get(f"/api/v1/tickets/{ktp.code}").json()
    assert untouched["transferred_from"] is None and untouched["number"] == ktp.display_number
