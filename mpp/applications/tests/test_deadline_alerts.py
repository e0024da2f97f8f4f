"""The deadline alerts to the mall's supervisors: at 75 % and past due, once each however often
the job runs; none while the clock is stopped or once completed; again once at the new moments
after the files come back; and the counts on the start page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client

from mpp.accounts.models import Role
from mpp.accounts.tests.factories import make_staff
from mpp.applications import jobs
from mpp.applications.models import Application
from mpp.applications.tests import staff_world as world
from mpp.notifications.models import Message

pytestmark = pytest.mark.django_db

MINUTE = dt.timedelta(minutes=1)


@pytest.fixture(autouse=True)
def _monday_morning():  # type: ignore[no-untyped-def]
    with time_machine.travel(world.MONDAY, tick=False):
        yield


@pytest.fixture
def supervisors(cast):  # type: ignore[no-untyped-def]
    """MPP Kukar's two supervisors with e-mail addresses, a third without; Loa Kulu's."""
    first = cast.supervisor_mpp()
    first.email = "pengawas@mpp.example"
    first.save()
    second = make_staff(Role.MALL_SUPERVISOR, mall="mpp-kukar", username="pengawas.dua")
    second.email = "dua@mpp.example"
    second.save()
    make_staff(Role.MALL_SUPERVISOR, mall="mpp-kukar", username="pengawas.tanpa.surel")
    other = cast.supervisor_loakulu()
    other.email = "loakulu@mpp.example"
    other.save()
    return [first, second]


@pytest.fixture
def application(cast) -> Application:  # type: ignore[no-untyped-def]
    return world.opened(by=cast.officer_dukcapil())


def alerts() -> list[tuple[str, str]]:
    """(recipient, the message's threshold in its key) of every deadline alert written."""
    return sorted(
        (m.recipient, m.key.split("-")[2])
        for m in Message.objects.filter(kind="application.deadline")
    )


def run_at(moment: dt.datetime) -> int:
    with time_machine.travel(moment, tick=False):
        return jobs.send_deadline_alerts()


def test_nothing_is_sent_before_the_75_percent_moment(supervisors, application) -> None:
    assert run_at(application.warn_at - MINUTE) == 0
    assert alerts() == []


def test_each_threshold_alerts_each_supervisor_once_however_often_it_runs(
    supervisors, application
) -> None:
    assert run_at(application.warn_at + MINUTE) == 1
    assert run_at(application.warn_at + 2 * MINUTE) == 0
    assert alerts() == [("dua@mpp.example", "warn"), ("pengawas@mpp.example", "warn")]
    application.refresh_from_db()
    assert application.warned_at == application.warn_at + MINUTE
    assert run_at(application.due_at + MINUTE) == 1
    assert run_at(application.due_at + 5 * MINUTE) == 0
    assert alerts() == [
        ("dua@mpp.example", "overdue"),
        ("dua@mpp.example", "warn"),
        ("pengawas@mpp.example", "overdue"),
        ("pengawas@mpp.example", "warn"),
    ]
    message = Message.objects.filter(key__contains="overdue").first()
    assert message is not None
    assert application.grouped_code in message.body and "lewat batas" in message.body
    assert "Akta Kelahiran" in message.body and message.mall_id == application.mall_id


def test_a_first_run_after_the_due_moment_sends_only_the_overdue_alert(
    supervisors, application
) -> None:
    assert run_at(application.due_at + MINUTE) == 1
    assert [threshold for _to, threshold in alerts()] == ["overdue", "overdue"]


def test_a_returned_application_is_not_alerted_while_the_clock_is_stopped(
    cast, supervisors, application
) -> None:
    world.moved(application, "dikembalikan", by=cast.officer_dukcapil(), note="KK asli")
    assert run_at(world.MONDAY + dt.timedelta(days=30)) == 0
    assert alerts() == []


def test_a_completed_application_is_not_alerted(cast, supervisors, application) -> None:
    officer = cast.officer_dukcapil()
    world.moved(application, "diverifikasi", "diproses", "selesai", by=officer)
    assert run_at(application.due_at + dt.timedelta(days=3)) == 0
    assert alerts() == []


def test_after_a_resume_the_new_warn_moment_alerts_once(cast, supervisors, application) -> None:
    """Returned on Tuesday before the 75 % moment, back on Thursday: Wednesday and Thursday do
    not count, the moment moves two working days later, and alerts once there."""
    officer = cast.officer_dukcapil()
    first_warn = application.warn_at
    with time_machine.travel(dt.datetime(2026, 11, 3, 10, 0, tzinfo=world.WITA), tick=False):
        world.moved(application, "dikembalikan", by=officer, note="Surat nikah orang tua")
    assert run_at(first_warn + MINUTE) == 0  # stopped: nothing
    with time_machine.travel(dt.datetime(2026, 11, 5, 10, 0, tzinfo=world.WITA), tick=False):
        world.moved(application, "diterima", by=officer)
    application.refresh_from_db()
    assert application.warn_at == dt.datetime(2026, 11, 10, 0, 0, tzinfo=world.WITA)
    assert run_at(first_warn + MINUTE) == 0
    assert run_at(application.warn_at + MINUTE) == 1
    assert run_at(application.warn_at + 2 * MINUTE) == 0
    assert [threshold for _to, threshold in alerts()] == ["warn", "warn"]


def test_a_warning_whose_moment_moved_later_is_sent_again_once(cast, supervisors) -> None:
    """A 4-hour service warned at 3 hours, returned for an hour: the 75 % moment is an hour
    later, a new moment with its own once-only key (the outbox would drop a reused key)."""
    officer = cast.officer_dukcapil()
    application = world.opened(world.with_duration("akta-kelahiran", 4, "jam"), by=officer)
    first_warn = application.warn_at
    assert first_warn == world.MONDAY + dt.timedelta(hours=3)
    assert run_at(first_warn + MINUTE) == 1
    with time_machine.travel(first_warn + 2 * MINUTE, tick=False):
        world.moved(application, "dikembalikan", by=officer, note="Fotokopi KTP saksi")
    with time_machine.travel(first_warn + 62 * MINUTE, tick=False):
        world.moved(application, "diterima", by=officer)
    application.refresh_from_db()
    assert application.warn_at == first_warn + 60 * MINUTE and application.warned_at is None
    assert run_at(application.warn_at + MINUTE) == 1
    assert run_at(application.warn_at + 2 * MINUTE) == 0
    assert [threshold for _to, threshold in alerts()] == ["warn"] * 4
    keys = set(Message.objects.filter(kind="application.deadline").values_list("key", flat=True))
    assert len(keys) == 4


def test_a_mall_without_a_supervisors_address_still_claims_once(cast, application) -> None:
    cast.supervisor_mpp()  # no e-mail address
    assert run_at(application.warn_at + MINUTE) == 1
    assert run_at(application.warn_at + 2 * MINUTE) == 0
    assert alerts() == []


def test_a_service_without_a_fixed_time_is_never_alerted(cast, supervisors) -> None:
    service = world.with_duration("akta-kelahiran", 1)
    Application.objects.all().delete()
    service.duration_value, service.duration_unit = None, ""
    service.save()
    world.opened(service, by=cast.officer_dukcapil())
    assert run_at(world.MONDAY + dt.timedelta(days=90)) == 0


def test_the_periodic_job_runs_the_alerts(supervisors, application) -> None:
    with time_machine.travel(application.warn_at + MINUTE, tick=False):
        jobs.deadline_alerts.call_local()
    assert len(alerts()) == 2


# --- the counts on the start page ------------------------------------------------------------


def start_links(user: object) -> str:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    html = client.get("/petugas/mulai/").content.decode()
    return html.split('<main id="isi">', 1)[1].split("</main>", 1)[0]


def test_the_start_page_links_the_list_with_the_overdue_count(cast, application) -> None:
    paspor = world.opened(
        world.with_duration("paspor-biasa-baru", 6), by=cast.officer_imigrasi()
    )  # due Tuesday 10 November, a day after akta kelahiran
    for user in (cast.officer_dukcapil(), cast.supervisor_mpp(), cast.regency_admin()):
        html = start_links(user)
        assert 'href="/petugas/permohonan/"' in html
        assert re.search(r">Permohonan berjalan</a>", html)
    for user in (cast.leadership(), cast.auditor()):
        assert "/petugas/permohonan/" not in start_links(user)
    with time_machine.travel(application.due_at + MINUTE, tick=False):
        assert "Permohonan berjalan: 1 lewat batas" in start_links(cast.officer_dukcapil())
        supervisor = start_links(cast.supervisor_mpp())
        assert "Permohonan berjalan: 1 lewat batas, 1 segera jatuh tempo" in supervisor
        assert paspor.due_at > application.due_at
        assert "1 lewat batas" not in start_links(cast.officer_imigrasi())
