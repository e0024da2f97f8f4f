"""The officer console's "Selesai" form: a refusal shows the form again as the officer filled it
in, on the full page; the panel (reloaded by console.js) starts from the defaults."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

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
    issue()
    ticket = actions.call_next_ticket(counter=counter, acting_user=officer)
    assert ticket is not None
    return actions.start_ticket(ticket=ticket, acting_user=officer)


def finish(client, counter, ticket, **data):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("queueing:console-step", args=[counter.pk, "finish"]),
        {"ticket_id": ticket.pk, **data},
    )


def chosen_outcome(html: str) -> list[str]:
    """The selected options of the finish form's outcome select (the browser shows the first
    option when none is)."""
    select = re.search(r'<select name="outcome"[^>]*>(.*?)</select>', html, re.S)
    assert select is not None, "no finish form"
    return re.findall(r'<option value="([a-z_]+)" selected>', select.group(1))


@pytest.mark.parametrize("outcome", [Ticket.Outcome.COME_BACK, Ticket.Outcome.REJECTED])
def test_a_finish_refused_for_lack_of_a_reason_keeps_the_chosen_outcome(
    client, serving, counter, outcome
):
    response = finish(client, counter, serving, outcome=outcome, reason="  ")
    assert response.status_code == 409
    html = response.content.decode()
    assert '<p class="errors" role="alert" data-message="error">Sebutkan alasannya.</p>' in html
    assert chosen_outcome(html) == [outcome]
    serving.refresh_from_db()
    assert serving.status == Ticket.Status.SERVING and serving.outcome == ""

    # The officer types the reason and submits the form as shown: the chosen outcome counts.
    done = finish(client, counter, serving, outcome=chosen_outcome(html)[0], reason="KK lama")
    assert done.status_code == 302
    serving.refresh_from_db()
    assert (serving.status, serving.outcome, serving.outcome_reason) == (
        Ticket.Status.DONE,
        outcome,
        "KK lama",
    )


def test_a_kept_outcome_is_never_put_on_another_ticket(client, monday, issue, counter, officer):
    """The refused finish was for a ticket that is no longer this counter's: the form of the
    current ticket starts from the defaults."""
    issue()
    issue()
    first = actions.call_next_ticket(counter=counter, acting_user=officer)
    first = actions.start_ticket(ticket=first, acting_user=officer)
    actions.finish_ticket(ticket=first, outcome="done", acting_user=officer)
    second = actions.call_next_ticket(counter=counter, acting_user=officer)
    actions.start_ticket(ticket=second, acting_user=officer)
    response = finish(client, counter, first, outcome="rejected", reason="")
    assert response.status_code == 409
    html = response.content.decode()
    assert f'data-current="{second.display_number}"' in html
    assert chosen_outcome(html) == []  # the browser shows "Selesai", the first option


def test_the_panel_and_the_page_start_from_the_default_outcome(client, serving, counter):
    url = reverse("queueing:console", args=[counter.pk])
    for html in (client.get(url).content.decode(), client.get(f"{url}?panel=1").content.decode()):
        assert chosen_outcome(html) == []
        assert '<input type="text" name="reason" maxlength="255"' in html


@pytest.mark.parametrize(
    "data",
    [{"outcome": "hilang"}, {"outcome": ""}, {"outcome": "done", "reason": "x" * 256}],
)
def test_a_finish_with_an_unreadable_form_is_a_400_and_changes_nothing(
    client, serving, counter, data
):
    assert finish(client, counter, serving, **data).status_code == 400
    serving.refresh_from_db()
    assert serving.status == Ticket.Status.SERVING


def test_finish_at_the_console_answers_403_and_404(client, serving, counter, cast):
    client.force_login(cast.officer_imigrasi())
    assert finish(client, counter, serving, outcome="done").status_code == 403
    client.force_login(cast.officer_dukcapil())
    url = reverse("queueing:console-step", args=[counter.pk, "finish"])
    assert client.post(url, {"ticket_id": 999999, "outcome": "done"}).status_code == 404
    serving.refresh_from_db()
    assert serving.status == Ticket.Status.SERVING


def test_a_transfer_with_no_service_chosen_is_refused(client, monday, issue, counter, officer):  # type: ignore[no-untyped-def]
    """The console preselects nothing; an empty choice is a 400 and the ticket stays."""
    issue()
    ticket = actions.call_next_ticket(counter=counter, acting_user=officer)
    response = client.post(
        reverse("queueing:console-step", args=[counter.pk, "transfer"]),
        {"ticket_id": ticket.pk, "service_id": ""},
    )
    assert response.status_code == 400 and "Pilih layanan tujuan" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.CALLED
    html = client.get(reverse("queueing:console", args=[counter.pk])).content.decode()
    select = re.search(r'<select id="transfer-service"[^>]*>(.*?)</select>', html, re.S)
    assert select is not None and " selected" not in select.group(1)
    assert "<optgroup" in select.group(1)
