"""Opening an application and moving it along its steps (applications.actions)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from mpp.applications import actions
from mpp.applications.exceptions import ApplicationError
from mpp.applications.models import Application, Pause, Status, Step
from mpp.applications.tests import world
from mpp.core.models import AuditEntry
from mpp.notifications.models import Message

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(cast):
    return cast.officer_dukcapil()


@pytest.fixture
def clock():
    with time_machine.travel(world.MONDAY, tick=False) as traveller:
        yield traveller


def open_akta(officer, **kwargs):
    return actions.open_application(
        mall=world.mpp(), service=world.akta(), acting_user=officer, **kwargs
    )


def test_opening_computes_the_due_date_and_writes_the_first_step(officer, clock):
    application = open_akta(officer, ticket_code="A001-x")
    assert len(application.code) == 12
    assert application.status == Status.RECEIVED
    assert application.received_on == dt.date(2026, 7, 6)
    # 5 working days after Monday 6 July: Monday 13 July.
    assert application.due_date == dt.date(2026, 7, 13)
    assert application.due_at == world.at(14, 0)
    assert (application.duration_value, application.duration_unit) == (5, "hari_kerja")
    assert application.ticket_code == "A001-x"
    step = Step.objects.get(application=application)
    assert (step.status, step.at, step.by) == (Status.RECEIVED, world.MONDAY, officer)
    entry = AuditEntry.objects.get(action="application.opened", object_id=str(application.pk))
    assert entry.actor_id == officer.pk
    assert entry.data["due_date"] == "2026-07-13"
    assert Message.objects.count() == 0  # no phone, no message


def test_the_receipt_message_has_the_code_service_due_date_and_link_and_is_sent_once(
    officer, clock
):
    application = open_akta(officer, phone="0812-3456-7890")
    assert application.phone == "6281234567890"
    message = Message.objects.get()
    assert message.key == f"application:{application.pk}:received"
    assert application.grouped_code in message.body
    assert "Akta Kelahiran" in message.body or application.service.name in message.body
    assert "13 Juli 2026" in message.body
    assert f"/permohonan/{application.code}/" in message.body
    assert "081234567890" not in message.body and "6281234567890" not in message.body
    from mpp.applications import messages

    messages.received(application)
    assert Message.objects.count() == 1


def test_a_service_with_no_fixed_time_has_no_due_date(officer, clock):
    service = world.with_duration("akta-kelahiran", None)
    application = actions.open_application(mall=world.mpp(), service=service, acting_user=officer)
    assert (application.due_date, application.due_at, application.warn_at) == (None, None, None)


def test_a_service_not_offered_at_the_mall_is_refused(officer, mall_loakulu, clock):
    service = world.not_offered_at(mall_loakulu)
    with pytest.raises(ApplicationError) as refused:
        actions.open_application(mall=mall_loakulu, service=service, acting_user=officer)
    assert (refused.value.code, refused.value.status) == ("not_offered", 400)
    assert refused.value.message
    assert not Application.objects.exists()


def test_an_inactive_service_is_not_offered(officer, clock):
    service = world.akta()
    service.is_active = False
    service.save(update_fields=["is_active"])
    with pytest.raises(ApplicationError) as refused:
        actions.open_application(mall=world.mpp(), service=service, acting_user=officer)
    assert refused.value.code == "not_offered"


def test_an_earlier_received_day_counts_from_that_day(officer, clock):
    application = open_akta(officer, received_on=dt.date(2026, 7, 1))
    assert application.received_on == dt.date(2026, 7, 1)
    assert application.received_at == world.at(1)
    assert application.due_date == dt.date(2026, 7, 8)


@pytest.mark.parametrize(
    ("day", "code"),
    [
        (dt.date(2026, 7, 7), "received_in_future"),
        (dt.date(2026, 6, 5), "received_too_long_ago"),
    ],
)
def test_received_days_in_the_future_or_long_ago_are_refused(officer, clock, day, code):
    with pytest.raises(ApplicationError) as refused:
        open_akta(officer, received_on=day)
    assert refused.value.code == code
    assert not Application.objects.exists()


def test_a_malformed_phone_is_refused(officer, clock):
    with pytest.raises(ApplicationError) as refused:
        open_akta(officer, phone="12")
    assert refused.value.code == "invalid_phone"


def test_the_whole_way_to_collection(officer, clock):
    application = open_akta(officer, phone="081234567890")
    for status in ("diverifikasi", "diproses"):
        clock.shift(dt.timedelta(hours=1))
        application = actions.move(application=application, status=status, acting_user=officer)
    clock.shift(dt.timedelta(days=1))
    application = actions.move(
        application=application,
        status="siap_diambil",
        acting_user=officer,
        pickup_place="Loket 2",
        pickup_time="Senin–Jumat 08.00–15.00",
    )
    assert application.completed_at == world.at(7, 12)
    assert (application.pickup_place, application.pickup_time) == (
        "Loket 2",
        "Senin–Jumat 08.00–15.00",
    )
    ready = Message.objects.get(kind="application.ready")
    assert "Loket 2" in ready.body and application.grouped_code in ready.body
    clock.shift(dt.timedelta(days=1))
    application = actions.move(application=application, status="diambil", acting_user=officer)
    assert application.collected_at == world.at(8, 12)
    assert application.completed_at == world.at(7, 12)  # the first completion stays
    assert application.phone == ""
    assert list(application.steps.values_list("status", flat=True)) == [
        "diterima",
        "diverifikasi",
        "diproses",
        "siap_diambil",
        "diambil",
    ]
    moves = AuditEntry.objects.filter(action="application.moved", object_id=str(application.pk))
    assert moves.count() == 4
    assert moves.order_by("pk").last().data == {"from": "siap_diambil", "to": "diambil", "note": ""}


def test_ready_defaults_to_the_tenants_counter_at_the_mall(officer, clock):
    application = open_akta(officer)
    for status in ("diverifikasi", "diproses", "siap_diambil"):
        application = actions.move(application=application, status=status, acting_user=officer)
    assert (
        "Disdukcapil" in application.pickup_place
        or "disdukcapil" in application.pickup_place.lower()
    )
    assert application.mall.name in application.pickup_place
    assert application.pickup_time
    step = application.steps.get(status="siap_diambil")
    assert application.pickup_place in step.note


def test_done_then_collected(officer, clock):
    application = open_akta(officer)
    for status in ("diverifikasi", "diproses", "selesai"):
        application = actions.move(application=application, status=status, acting_user=officer)
    assert application.completed_at == world.MONDAY
    assert not Message.objects.filter(kind="application.ready").exists()
    application = actions.move(application=application, status="diambil", acting_user=officer)
    assert application.status == Status.COLLECTED


@pytest.mark.parametrize(
    ("path", "bad"),
    [
        ((), "diproses"),
        ((), "selesai"),
        ((), "diterima"),
        (("diverifikasi",), "siap_diambil"),
        (("diverifikasi", "diproses", "selesai"), "siap_diambil"),
        (("diverifikasi", "diproses", "selesai", "diambil"), "dikembalikan"),
        (("diverifikasi", "diproses", "siap_diambil"), "dikembalikan"),
    ],
)
def test_steps_out_of_order_are_409(officer, clock, path, bad):
    application = open_akta(officer)
    for status in path:
        application = actions.move(application=application, status=status, acting_user=officer)
    with pytest.raises(ApplicationError) as refused:
        actions.move(application=application, status=bad, acting_user=officer, note="x")
    assert (refused.value.code, refused.value.status) == ("out_of_order", 409)
    assert application.steps.count() == len(path) + 1


def test_an_unknown_status_and_a_return_without_a_note_are_400(officer, clock):
    application = open_akta(officer)
    with pytest.raises(ApplicationError) as refused:
        actions.move(application=application, status="hilang", acting_user=officer)
    assert (refused.value.code, refused.value.status) == ("bad_status", 400)
    with pytest.raises(ApplicationError) as refused:
        actions.move(application=application, status="dikembalikan", acting_user=officer, note=" ")
    assert (refused.value.code, refused.value.status) == ("note_required", 400)


def test_a_stale_copy_cannot_move_twice(officer, clock, cast):
    """Two officers with the same page open: the second move reads the row under its lock and
    sees the first's status."""
    application = open_akta(officer)
    stale = Application.objects.get(pk=application.pk)
    actions.move(application=application, status="diverifikasi", acting_user=officer)
    with pytest.raises(ApplicationError) as refused:
        actions.move(application=stale, status="diverifikasi", acting_user=cast.supervisor_mpp())
    assert refused.value.code == "out_of_order"
    assert Step.objects.filter(application=application, status="diverifikasi").count() == 1


def test_a_return_stops_the_clock_and_the_completion_pushes_the_due_date(officer, clock):
    application = open_akta(officer)  # Monday 6 July: due Monday 13 July
    clock.move_to(world.at(7, 11))  # Tuesday
    application = actions.move(
        application=application,
        status="dikembalikan",
        acting_user=officer,
        note="Fotokopi surat nikah orang tua, NIK 6402061501900001",
    )
    assert application.paused_since == world.at(7, 11)
    assert "6402061501900001" not in application.returned_note  # masked: shown publicly
    assert application.returned_note.startswith("Fotokopi surat nikah")
    assert (application.due_date, application.due_at, application.warn_at) == (None, None, None)
    pause = Pause.objects.get(application=application)
    assert pause.ended_at is None and pause.reason == application.returned_note
    clock.move_to(world.at(9, 9))  # Thursday: the 8th and 9th do not count
    application = actions.move(application=application, status="diterima", acting_user=officer)
    pause.refresh_from_db()
    assert pause.ended_at == world.at(9, 9)
    assert application.paused_since is None and application.returned_note == ""
    assert application.due_date == dt.date(2026, 7, 15)
    assert application.due_at == world.at(16, 0)
    assert list(application.steps.values_list("status", flat=True)) == [
        "diterima",
        "dikembalikan",
        "diterima",
    ]


def test_alerts_already_sent_are_sent_again_only_for_a_later_moment(officer, clock):
    application = open_akta(officer)
    Application.objects.filter(pk=application.pk).update(
        warned_at=world.at(10, 0), overdue_alerted_at=world.at(14, 0)
    )
    application.refresh_from_db()
    clock.move_to(world.at(7, 11))
    application = actions.move(
        application=application, status="dikembalikan", acting_user=officer, note="KK asli"
    )
    assert application.warned_at == world.at(10, 0)  # nothing is due while paused
    clock.move_to(world.at(9, 9))
    application = actions.move(application=application, status="diterima", acting_user=officer)
    application.refresh_from_db()
    # New warn moment (start of the 4th counted day: 14 July) and due moment (16 July) are
    # later than the alerts: both may be sent again at the new moments.
    assert application.warn_at == world.at(14, 0)
    assert application.warned_at is None
    assert application.overdue_alerted_at is None


def test_a_same_day_return_keeps_the_alert_sent(officer, clock):
    application = open_akta(officer)
    Application.objects.filter(pk=application.pk).update(warned_at=world.at(10, 0))
    application.refresh_from_db()
    application = actions.move(
        application=application, status="dikembalikan", acting_user=officer, note="KK asli"
    )
    clock.shift(dt.timedelta(hours=2))
    application = actions.move(application=application, status="diterima", acting_user=officer)
    application.refresh_from_db()
    assert application.warn_at == world.at(10, 0)  # unchanged: nothing moved
    assert application.warned_at == world.at(10, 0)
