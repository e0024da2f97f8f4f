"""The counter gate (issue 19, item 4): with the region's RolloutPlan.training_required_to_open
on, a Mini MPP's counter is opened only by an officer who passed the modules its role needs; the
refusal names the missing modules, in the API and on the console. MPP counters never ask."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from mpp.accounts.tests.factories import bearer, token_for
from mpp.malls.models import Village
from mpp.queueing import actions
from mpp.queueing.exceptions import WrongState
from mpp.queueing.models import Counter
from mpp.rollout import training
from mpp.rollout.models import RolloutPlan, StaffMember, TrainingModule


@pytest.fixture
def plan(kukar):  # type: ignore[no-untyped-def]
    """Kukar's rollout plan with the gate on, and a curriculum of three modules (the region
    data's own modules set aside: these tests name their own)."""
    TrainingModule.objects.filter(region=kukar).delete()
    plan, _ = RolloutPlan.objects.update_or_create(
        region=kukar,
        defaults={"target_date": dt.date(2025, 12, 31), "training_required_to_open": True},
    )
    for order, (code, title, front) in enumerate(
        [
            ("konsol", "Konsol dan aturan keadilan", False),
            ("loket-depan", "Standar layanan loket depan", True),
            ("pelindungan-data", "Pelindungan data pribadi", False),
        ]
    ):
        TrainingModule.objects.create(
            region=kukar, code=code, title=title, order=order, for_front_desk_only=front
        )
    return plan


@pytest.fixture
def officer(cast, kukar):  # type: ignore[no-untyped-def]
    """The Disdukcapil officer (MPP Kukar and Mini MPP Loa Kulu), on the roster."""
    user = cast.officer_dukcapil()
    StaffMember.objects.create(
        region=kukar,
        full_name="Rina Handayani",
        employment=StaffMember.Employment.PNS,
        domicile_village=Village.objects.filter(district__region=kukar).first(),
        user=user,
    )
    return user


def module(code: str) -> TrainingModule:
    return TrainingModule.objects.get(code=code, region__slug="kukar")


def passes(user, *codes: str) -> None:  # type: ignore[no-untyped-def]
    member = StaffMember.objects.get(user=user)
    for code in codes:
        training.record_assessment(member, module(code), score=90, actor=None)


@pytest.fixture
def desk(mall_loakulu) -> Counter:  # type: ignore[no-untyped-def]
    return Counter.objects.filter(mall=mall_loakulu, tenant__isnull=True).order_by("number")[0]


@pytest.fixture
def tenant_counter(mall_loakulu) -> Counter:  # type: ignore[no-untyped-def]
    counter = Counter.objects.filter(mall=mall_loakulu, tenant__slug="disdukcapil").first()
    if counter is None:  # Loa Kulu's counters are all front desk: give one to Disdukcapil
        from mpp.catalog.models import Tenant

        counter = Counter.objects.filter(mall=mall_loakulu).order_by("-number")[0]
        actions.reassign_counter(
            counter=counter, tenant=Tenant.objects.get(slug="disdukcapil"), acting_user=None
        )
        counter.refresh_from_db()
    return counter


def test_an_untrained_officer_may_not_open_the_front_desk(plan, officer, desk):  # type: ignore[no-untyped-def]
    passes(officer, "konsol")
    with pytest.raises(WrongState) as refused:
        actions.set_counter_status(counter=desk, status=Counter.Status.OPEN, acting_user=officer)
    assert refused.value.code == "training_missing"
    assert "Standar layanan loket depan" in str(refused.value)
    assert "Pelindungan data pribadi" in str(refused.value)
    assert "Konsol" not in str(refused.value)
    desk.refresh_from_db()
    assert desk.status == Counter.Status.CLOSED and desk.officer is None


def test_a_trained_officer_opens_the_front_desk(plan, officer, desk):  # type: ignore[no-untyped-def]
    passes(officer, "konsol", "loket-depan", "pelindungan-data")
    opened = actions.set_counter_status(
        counter=desk, status=Counter.Status.OPEN, acting_user=officer
    )
    assert opened.status == Counter.Status.OPEN and opened.officer == officer


def test_a_tenant_counter_does_not_need_the_front_desk_module(plan, officer, tenant_counter):  # type: ignore[no-untyped-def]
    passes(officer, "konsol", "pelindungan-data")
    opened = actions.set_counter_status(
        counter=tenant_counter, status=Counter.Status.OPEN, acting_user=officer
    )
    assert opened.status == Counter.Status.OPEN


def test_a_failed_score_does_not_count(plan, officer, desk):  # type: ignore[no-untyped-def]
    passes(officer, "konsol", "pelindungan-data")
    member = StaffMember.objects.get(user=officer)
    training.record_assessment(member, module("loket-depan"), score=69, actor=None)
    with pytest.raises(WrongState, match="Standar layanan loket depan"):
        actions.set_counter_status(counter=desk, status=Counter.Status.OPEN, acting_user=officer)


def test_an_officer_not_on_the_roster_is_refused_every_module(plan, cast, desk):  # type: ignore[no-untyped-def]
    supervisor = cast.supervisor_loakulu()
    missing = training.missing_modules_for_counter(supervisor, desk.mall, front_desk=True)
    assert [m.code for m in missing] == ["konsol", "loket-depan", "pelindungan-data"]
    with pytest.raises(WrongState, match="Konsol dan aturan keadilan"):
        actions.set_counter_status(counter=desk, status=Counter.Status.OPEN, acting_user=supervisor)


def test_setting_off_lets_an_untrained_officer_open(plan, officer, desk):  # type: ignore[no-untyped-def]
    plan.training_required_to_open = False
    plan.save()
    opened = actions.set_counter_status(
        counter=desk, status=Counter.Status.OPEN, acting_user=officer
    )
    assert opened.status == Counter.Status.OPEN


def test_mpp_counters_are_not_gated(plan, officer, mall_mpp):  # type: ignore[no-untyped-def]
    counter = Counter.objects.filter(mall=mall_mpp, tenant__slug="disdukcapil").first()
    opened = actions.set_counter_status(
        counter=counter, status=Counter.Status.OPEN, acting_user=officer
    )
    assert opened.status == Counter.Status.OPEN
    assert training.missing_modules_for_counter(officer, mall_mpp, front_desk=True) == []


def test_pausing_and_closing_are_never_gated(plan, officer, desk):  # type: ignore[no-untyped-def]
    passes(officer, "konsol", "loket-depan", "pelindungan-data")
    actions.set_counter_status(counter=desk, status=Counter.Status.OPEN, acting_user=officer)
    StaffMember.objects.filter(user=officer).delete()  # off the roster since
    paused = actions.set_counter_status(
        counter=desk, status=Counter.Status.PAUSED, acting_user=officer
    )
    assert paused.status == Counter.Status.PAUSED
    closed = actions.set_counter_status(
        counter=desk, status=Counter.Status.CLOSED, acting_user=officer
    )
    assert closed.status == Counter.Status.CLOSED


def test_the_api_answers_409_naming_the_module(client, plan, officer, desk):  # type: ignore[no-untyped-def]
    passes(officer, "konsol", "pelindungan-data")
    auth = bearer(token_for(client, officer))
    response = client.post(
        f"/api/v1/counters/{desk.pk}/status",
        {"status": "open"},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 409
    assert response.json()["code"] == "training_missing"
    assert "Standar layanan loket depan" in response.json()["detail"]
    # The API's document says so, for the tools built on it.
    document = client.get("/api/v1/openapi.json").json()
    operation = document["paths"]["/api/v1/counters/{counter_id}/status"]["post"]
    assert "409" in operation["responses"] and "training_missing" in operation["description"]


def test_the_console_shows_the_missing_module(client, plan, officer, desk):  # type: ignore[no-untyped-def]
    passes(officer, "konsol", "loket-depan")
    client.force_login(officer)
    response = client.post(reverse("queueing:console-step", args=[desk.pk, "open"]), follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Pelindungan data pribadi" in page
    assert "belum Anda lulusi" in page
    desk.refresh_from_db()
    assert desk.status == Counter.Status.CLOSED
