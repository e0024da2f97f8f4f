"""The Mini MPP front desk (docs/adr/0029): every officer assigned to a Mini MPP is one of its
local operators and serves all its front-desk services; nobody else does. A tenant's counter
stays its tenant's."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mpp.accounts.models import Role
from mpp.accounts.tests.factories import make_staff
from mpp.queueing import actions
from mpp.queueing.models import Counter, Ticket


@pytest.fixture
def desk(mall_loakulu) -> Counter:  # type: ignore[no-untyped-def]
    """The first front-desk counter of Mini MPP Loa Kulu (no tenant)."""
    return Counter.objects.filter(mall=mall_loakulu).order_by("number")[0]


@pytest.fixture
def operator(cast):  # type: ignore[no-untyped-def]
    """The Disdukcapil officer assigned to MPP Kukar and to Mini MPP Loa Kulu."""
    return cast.officer_dukcapil()


@pytest.fixture
def operator_elsewhere(kukar):  # type: ignore[no-untyped-def]
    """A local operator of another Mini MPP (Tenggarong Seberang)."""
    return make_staff(
        Role.TENANT_OFFICER,
        tenant="disdukcapil",
        malls=("mini-mpp-tenggarong-seberang",),
        username="operator.tenggarong-seberang",
    )


def step(client, counter, name, ticket=None):  # type: ignore[no-untyped-def]
    data = {"ticket_id": ticket.pk} if ticket is not None else {}
    return client.post(reverse("queueing:console-step", args=[counter.pk, name]), data)


def test_the_front_desk_counters_have_no_tenant(desk):  # type: ignore[no-untyped-def]
    assert desk.tenant_id is None


def test_a_local_operator_runs_the_front_desk_for_another_tenants_service(
    client, monday, issue, desk, operator, mall_loakulu, service_by_slug
):  # type: ignore[no-untyped-def]
    """A Disdukcapil officer assigned to Loa Kulu opens its front desk, calls a number of
    another tenant's service offered there, serves and finishes it."""
    from mpp.catalog.models import Service

    other = (
        Service.objects.active()
        .offered_at(mall_loakulu)
        .exclude(tenant__slug="disdukcapil")
        .first()
    )
    assert other is not None
    client.force_login(operator)
    assert client.get(reverse("queueing:console", args=[desk.pk])).status_code == 200
    assert step(client, desk, "open").status_code == 302
    ticket = issue(other.slug, mall=mall_loakulu).ticket
    assert step(client, desk, "call-next").status_code == 302
    ticket.refresh_from_db()
    assert (ticket.status, ticket.counter_id) == (Ticket.Status.CALLED, desk.pk)
    assert step(client, desk, "start", ticket).status_code == 302
    response = client.post(
        reverse("queueing:console-step", args=[desk.pk, "finish"]),
        {"ticket_id": ticket.pk, "outcome": "done", "reason": ""},
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.DONE


def test_the_console_home_lists_the_front_desk_to_its_local_operator(client, desk, operator):  # type: ignore[no-untyped-def]
    client.force_login(operator)
    html = client.get(reverse("queueing:console-home")).content.decode()
    assert reverse("queueing:console", args=[desk.pk]) in html
    assert "loket depan (semua layanan mal ini)" in html


@pytest.mark.parametrize(
    "who",
    ["operator_elsewhere", "imigrasi_at_mpp", "supervisor_mpp", "leadership", "outsider"],
)
def test_the_front_desk_refuses_everyone_not_assigned_to_its_mall(client, request, cast, desk, who):  # type: ignore[no-untyped-def]
    user = {
        "operator_elsewhere": lambda: request.getfixturevalue("operator_elsewhere"),
        "imigrasi_at_mpp": cast.officer_imigrasi,  # a tenant officer of MPP Kukar only
        "supervisor_mpp": cast.supervisor_mpp,
        "leadership": cast.leadership,
        "outsider": cast.outsider,
    }[who]()
    client.force_login(user)
    assert client.get(reverse("queueing:console", args=[desk.pk])).status_code == 403
    assert step(client, desk, "open").status_code == 403
    desk.refresh_from_db()
    assert desk.status == Counter.Status.CLOSED


def test_an_operator_of_another_mini_mpp_may_not_serve_its_tickets(
    client, monday, issue, desk, operator, operator_elsewhere, mall_loakulu
):  # type: ignore[no-untyped-def]
    """Through the API too: a ticket of Loa Kulu's front desk is not another Mini MPP's."""
    from mpp.catalog.models import Service

    service = Service.objects.active().offered_at(mall_loakulu).first()
    desk = actions.set_counter_status(counter=desk, status="open", acting_user=operator)
    ticket = issue(service.slug, mall=mall_loakulu).ticket
    actions.call_next_ticket(counter=desk, acting_user=operator)
    client.force_login(operator_elsewhere)
    assert client.post(f"/api/v1/tickets/{ticket.pk}/start").status_code == 403
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.CALLED


def test_a_tenant_counter_stays_its_tenants(client, cast, mall_mpp):  # type: ignore[no-untyped-def]
    """At MPP Kukar the Disdukcapil officer works Disdukcapil's counters and no one else's."""
    client.force_login(cast.officer_dukcapil())
    own = Counter.objects.filter(mall=mall_mpp, tenant__slug="disdukcapil").first()
    other = Counter.objects.filter(mall=mall_mpp, tenant__slug="imigrasi-samarinda").first()
    assert client.get(reverse("queueing:console", args=[own.pk])).status_code == 200
    assert client.get(reverse("queueing:console", args=[other.pk])).status_code == 403


def test_a_console_acts_only_on_its_own_counters_line(
    client, monday, issue, desk, operator, mall_mpp, dukcapil_counters
):  # type: ignore[no-untyped-def]
    """An officer of two malls cannot start, from the Loa Kulu desk, a ticket called at MPP
    Kukar: the step is scoped to the counter's mall and line."""
    ticket = issue("akta-kelahiran").ticket
    actions.call_next_ticket(counter=dukcapil_counters[0], acting_user=operator)
    desk = actions.set_counter_status(counter=desk, status="open", acting_user=operator)
    client.force_login(operator)
    assert step(client, desk, "start", ticket).status_code == 403
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.CALLED


def test_a_local_operator_takes_a_number_for_any_front_desk_service(
    cast, mall_loakulu, mall_mpp, service_by_slug
):  # type: ignore[no-untyped-def]
    from mpp.catalog.models import Service
    from mpp.queueing.access import issuing_channel
    from mpp.queueing.exceptions import IssuingForbidden

    operator = cast.officer_dukcapil()
    other = (
        Service.objects.active().offered_at(mall_loakulu).exclude(tenant__slug="disdukcapil")
    ).first()
    assert issuing_channel(operator, mall_loakulu, other) == Ticket.Channel.STAFF
    at_mpp = Service.objects.active().offered_at(mall_mpp).exclude(tenant__slug="disdukcapil")
    with pytest.raises(IssuingForbidden):
        issuing_channel(operator, mall_mpp, at_mpp.first())
