"""Tickets issued are counted for /metrics by channel and mall once committed: an idempotent
repeat and a rolled-back ticket (Metapers training rehearses inside a rollback) are not."""

from __future__ import annotations

import pytest
from django.db import transaction
from prometheus_client import REGISTRY

from mpp.accounts.models import Role
from mpp.accounts.tests.factories import bearer, make_staff, token_for
from mpp.queueing.models import Ticket


def issued(channel: str, mall: str = "mpp-kukar") -> float:
    labels = {"channel": channel, "mall": mall}
    return REGISTRY.get_sample_value("mpp_tickets_issued_total", labels) or 0.0


def test_a_kiosk_ticket_counts_once_whatever_its_repeats(
    client, monday, mall_mpp, service_by_slug, django_capture_on_commit_callbacks
):
    kiosk = make_staff(Role.KIOSK, mall="mpp-kukar", username="kios.metrik")
    headers = {**bearer(token_for(client, kiosk)), "HTTP_IDEMPOTENCY_KEY": "tap-1"}
    url = f"/api/v1/malls/{mall_mpp.pk}/tickets"
    body = {"service_id": service_by_slug("akta-kelahiran").pk}
    before = issued(Ticket.Channel.KIOSK)
    with django_capture_on_commit_callbacks(execute=True):  # as if the test's transaction ended
        first = client.post(url, body, content_type="application/json", **headers)
        again = client.post(url, body, content_type="application/json", **headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert issued(Ticket.Channel.KIOSK) == before + 1


def test_a_ticket_rolled_back_is_not_counted(monday, issue, django_capture_on_commit_callbacks):
    before = issued(Ticket.Channel.ONLINE)

    class Rehearsal(Exception):
        pass

    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(Rehearsal), transaction.atomic():
            issue(channel=Ticket.Channel.ONLINE, key="latihan", owner="user:x")
            raise Rehearsal
        assert issued(Ticket.Channel.ONLINE) == before
        issue(channel=Ticket.Channel.ONLINE, key="sungguhan", owner="user:x")
    assert issued(Ticket.Channel.ONLINE) == before + 1
