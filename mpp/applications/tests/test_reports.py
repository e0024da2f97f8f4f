"""The applications report (reports.py, issue 22 item 4): on time against the standard per
service, for a day or a month, with known rows made directly (explicit due_at, completed_at).

November 2026 at MPP Kukar (WITA); the report read on 7 December 2026:

| # | service | received | due (as stored) | completed | in November |
| 1 | akta | 2 Nov | 5 Nov | 4 Nov | received, on time |
| 2 | akta | 2 Nov | 5 Nov | 10 Nov | received, late |
| 3 | akta | 20 Nov | 25 Nov | - | received, open and overdue at its end |
| 4 | ktp | 28 Nov | 3 Dec | - | received, open, not yet due |
| 5 | ktp | 30 Oct | 3 Nov | 2 Nov | completed on time (received in October) |
| 6 | akta | 3 Nov | 11 Nov (paused 3 days) | 10 Nov | received, on time thanks to the stop |
| 7 | paspor | 5 Nov | no fixed time | 20 Nov | received, completed without a deadline |
| 8 | akta at Loa Kulu | 2 Nov | 5 Nov | 10 Nov | another mall: not counted |
| 9 | akta | 1 Dec | 4 Dec | - | December: not counted |
"""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from mpp.applications.models import Application, Pause, new_code
from mpp.applications.reports import Period, application_report
from mpp.catalog.models import Service
from mpp.malls.models import Mall

WITA = ZoneInfo("Asia/Makassar")
NOW = dt.datetime(2026, 12, 7, 10, 0, tzinfo=WITA)
NOVEMBER = Period.month(2026, 11)


def at(month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, 0, tzinfo=WITA)


def end_of(month: int, day: int) -> dt.datetime:
    return at(month, day, 0) + dt.timedelta(days=1)


def application(
    mall: Mall,
    service: Service,
    received: dt.datetime,
    due: dt.datetime | None,
    completed: dt.datetime | None = None,
) -> Application:
    return Application.objects.create(
        code=new_code(),
        mall=mall,
        service=service,
        status="selesai" if completed else "diproses",
        received_at=received,
        received_on=received.astimezone(WITA).date(),
        duration_value=3 if due else None,
        duration_unit="hari_kerja" if due else "",
        due_date=(due - dt.timedelta(days=1)).date() if due else None,
        due_at=due,
        completed_at=completed,
    )


@pytest.fixture
def world(kukar, mall_mpp, mall_loakulu, service_by_slug, time_machine):
    time_machine.move_to(NOW, tick=False)
    akta = service_by_slug("akta-kelahiran")
    ktp = service_by_slug("penggantian-ktp-el")
    paspor = service_by_slug("paspor-biasa-baru")
    application(mall_mpp, akta, at(11, 2), end_of(11, 5), at(11, 4))
    application(mall_mpp, akta, at(11, 2), end_of(11, 5), at(11, 10))
    application(mall_mpp, akta, at(11, 20), end_of(11, 25))
    application(mall_mpp, ktp, at(11, 28), end_of(12, 3))
    application(mall_mpp, ktp, at(10, 30), end_of(11, 3), at(11, 2))
    paused = application(mall_mpp, akta, at(11, 3), end_of(11, 11), at(11, 10))
    Pause.objects.create(
        application=paused, started_at=at(11, 4), ended_at=at(11, 7), reason="Kurang KK"
    )
    application(mall_mpp, paspor, at(11, 5), None, at(11, 20))
    application(mall_loakulu, akta, at(11, 2), end_of(11, 5), at(11, 10))
    application(mall_mpp, akta, at(12, 1), end_of(12, 4))
    return {"akta": akta, "ktp": ktp, "paspor": paspor}


def _rows(report):  # type: ignore[no-untyped-def]
    return {row.service: row for _tenant, rows in report.tenants for row in rows}


def test_a_month_counts_on_time_late_and_open_overdue_per_service(world, mall_mpp):
    report = application_report(mall=mall_mpp, period=NOVEMBER, now=NOW)

    rows = _rows(report)
    akta, ktp, paspor = (rows[world[k].name] for k in ("akta", "ktp", "paspor"))
    assert (akta.received, akta.completed, akta.on_time, akta.late) == (4, 3, 2, 1)
    assert (akta.open, akta.overdue) == (1, 1)  # #3 at 1 December 00:00
    assert (ktp.received, ktp.completed, ktp.on_time, ktp.late) == (1, 1, 1, 0)
    assert (ktp.open, ktp.overdue) == (1, 0)
    assert (paspor.completed, paspor.without_deadline, paspor.on_time_share) == (1, 1, None)
    assert akta.standard == world["akta"].duration
    total = report.total
    assert (total.received, total.completed, total.on_time, total.late) == (6, 5, 3, 1)
    assert (total.without_deadline, total.open, total.overdue) == (1, 2, 1)
    assert total.on_time_share == 0.75
    assert report.as_of == end_of(11, 30)


def test_the_clock_stop_is_respected_through_the_stored_due_time(world, mall_mpp):
    """#6 finished on 10 November, after its first due day (6 November) but within the due
    time its three days with the citizen pushed to 11 November: on time."""
    report = application_report(mall=mall_mpp, period=Period.day(dt.date(2026, 11, 10)), now=NOW)
    akta = _rows(report)[world["akta"].name]
    assert (akta.completed, akta.on_time, akta.late) == (2, 1, 1)


def test_the_median_days_to_complete_is_computed_per_service_and_for_the_mall(world, mall_mpp):
    report = application_report(mall=mall_mpp, period=NOVEMBER, now=NOW)
    rows = _rows(report)
    # akta: 2, 7 and 8 days; ktp: 3 days; paspor: 15 days; all five: 2, 3, 7, 8, 15.
    assert rows[world["akta"].name].median_days == 7.0
    assert rows[world["ktp"].name].median_days == 3.0
    assert report.total.median_days == 7.0
    (dukcapil, _services), *_others = report.tenants
    assert dukcapil.median_days == 5.0  # 2, 3, 7, 8: the middle two's mean


def test_a_running_month_counts_open_and_overdue_now(world, mall_mpp):
    report = application_report(mall=mall_mpp, period=Period.month(2026, 12), now=NOW)
    assert report.as_of == NOW
    total = report.total
    # Open now: #3 (overdue since 25 November), #4 (due 3 December), #9 (due 4 December).
    assert (total.received, total.completed, total.open, total.overdue) == (1, 0, 3, 3)


def test_the_report_is_a_bounded_number_of_queries(world, mall_mpp, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        application_report(mall=mall_mpp, period=NOVEMBER, now=NOW)


# --- the page --------------------------------------------------------------------------------


def url(slug: str = "mpp-kukar") -> str:
    return reverse("applications:report", args=[slug])


def test_the_supervisor_reads_the_month_and_downloads_it(client, cast, world):
    client.force_login(cast.supervisor_mpp())
    page = client.get(url(), {"bulan": "2026-11"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "data-total-received>6<" in html and "data-total-overdue>1<" in html
    assert "75%" in html and world["paspor"].name in html
    sheet = client.get(url(), {"bulan": "2026-11", "format": "xlsx"})
    assert sheet["Content-Disposition"] == (
        'attachment; filename="laporan-permohonan-mpp-kukar-2026-11.xlsx"'
    )
    rows = list(load_workbook(io.BytesIO(sheet.content)).active.values)
    total = rows[-1]
    assert total[0] == "Seluruh mal" and total[3:8] == (6, 5, 3, 1, 1)
    assert total[8] == 0.75 and total[9:11] == (2, 1)


def test_a_service_name_never_becomes_a_formula_in_the_workbook(client, cast, world):
    Service.objects.filter(pk=world["akta"].pk).update(name="=HYPERLINK(1)")
    client.force_login(cast.supervisor_mpp())
    sheet = client.get(url(), {"bulan": "2026-11", "format": "xlsx"})
    cells = [c for row in load_workbook(io.BytesIO(sheet.content)).active for c in row]
    cell = next(c for c in cells if c.value == "=HYPERLINK(1)")
    assert cell.data_type == "s"


def test_a_tenant_officer_reads_only_their_tenants_lines(client, cast, world):
    client.force_login(cast.officer_dukcapil())
    page = client.get(url(), {"bulan": "2026-11"})
    assert page.status_code == 200
    html = page.content.decode()
    assert world["akta"].name in html and world["paspor"].name not in html
    assert page.context["report"].total.received == 5


@pytest.mark.parametrize("who", ["regency_admin", "leadership", "auditor"])
def test_the_regencys_readers_read_every_mall(client, cast, world, who):
    client.force_login(getattr(cast, who)())
    assert client.get(url("mini-mpp-loa-kulu"), {"tanggal": "2026-11-10"}).status_code == 200


@pytest.mark.parametrize("who", ["supervisor_loakulu", "outsider", "officer_imigrasi"])
def test_others_are_refused(client, cast, world, who):
    client.force_login(getattr(cast, who)())
    slug = "mini-mpp-loa-kulu" if who == "officer_imigrasi" else "mpp-kukar"
    assert client.get(url(slug)).status_code == 403


def test_an_unknown_mall_is_404_and_a_visitor_signs_in(client, cast, world):
    assert client.get(url()).status_code == 302
    client.force_login(cast.supervisor_mpp())
    assert client.get(url("tidak-ada")).status_code == 404


@pytest.mark.parametrize(
    "params",
    [
        {"bulan": "2026-13"},
        {"bulan": "November"},
        {"bulan": "2027-01"},
        {"tanggal": "2026-11-31"},
        {"tanggal": "2026-12-08"},
        {"bulan": "2026-11", "tanggal": "2026-11-10"},
        {"format": "pdf"},
    ],
)
def test_a_bad_period_is_400(client, cast, world, params):
    client.force_login(cast.supervisor_mpp())
    response = client.get(url(), params)
    assert response.status_code == 400
    assert "Permintaan tidak dapat dibaca" in response.content.decode()


def test_without_a_period_the_running_month_is_shown(client, cast, world):
    client.force_login(cast.supervisor_mpp())
    page = client.get(url())
    assert page.context["report"].period == Period.month(2026, 12)


def test_head_answers_like_get(client, cast, world):
    client.force_login(cast.supervisor_mpp())
    head = client.head(url(), {"bulan": "2026-11"})
    assert head.status_code == 200 and head.content == b""
    assert client.post(url()).status_code == 405
