"""Disdukcapil's follow-up: three tasks per married couple, numbers in its queue when it serves
at the event (never failing the marriage when the queue refuses), worked to "selesai" by its
officers, who see the NIKs (logged)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from mpp.core.models import AuditEntry
from mpp.core.nik import mask_nik
from mpp.programs import ceremony, civil
from mpp.programs.exceptions import ProgramRefused
from mpp.programs.models import CivilTask, Programme, Registration
from mpp.programs.tests import world
from mpp.programs.tests.test_ceremony import arrived
from mpp.programs.tests.test_kua import scheduled
from mpp.queueing.models import Ticket

pytestmark = pytest.mark.django_db

ON_THE_DAY = time_machine.travel(world.AKAD_TIME, tick=False)
# The same Friday at 22.00: the MPP is closed, the queue refuses numbers.
AT_NIGHT = dt.datetime(2026, 4, 10, 22, 0, tzinfo=world.WITA)


def married(found: Programme, officer: object, book: str = "B-1") -> Registration:
    registration = arrived(scheduled(found, officer), officer)
    return ceremony.record_marriage(
        registration=registration, marriage_book_number=book, acting_user=officer
    )


@ON_THE_DAY
def test_a_marriage_on_the_day_gets_three_numbers_in_disdukcapils_queue(kukar):
    officer = world.kua_officer()
    registration = married(world.programme(), officer)
    tasks = list(CivilTask.objects.filter(registration=registration).select_related("ticket"))
    assert len(tasks) == 3 and all(t.ticket is not None for t in tasks), AuditEntry.objects.get(
        action="programs.civil.opened"
    ).data
    by_kind = {t.kind: t.ticket for t in tasks}
    assert by_kind["kk"].service.slug == "perubahan-kk"
    assert by_kind["ktp_groom"].service.slug == "penggantian-ktp-el"
    assert {t.channel for t in by_kind.values()} == {Ticket.Channel.STAFF}
    entry = AuditEntry.objects.get(action="programs.civil.opened")
    assert entry.data["ticket_refused"] == {} and len(entry.data["tickets"]) == 3


def test_a_closed_mall_leaves_the_tasks_without_numbers_and_the_marriage_stands(kukar):
    officer = world.kua_officer()
    found = world.programme()
    with time_machine.travel(AT_NIGHT, tick=False):
        registration = married(found, officer)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.MARRIED
    tasks = CivilTask.objects.filter(registration=registration)
    assert tasks.count() == 3 and not tasks.filter(ticket__isnull=False).exists()
    assert not Ticket.objects.exists()
    entry = AuditEntry.objects.get(action="programs.civil.opened")
    assert set(entry.data["ticket_refused"]) == {"kk", "ktp_groom", "ktp_bride"}


@ON_THE_DAY
def test_without_a_civil_registry_tenant_the_tasks_open_without_numbers(kukar):
    officer = world.kua_officer()
    found = world.programme()
    Programme.objects.filter(pk=found.pk).update(civil_registry_tenant=None)
    found.refresh_from_db()
    registration = married(found, officer)
    assert CivilTask.objects.filter(registration=registration, ticket__isnull=True).count() == 3
    assert not Ticket.objects.exists()


@ON_THE_DAY
def test_opening_twice_keeps_the_tasks_and_their_numbers(kukar):
    officer = world.kua_officer()
    registration = married(world.programme(), officer)
    civil.open_follow_up(registration=registration, acting_user=officer)
    assert CivilTask.objects.filter(registration=registration).count() == 3
    assert Ticket.objects.count() == 3


@ON_THE_DAY
def test_a_task_goes_in_progress_then_done_with_its_document_number(kukar, cast):
    officer = world.kua_officer()
    clerk = cast.officer_dukcapil()
    registration = married(world.programme(), officer)
    task = CivilTask.objects.get(registration=registration, kind="kk")
    civil.set_task_status(task=task, status="in_progress", document_number="", acting_user=clerk)
    with pytest.raises(ProgramRefused) as refused:
        civil.set_task_status(task=task, status="done", document_number=" ", acting_user=clerk)
    assert refused.value.code == "document_number_required" and refused.value.status == 400
    done = civil.set_task_status(
        task=task, status="done", document_number="6402061004260001", acting_user=clerk
    )
    assert done.status == "done" and done.done_at == world.AKAD_TIME and done.done_by == clerk
    with pytest.raises(ProgramRefused) as refused:
        civil.set_task_status(
            task=task, status="in_progress", document_number="", acting_user=clerk
        )
    assert refused.value.code == "bad_step" and refused.value.status == 409
    other = CivilTask.objects.get(registration=registration, kind="ktp_bride")
    with pytest.raises(ProgramRefused) as refused:
        civil.set_task_status(task=other, status="open", document_number="", acting_user=clerk)
    assert refused.value.code == "bad_step"
    actions = list(
        AuditEntry.objects.filter(action="programs.civil.updated")
        .order_by("pk")
        .values_list("data", flat=True)
    )
    assert [(a["from"], a["to"]) for a in actions] == [
        ("open", "in_progress"),
        ("in_progress", "done"),
    ]
    assert ceremony.day_count(registration.programme).kk_done == 1


# --- the page -------------------------------------------------------------------------------


def civil_url(found: Programme, *parts: str) -> str:
    return "/program/" + "/".join([found.slug, "dukcapil", *parts]) + "/"


@ON_THE_DAY
def test_disdukcapils_officer_sees_the_niks_and_each_view_is_logged(kukar, client, cast):
    officer = world.kua_officer()
    found = world.programme()
    registration = married(found, officer)
    groom = registration.people.get(role="groom")
    clerk = cast.officer_dukcapil()
    client.force_login(clerk)
    page = client.get(civil_url(found))
    assert page.status_code == 200
    html = page.content.decode()
    assert groom.nik in html and registration.code in html and "B-1" in html
    client.get(civil_url(found))
    entries = AuditEntry.objects.filter(action="programs.nik.read", actor_id=clerk.pk)
    assert entries.count() == 2 and entries.first().data["codes"] == [registration.code]


@ON_THE_DAY
def test_the_regency_admin_oversees_with_niks_masked(kukar, client, cast):
    officer = world.kua_officer()
    found = world.programme()
    registration = married(found, officer)
    groom = registration.people.get(role="groom")
    client.force_login(cast.regency_admin())
    html = client.get(civil_url(found)).content.decode()
    assert groom.nik not in html and mask_nik(groom.nik) in html
    assert not AuditEntry.objects.filter(action="programs.nik.read").exists()


@ON_THE_DAY
def test_others_get_403_and_unknowns_404(kukar, client, cast):
    officer = world.kua_officer()
    found = world.programme()
    registration = married(found, officer)
    task = CivilTask.objects.get(registration=registration, kind="kk")
    for user in (cast.officer_imigrasi(), officer, cast.outsider(), cast.supervisor_mpp()):
        client.force_login(user)
        assert client.get(civil_url(found)).status_code == 403
        assert (
            client.post(civil_url(found, "tugas", str(task.pk)), {"status": "done"}).status_code
            == 403
        )
    client.force_login(cast.officer_dukcapil())
    assert client.get("/program/tidak-ada/dukcapil/").status_code == 404
    other = world.programme(slug="lain")
    assert (
        client.post(civil_url(other, "tugas", str(task.pk)), {"status": "done"}).status_code == 404
    )


@ON_THE_DAY
def test_a_task_is_marked_through_the_page(kukar, client, cast):
    officer = world.kua_officer()
    found = world.programme()
    registration = married(found, officer)
    task = CivilTask.objects.get(registration=registration, kind="kk")
    client.force_login(cast.officer_dukcapil())
    path = civil_url(found, "tugas", str(task.pk))
    assert client.post(path, {"status": "done", "document_number": ""}).status_code == 400
    assert client.post(path, {"status": "bogus"}).status_code == 400
    done = client.post(path, {"status": "done", "document_number": "KK-6402-001"})
    assert done.status_code == 302
    task.refresh_from_db()
    assert task.status == "done" and task.document_number == "KK-6402-001"
    assert client.post(path, {"status": "in_progress"}).status_code == 409


@ON_THE_DAY
def test_the_list_shows_the_couples_still_waiting_and_the_finished_on_request(kukar, client, cast):
    officer = world.kua_officer()
    found = world.programme()
    waiting = married(found, officer, book="B-1")
    finished = married(found, officer, book="B-2")
    clerk = cast.officer_dukcapil()
    for task in finished.civil_tasks.all():
        civil.set_task_status(task=task, status="done", document_number="X-1", acting_user=clerk)
    client.force_login(clerk)
    html = client.get(civil_url(found)).content.decode()
    assert waiting.code in html and finished.code not in html
    assert "1 pasangan sudah selesai" in html
    read = AuditEntry.objects.filter(action="programs.nik.read").latest("pk")
    assert read.data["codes"] == [waiting.code]  # only the NIKs shown were read
    every = client.get(civil_url(found) + "?semua=1").content.decode()
    assert waiting.code in every and finished.code in every


@ON_THE_DAY
def test_a_disdukcapil_officer_of_another_mall_does_not_see_the_couples(kukar, client):
    from mpp.accounts.models import Role
    from mpp.accounts.tests.factories import make_staff

    found = world.programme()
    married(found, world.kua_officer())
    elsewhere = make_staff(
        Role.TENANT_OFFICER,
        tenant="disdukcapil",
        malls=("mini-mpp-loa-kulu",),
        username="petugas.dukcapil.loakulu",
    )
    client.force_login(elsewhere)
    assert client.get(civil_url(found)).status_code == 403


@ON_THE_DAY
def test_the_list_costs_the_same_queries_for_one_couple_or_four(kukar, client, cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    officer = world.kua_officer()
    found = world.programme()
    married(found, officer, book="B-1")
    client.force_login(cast.officer_dukcapil())
    with CaptureQueriesContext(connection) as one:
        assert client.get(civil_url(found)).status_code == 200
    for book in ("B-2", "B-3", "B-4"):
        married(found, officer, book=book)
    with CaptureQueriesContext(connection) as four:
        html = client.get(civil_url(found)).content.decode()
    assert html.count("data-couple") == 4
    assert len(four) == len(one)
