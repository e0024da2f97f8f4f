"""The daily report adds up, and the supervisor's page flags a queue that needs action."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from mpp.queueing import actions
from mpp.queueing.models import Ticket
from mpp.queueing.queries import QueueLevel, daily_report, queue_level


def outcomes(row) -> int:  # type: ignore[no-untyped-def]
    return (
        row.served
        + row.no_shows
        + row.transferred
        + getattr(row, "cancelled", 0)
        + row.still_waiting
        + row.in_progress
    )


def test_every_row_of_the_report_adds_up_also_with_a_transfer(  # type: ignore[no-untyped-def]
    monday, issue, dukcapil_counters, cast, mall_mpp, service_by_slug
):
    """A number transferred to SKCK arrives there: the SKCK row says 1 arrival (transferred
    in) and 1 still waiting, not 0 visitors and 1 waiting; the mall counts the citizen once."""
    officer = cast.officer_dukcapil()
    counter = dukcapil_counters[0]
    issue("perekaman-ktp-el")
    issue("perekaman-ktp-el")
    issue("akta-kelahiran")
    moved = actions.call_next_ticket(counter=counter, acting_user=officer)
    actions.transfer_ticket(ticket=moved, service=service_by_slug("skck-baru"), acting_user=officer)
    actions.call_next_ticket(counter=counter, acting_user=officer)  # in progress at the report

    report = daily_report(mall_mpp, dt.date(2026, 11, 30))
    rows = [report["total"]]
    for tenant, services in report["tenants"]:
        rows += [tenant, *services]
    for row in rows:
        assert row.arrivals == outcomes(row), (row.tenant, row.service)
    skck = next(r for _t, services in report["tenants"] for r in services if "SKCK" in r.service)
    assert (skck.visitors, skck.transferred_in, skck.still_waiting) == (0, 1, 1)
    total = report["total"]
    assert total.visitors == 3  # citizens: the transferred one once
    assert total.transferred_in == total.transferred == 1
    assert (total.still_waiting, total.in_progress) == (2, 1)


def test_the_report_page_shows_arrivals_by_transfer_and_prints_with_its_header(  # type: ignore[no-untyped-def]
    client, monday, issue, cast
):
    issue()
    client.force_login(cast.supervisor_mpp())
    html = client.get(reverse("queueing:report", args=["mpp-kukar"])).content.decode()
    assert "Dialihkan masuk" in html and "Sedang dipanggil / dilayani" in html
    assert 'class="print-only report-head"' in html and "Senin, 30 November 2026" in html
    assert "queueing/staff.css" in html


def test_queue_levels_have_thresholds_and_words():
    assert queue_level(waiting=8, counters_open=0, longest_minutes=3, max_wait_minutes=45) == (
        QueueLevel.ALARM,
        "Tidak ada loket buka",
    )
    assert queue_level(waiting=2, counters_open=1, longest_minutes=50, max_wait_minutes=45)[0] == (
        QueueLevel.ALARM
    )
    assert queue_level(waiting=8, counters_open=1, longest_minutes=5, max_wait_minutes=45) == (
        QueueLevel.BUSY,
        "Ramai",
    )
    assert queue_level(waiting=7, counters_open=1, longest_minutes=5, max_wait_minutes=45) == (
        QueueLevel.OK,
        "Lancar",
    )
    assert queue_level(waiting=0, counters_open=0, longest_minutes=None, max_wait_minutes=45)[
        0
    ] == (QueueLevel.OK)


def test_the_supervisor_sees_an_alert_for_a_queue_with_no_counter_open(  # type: ignore[no-untyped-def]
    client, monday, issue, cast
):
    """Eight waiting at Disdukcapil, every counter closed: an alert in words, the row marked;
    the page has no timed reload (it follows the mall's live events)."""
    for _ in range(8):
        issue()
    client.force_login(cast.supervisor_mpp())
    html = client.get(reverse("queueing:supervisor", args=["mpp-kukar"])).content.decode()
    assert 'http-equiv="refresh"' not in html
    assert 'id="alert-news" class="sr" role="alert"' in html and "perlu tindakan" in html
    assert 'data-level="alarm"' in html and "Tidak ada loket buka" in html
    panel = client.get(reverse("queueing:supervisor", args=["mpp-kukar"]), {"panel": 1})
    assert (
        "<html" not in panel.content.decode() and "Tidak ada loket buka" in panel.content.decode()
    )
    assert Ticket.objects.filter(status=Ticket.Status.WAITING).count() == 8
