"""The staff's pages of applications: the live list with its tabs and filters, one application
with the forms of its allowed steps, and opening one at the counter; each for every role in
and out of scope (403), unknown (404), bad input (400) and steps out of order (409)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client

from mpp.applications.models import Application, Pause, Step
from mpp.applications.tests import staff_world as world
from mpp.catalog.models import Service
from mpp.core.models import AuditEntry
from mpp.malls.models import Mall

pytestmark = pytest.mark.django_db

LIST = "/petugas/permohonan/"
OPEN = "/petugas/permohonan/baru/"


@pytest.fixture(autouse=True)
def _monday_morning():  # type: ignore[no-untyped-def]
    with time_machine.travel(world.MONDAY, tick=False):
        yield


def signed_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def detail(application: Application) -> str:
    return f"/petugas/permohonan/{application.code}/"


def step_url(application: Application) -> str:
    return f"/petugas/permohonan/{application.code}/langkah/"


def codes_listed(html: str) -> list[str]:
    return re.findall(r'<tr data-code="([A-Z0-9]+)"', html)


@pytest.fixture
def akta_app(cast):  # type: ignore[no-untyped-def]
    return world.opened(by=cast.officer_dukcapil(), phone="0812-3456-7890")


@pytest.fixture
def paspor_app(cast):  # type: ignore[no-untyped-def]
    return world.opened(world.paspor(), by=cast.officer_imigrasi())


# --- the list ----------------------------------------------------------------------------------


def test_an_officer_lists_their_tenants_open_applications_by_due_time(
    cast, akta_app, paspor_app
) -> None:
    """Code, service, received, due, status and days left; the other tenant's not listed; the
    phone never shown."""
    later = world.opened(world.with_duration("akta-kelahiran", 7), by=cast.officer_dukcapil())
    response = signed_in(cast.officer_dukcapil()).get(LIST)
    html = response.content.decode()
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert codes_listed(html) == [akta_app.code, later.code]  # the earlier due first
    assert paspor_app.code not in html
    assert akta_app.grouped_code in html and "Akta Kelahiran" in html
    assert "3456" not in html and "0812" not in html


def test_days_left_count_calendar_days_to_the_due_day(cast, akta_app) -> None:
    html = signed_in(cast.officer_dukcapil()).get(LIST).content.decode()
    cell = html.split(f'data-code="{akta_app.code}"', 1)[1].split("data-days-left>", 1)[1]
    left = (akta_app.due_date - world.MONDAY.date()).days
    assert cell.startswith(f"{left} hari")


def test_the_supervisor_sees_the_whole_mall_and_the_admin_every_mall(
    cast, akta_app, paspor_app
) -> None:
    for user in (cast.supervisor_mpp(), cast.regency_admin()):
        html = signed_in(user).get(LIST).content.decode()
        assert set(codes_listed(html)) == {akta_app.code, paspor_app.code}
    html = signed_in(cast.supervisor_loakulu()).get(LIST).content.decode()
    assert codes_listed(html) == []


def test_the_list_filters_by_mall_and_tenant(cast, akta_app, paspor_app) -> None:
    admin = signed_in(cast.regency_admin())
    mall = world.mpp()
    loakulu = Mall.objects.get(slug="mini-mpp-loa-kulu")
    html = admin.get(LIST, {"mal": mall.pk, "instansi": akta_app.service.tenant_id}).content
    assert codes_listed(html.decode()) == [akta_app.code]
    assert codes_listed(admin.get(LIST, {"mal": loakulu.pk}).content.decode()) == []


def test_tabs_overdue_due_soon_and_returned(cast, akta_app, paspor_app) -> None:
    officer = cast.supervisor_mpp()
    world.moved(paspor_app, "dikembalikan", by=cast.officer_imigrasi(), note="Fotokopi KK")
    client = signed_in(officer)
    html = client.get(LIST, {"tab": "dikembalikan"}).content.decode()
    assert codes_listed(html) == [paspor_app.code]
    assert "jam berhenti sejak" in html
    assert codes_listed(client.get(LIST, {"tab": "lewat"}).content.decode()) == []
    assert codes_listed(client.get(LIST, {"tab": "segera"}).content.decode()) == []
    # Past the 75 % point: at risk; past the due moment: overdue, and the returned one neither.
    with time_machine.travel(akta_app.warn_at + dt.timedelta(minutes=1), tick=False):
        assert codes_listed(client.get(LIST, {"tab": "segera"}).content.decode()) == [akta_app.code]
    with time_machine.travel(akta_app.due_at + dt.timedelta(minutes=1), tick=False):
        html = client.get(LIST, {"tab": "lewat"}).content.decode()
        assert codes_listed(html) == [akta_app.code]
        assert "is-overdue" in html and "1 lewat batas" in html
        assert codes_listed(client.get(LIST, {"tab": "segera"}).content.decode()) == []


def test_due_within_two_working_days_is_due_soon(cast, akta_app) -> None:
    """Friday before the Monday due day (two working days later): at risk, 75 % or not."""
    client = signed_in(cast.officer_dukcapil())
    two_before = dt.datetime(2026, 11, 5, 8, 0, tzinfo=world.WITA)  # Thursday
    assert akta_app.due_date == dt.date(2026, 11, 9)
    with time_machine.travel(two_before, tick=False):
        assert codes_listed(client.get(LIST, {"tab": "segera"}).content.decode()) == [akta_app.code]


def test_completed_and_collected_applications(cast, akta_app) -> None:
    """Ready for pickup: still listed (the officer records the collection) but never overdue;
    collected: gone from the list."""
    officer = cast.officer_dukcapil()
    ready = world.moved(akta_app, "diverifikasi", "diproses", "siap_diambil", by=officer)
    client = signed_in(officer)
    with time_machine.travel(ready.due_at + dt.timedelta(days=3), tick=False):
        assert codes_listed(client.get(LIST).content.decode()) == [ready.code]
        assert codes_listed(client.get(LIST, {"tab": "lewat"}).content.decode()) == []
    world.moved(ready, "diambil", by=officer)
    assert codes_listed(client.get(LIST).content.decode()) == []


def test_the_list_refuses_outsiders_and_unknown_filters(cast, client) -> None:
    loakulu = Mall.objects.get(slug="mini-mpp-loa-kulu")
    assert client.get(LIST).status_code == 302  # to the sign-in page
    for user in (cast.leadership(), cast.auditor(), cast.outsider()):
        assert signed_in(user).get(LIST).status_code == 403
    supervisor = signed_in(cast.supervisor_mpp())
    assert supervisor.get(LIST, {"mal": loakulu.pk}).status_code == 403
    assert supervisor.get(LIST, {"mal": 99999999}).status_code == 404
    imigrasi = world.paspor().tenant_id
    assert signed_in(cast.officer_dukcapil()).get(LIST, {"instansi": imigrasi}).status_code == 403
    assert supervisor.get(LIST, {"instansi": 99999999}).status_code == 404
    # Their own tenant, with nothing open anywhere: an empty list, not a refusal.
    own = world.akta().tenant_id
    assert signed_in(cast.officer_dukcapil()).get(LIST, {"instansi": own}).status_code == 200
    # Unreadable values are no filter at all.
    for query in ({"mal": "x"}, {"tab": "<b>"}, {"instansi": "9" * 40}, {"mal": "-1"}):
        assert supervisor.get(LIST, query).status_code == 200
    assert supervisor.head(LIST).status_code == 200
    assert supervisor.post(LIST).status_code == 405


def test_the_list_takes_a_bounded_number_of_queries(
    cast, django_assert_max_num_queries, akta_app
) -> None:
    """However many applications, and for the regency administrator however many malls."""
    officer = cast.officer_dukcapil()
    for _ in range(5):
        world.opened(by=officer)
    for user in (officer, cast.regency_admin()):
        client = signed_in(user)
        client.get(LIST)
        with django_assert_max_num_queries(25):
            assert client.get(LIST).status_code == 200


# --- one application -------------------------------------------------------------------------


def test_the_detail_page_shows_steps_due_and_only_the_allowed_next_steps(cast, akta_app) -> None:
    response = signed_in(cast.officer_dukcapil()).get(detail(akta_app))
    html = response.content.decode()
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert akta_app.grouped_code in html and "Senin, 9 November 2026" in html
    assert "0812****890" in html and "3456" not in html
    assert re.findall(r'data-step="([a-z_]+)"', html) == ["diverifikasi", "dikembalikan"]
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'data-step-status="diterima"' in html and "petugas.dukcapil" in html


def test_who_may_open_an_application(cast, akta_app, client) -> None:
    for user in (cast.officer_dukcapil(), cast.supervisor_mpp(), cast.regency_admin()):
        assert signed_in(user).get(detail(akta_app)).status_code == 200
    for user in (
        cast.officer_imigrasi(),
        cast.supervisor_loakulu(),
        cast.leadership(),
        cast.outsider(),
    ):
        assert signed_in(user).get(detail(akta_app)).status_code == 403
    assert client.get(detail(akta_app)).status_code == 302
    officer = signed_in(cast.officer_dukcapil())
    assert officer.get("/petugas/permohonan/ZZZZZZZZZZZZ/").status_code == 404
    assert officer.get("/petugas/permohonan/bukan-kode/").status_code == 404
    assert officer.head(detail(akta_app)).status_code == 200
    # The grouped form of the slip opens it too.
    assert officer.get(f"/petugas/permohonan/{akta_app.grouped_code}/").status_code == 200


def test_a_step_is_recorded_and_redirects_with_a_message(cast, akta_app) -> None:
    client = signed_in(cast.officer_dukcapil())
    response = client.post(step_url(akta_app), {"status": "diverifikasi", "note": "Lengkap"})
    assert response.status_code == 302 and response["Location"] == detail(akta_app)
    akta_app.refresh_from_db()
    assert akta_app.status == "diverifikasi"
    step = Step.objects.filter(application=akta_app).order_by("-id").first()
    assert step is not None and step.note == "Lengkap" and step.by.username == "petugas.dukcapil"
    assert AuditEntry.objects.filter(action="application.moved").count() == 1
    html = client.get(detail(akta_app)).content.decode()
    assert "Diverifikasi" in html and "data-messages" in html
    assert re.findall(r'data-step="([a-z_]+)"', html) == ["diproses", "dikembalikan"]


def test_a_step_out_of_order_is_409_and_writes_nothing(cast, akta_app) -> None:
    client = signed_in(cast.officer_dukcapil())
    response = client.post(step_url(akta_app), {"status": "diambil"})
    html = response.content.decode()
    assert response.status_code == 409
    assert "tidak dapat langsung menjadi" in html and "data-refusal" in html
    assert Step.objects.filter(application=akta_app).count() == 1
    akta_app.refresh_from_db()
    assert akta_app.status == "diterima"


def test_a_return_needs_what_is_missing_and_stops_the_clock(cast, akta_app) -> None:
    client = signed_in(cast.officer_dukcapil())
    response = client.post(step_url(akta_app), {"status": "dikembalikan", "note": "  "})
    assert response.status_code == 400
    assert "perlu dilengkapi" in response.content.decode()
    assert not Pause.objects.filter(application=akta_app).exists()
    response = client.post(
        step_url(akta_app), {"status": "dikembalikan", "note": "Surat keterangan lahir asli"}
    )
    assert response.status_code == 302
    html = client.get(detail(akta_app)).content.decode()
    assert "data-clock-stopped" in html and "Jam berhenti sejak" in html
    assert "Surat keterangan lahir asli" in html and "masih berhenti" in html
    assert re.findall(r'data-step="([a-z_]+)"', html) == ["diterima"]
    # The files come back two days later: the clock runs again and the due day moves.
    due = akta_app.due_date
    with time_machine.travel(world.MONDAY + dt.timedelta(days=2), tick=False):
        assert client.post(step_url(akta_app), {"status": "diterima"}).status_code == 302
    akta_app.refresh_from_db()
    assert akta_app.paused_since is None and akta_app.due_date > due
    html = client.get(detail(akta_app)).content.decode()
    assert "data-clock-stopped" not in html and "masih berhenti" not in html


def test_ready_for_pickup_asks_where_and_when_with_defaults(cast, akta_app) -> None:
    officer = cast.officer_dukcapil()
    world.moved(akta_app, "diverifikasi", "diproses", by=officer)
    client = signed_in(officer)
    html = client.get(detail(akta_app)).content.decode()
    assert (
        'name="pickup_place"' in html
        and "Mal Pelayanan Publik" in html.split('name="pickup_place"')[1]
    )
    response = client.post(
        step_url(akta_app),
        {"status": "siap_diambil", "pickup_place": "Loket 2", "pickup_time": "Senin 08.00"},
    )
    assert response.status_code == 302
    akta_app.refresh_from_db()
    assert (akta_app.pickup_place, akta_app.pickup_time) == ("Loket 2", "Senin 08.00")


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"status": "selesai_dong"},
        {"status": "diverifikasi", "note": "x" * 1001},
        {"status": "siap_diambil", "pickup_place": "x" * 201},
    ],
)
def test_malformed_steps_are_400_and_write_nothing(cast, akta_app, body) -> None:
    response = signed_in(cast.officer_dukcapil()).post(step_url(akta_app), body)
    assert response.status_code == 400 and "data-form-errors" in response.content.decode()
    assert Step.objects.filter(application=akta_app).count() == 1


def test_steps_outside_scope_are_refused_and_write_nothing(cast, akta_app, client) -> None:
    for user in (cast.officer_imigrasi(), cast.supervisor_loakulu(), cast.auditor()):
        response = signed_in(user).post(step_url(akta_app), {"status": "diverifikasi"})
        assert response.status_code == 403
    assert client.post(step_url(akta_app), {"status": "diverifikasi"}).status_code == 302
    officer = signed_in(cast.officer_dukcapil())
    unknown = "/petugas/permohonan/ZZZZZZZZZZZZ/langkah/"
    assert officer.post(unknown, {"status": "diverifikasi"}).status_code == 404
    assert officer.get(step_url(akta_app)).status_code == 405
    assert Step.objects.filter(application=akta_app).count() == 1


def test_a_step_and_an_opening_need_the_csrf_token(cast, akta_app) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.officer_dukcapil())
    assert client.post(step_url(akta_app), {"status": "diverifikasi"}).status_code == 403
    assert Step.objects.filter(application=akta_app).count() == 1
    body = {"mall": world.mpp().pk, "service": world.akta().pk, "received_on": "2026-11-02"}
    assert client.post(OPEN, body).status_code == 403
    assert Application.objects.count() == 1


# --- opened at the counter -------------------------------------------------------------------


def test_the_opening_form_offers_the_officers_services_and_today(cast) -> None:
    world.akta()
    html = signed_in(cast.officer_dukcapil()).get(OPEN).content.decode()
    assert "Akta Kelahiran" in html and "Paspor" not in html
    assert 'value="2026-11-02"' in html
    assert 'name="mall"' in html  # two malls: a choice


def test_opening_at_the_counter_makes_the_receipt(cast) -> None:
    service = world.akta()
    mall = world.mpp()
    response = signed_in(cast.officer_dukcapil()).post(
        OPEN,
        {"mall": mall.pk, "service": service.pk, "phone": "0812 3456 7890",
         "received_on": "2026-11-02"},
    )  # fmt: skip
    made = Application.objects.get()
    assert response.status_code == 302
    assert made.code in response["Location"]
    assert (made.mall, made.service, made.phone) == (mall, service, "6281234567890")
    assert made.due_date == dt.date(2026, 11, 9)
    assert AuditEntry.objects.filter(action="application.opened").count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"phone": "021 555 1234"}, "phone"),
        ({"received_on": "2026-11-03"}, "received_on"),
        ({"received_on": "2026-09-01"}, "received_on"),
        ({"received_on": "kemarin"}, "received_on"),
        ({"service": ""}, "service"),
        ({"service": "x"}, "service"),
        ({"mall": "-1"}, "mall"),
    ],
)
def test_bad_openings_are_400_next_to_the_field(cast, changes, field) -> None:
    body = {"mall": world.mpp().pk, "service": world.akta().pk, "received_on": "2026-11-02"}
    body.update(changes)
    response = signed_in(cast.officer_dukcapil()).post(OPEN, body)
    assert response.status_code == 400
    assert f'data-error-for="{field}"' in response.content.decode()
    assert not Application.objects.exists()


def test_another_tenants_service_or_mall_is_refused_and_unknown_ones_are_404(cast) -> None:
    mpp, loakulu = world.mpp(), Mall.objects.get(slug="mini-mpp-loa-kulu")
    akta, paspor = world.akta(), world.paspor()
    html = signed_in(cast.officer_dukcapil()).get(OPEN).content.decode()
    assert f'value="{paspor.pk}"' not in html  # not offered to choose
    refused = [
        (cast.officer_dukcapil(), {"mall": mpp.pk, "service": paspor.pk}, 403),
        (cast.supervisor_loakulu(), {"mall": mpp.pk, "service": akta.pk}, 403),
        (cast.officer_imigrasi(), {"mall": loakulu.pk, "service": paspor.pk}, 403),
        (cast.officer_dukcapil(), {"mall": mpp.pk, "service": 99999999}, 404),
        (cast.officer_dukcapil(), {"mall": 99999999, "service": akta.pk}, 404),
    ]
    for user, body, status in refused:
        response = signed_in(user).post(OPEN, {**body, "received_on": "2026-11-02"})
        assert response.status_code == status, (user, body)
    assert not Application.objects.exists()


def test_a_service_not_offered_at_the_chosen_mall_is_refused(cast) -> None:
    """The Disdukcapil officer also serves at Loa Kulu, a front counter offering a few of
    Disdukcapil's services only."""
    loakulu = Mall.objects.get(slug="mini-mpp-loa-kulu")
    service = (
        Service.objects.filter(tenant__slug="disdukcapil", offerings__mall=world.mpp())
        .exclude(offerings__mall=loakulu)
        .order_by("pk")
        .first()
    )
    assert service is not None
    body = {"mall": loakulu.pk, "service": service.pk, "received_on": "2026-11-02"}
    response = signed_in(cast.officer_dukcapil()).post(OPEN, body)
    assert response.status_code == 400 and 'data-error-for="service"' in response.content.decode()
    assert "tidak tersedia di" in response.content.decode()
    assert not Application.objects.exists()


def test_opening_is_refused_to_those_who_work_on_none(cast, client) -> None:
    assert client.get(OPEN).status_code == 302
    for user in (cast.leadership(), cast.auditor(), cast.outsider()):
        assert signed_in(user).get(OPEN).status_code == 403
        assert signed_in(user).post(OPEN, {}).status_code == 403
    assert signed_in(cast.supervisor_mpp()).head(OPEN).status_code == 200
