"""Trial days: DPMPTSP opens one at a Mini MPP still preparing; that day its kiosk and staff
take numbers (never phones), and what is issued and called is counted for the gate."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from mpp.accounts.models import Role
from mpp.accounts.tests.factories import make_staff
from mpp.catalog.models import Service
from mpp.core.models import AuditEntry
from mpp.malls.models import Mall
from mpp.queueing import actions
from mpp.queueing.exceptions import TicketRefused
from mpp.queueing.models import Counter, Ticket
from mpp.rollout.exceptions import RolloutRefused
from mpp.rollout.gate import set_mall_status
from mpp.rollout.models import TrialDay
from mpp.rollout.tests import readiness_world as w
from mpp.rollout.trials import open_trial, start_trial


@pytest.fixture
def kenohan(kukar):  # type: ignore[no-untyped-def]
    with time_machine.travel(w.MONDAY_9, tick=False):
        yield Mall.objects.select_related("region", "district").get(slug=w.PREPARING)


def _service(mall: Mall) -> Service:
    return Service.objects.active().offered_at(mall).order_by("pk")[0]


def _issue(mall: Mall, channel: str = Ticket.Channel.KIOSK):  # type: ignore[no-untyped-def]
    return actions.issue_ticket(
        mall=mall, service=_service(mall), channel=channel, idempotency_owner="user:kios-uji"
    )


def _trial(mall: Mall) -> TrialDay:
    return TrialDay.objects.get(mall=mall)


def test_without_a_trial_day_a_preparing_mall_issues_no_number(kenohan):
    with pytest.raises(TicketRefused) as refused:
        _issue(kenohan)
    assert refused.value.code == "mall_not_operating"


def test_a_trial_day_lets_the_kiosk_and_staff_issue_and_counts_them(kenohan, cast):
    admin = cast.regency_admin()
    trial = start_trial(kenohan, actor=admin, note="uji loket")
    assert trial.day.isoformat() == "2026-11-30" and trial.opened_by == admin
    assert open_trial(kenohan, trial.day) == trial
    assert AuditEntry.objects.filter(action="rollout.trial_opened", mall_id=kenohan.pk).exists()
    assert start_trial(kenohan, actor=admin) == trial  # a second tap opens nothing new
    first = _issue(kenohan)
    _issue(kenohan, Ticket.Channel.STAFF)
    assert first.ticket.number == 1
    assert _trial(kenohan).tickets_issued == 2


@pytest.mark.parametrize("channel", [Ticket.Channel.ONLINE, Ticket.Channel.METAPERS])
def test_a_trial_day_gives_no_number_by_phone_or_metapers(kenohan, cast, channel):
    start_trial(kenohan, actor=cast.regency_admin())
    with pytest.raises(TicketRefused) as refused:
        _issue(kenohan, channel)
    assert refused.value.code == "mall_not_operating"
    assert _trial(kenohan).tickets_issued == 0


def test_calls_on_the_trial_day_are_counted_and_then_the_gate_opens(kenohan, cast):
    admin = cast.regency_admin()
    w.build(kenohan.region)
    start_trial(kenohan, actor=admin)
    _issue(kenohan)
    counter = Counter.objects.filter(mall=kenohan).order_by("number")[0]
    counter = actions.set_counter_status(counter=counter, status="open", acting_user=admin)
    called = actions.call_next_ticket(counter=counter, acting_user=admin)
    assert called is not None
    trial = _trial(kenohan)
    assert (trial.tickets_issued, trial.tickets_called) == (1, 1) and trial.was_served
    w.all_done(kenohan)
    assert set_mall_status(kenohan, "operating", actor=admin).status == "operating"


def test_calls_at_an_operating_mall_touch_no_trial_day(kukar, cast):
    mall = Mall.objects.get(slug="mini-mpp-loa-kulu")
    with time_machine.travel(w.MONDAY_9, tick=False):
        TrialDay.objects.create(mall=mall, day=w.MONDAY_9.date())
        _issue(mall)
        admin = cast.regency_admin()
        counter = actions.set_counter_status(
            counter=Counter.objects.filter(mall=mall).order_by("number")[0],
            status="open",
            acting_user=admin,
        )
        assert actions.call_next_ticket(counter=counter, acting_user=admin) is not None
    trial = TrialDay.objects.get(mall=mall)
    assert (trial.tickets_issued, trial.tickets_called) == (0, 0)


def test_only_a_preparing_mini_mpp_has_a_trial_day(kukar, cast):
    admin = cast.regency_admin()
    for slug in (
        "mini-mpp-loa-kulu",
        "mpp-kukar",
        "mini-mpp-samboja-barat",
    ):  # operating, MPP, planned
        with pytest.raises(RolloutRefused) as refused:
            start_trial(Mall.objects.get(slug=slug), actor=admin)
        assert refused.value.code == "trial_not_preparing"


def test_the_kiosk_of_a_preparing_mall_takes_a_number_on_its_trial_day(client, kenohan, cast):
    kiosk = make_staff(Role.KIOSK, mall=w.PREPARING, username="kios.kenohan")
    client.force_login(kiosk)
    url = reverse("queueing:kiosk-issue", args=[w.PREPARING, _service(kenohan).pk])
    refused = client.post(url, {"priority": "none", "idempotency_key": "k-1"})
    assert refused.status_code == 409 and "belum beroperasi" in refused.content.decode()
    start_trial(kenohan, actor=cast.regency_admin())
    taken = client.post(url, {"priority": "none", "idempotency_key": "k-2"})
    assert taken.status_code == 302
    assert _trial(kenohan).tickets_issued == 1


def test_dpmptsp_opens_the_trial_day_with_the_pages_button(client, kenohan, cast):
    url = reverse("rollout:readiness-trial", kwargs={"slug": w.PREPARING})
    client.force_login(cast.leadership())
    assert client.post(url, {"note": ""}).status_code == 403
    assert not TrialDay.objects.filter(mall=kenohan).exists()
    client.force_login(cast.regency_admin())
    page = client.get(reverse("rollout:readiness", kwargs={"slug": w.PREPARING}))
    assert "data-open-trial" in page.content.decode()
    assert client.post(url, {"note": "uji coba pertama"}).status_code == 302
    assert _trial(kenohan).note == "uji coba pertama"
    page = client.get(reverse("rollout:readiness", kwargs={"slug": w.PREPARING}))
    assert "data-trial-open" in page.content.decode()
    operating = reverse("rollout:readiness-trial", kwargs={"slug": "mini-mpp-loa-kulu"})
    assert client.post(operating, {"note": ""}).status_code == 400
    unknown = reverse("rollout:readiness-trial", kwargs={"slug": "tidak-ada"})
    assert client.post(unknown, {"note": ""}).status_code == 404
