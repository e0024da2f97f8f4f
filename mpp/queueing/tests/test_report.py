"""The supervisor's daily report (HTML and XLSX) and moving counters between tenants."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from mpp.catalog.models import Tenant
from mpp.core.models import AuditEntry
from mpp.queueing import actions
from mpp.queueing.exceptions import WrongState
from mpp.queueing.models import Counter, Ticket
from mpp.queueing.queries import daily_report, percentile

MINUTE = dt.timedelta(minutes=1)


@pytest.fixture
def a_day(monday, issue, dukcapil_counters, cast, service_by_slug):  # type: ignore[no-untyped-def]
    """Five citizens at Disdukcapil: two served (KTP recording, standard 15 minutes: one in 10,
    one in 20 minutes), one no-show, one sent on to SKCK, one still waiting."""
    officer = cast.officer_dukcapil()
    counter = dukcapil_counters[0]
    for _ in range(4):
        issue("perekaman-ktp-el")
    monday.shift(4 * MINUTE)
    issue("akta-kelahiran")

    def call() -> Ticket:
        ticket = actions.call_next_ticket(counter=counter, acting_user=officer)
        assert ticket is not None
        return ticket

    for minutes in (10, 20):  # waits of 4 and 14 minutes
        ticket = call()
        actions.start_ticket(ticket=ticket, acting_user=officer)
        monday.shift(minutes * MINUTE)
        actions.finish_ticket(ticket=ticket, outcome=Ticket.Outcome.DONE, acting_user=officer)
    absent = call()
    for _ in range(2):
        actions.recall_ticket(ticket=absent, acting_user=officer)
    actions.mark_no_show(ticket=absent, acting_user=officer)
    moved = call()
    actions.transfer_ticket(ticket=moved, service=service_by_slug("skck-baru"), acting_user=officer)
    return monday


def test_the_report_counts_visitors_outcomes_and_times(a_day, mall_mpp):  # type: ignore[no-untyped-def]
    report = daily_report(mall_mpp, dt.date(2026, 11, 30))
    total = report["total"]
    assert total.visitors == 5  # the transferred citizen is one visitor, not two
    assert (total.served, total.no_shows, total.transferred) == (2, 1, 1)
    assert total.still_waiting == 2  # the akta citizen and the one sent on to SKCK
    services = [s for _tenant, rows in report["tenants"] for s in rows]
    ktp = next(s for s in services if s.service == "Perekaman KTP Elektronik (KTP-el)")
    assert ktp.standard_minutes == 15
    assert ktp.service_times == [10.0, 20.0]
    assert ktp.service_mean == 15.0 and ktp.service_p90 == 20.0
    assert ktp.waits[:2] == [4.0, 14.0]
    assert ktp.within_standard == 1 and ktp.within_standard_percent == 50


def test_percentiles_are_nearest_rank():
    assert percentile([], 90) is None
    assert percentile([5.0], 90) == 5.0
    assert percentile([float(n) for n in range(1, 11)], 90) == 9.0
    assert percentile([float(n) for n in range(1, 21)], 90) == 18.0


def test_the_supervisor_reads_the_report_and_downloads_it(  # type: ignore[no-untyped-def]
    a_day, client, cast, django_assert_max_num_queries
):
    client.force_login(cast.supervisor_mpp())
    url = reverse("queueing:report", args=["mpp-kukar"])
    with django_assert_max_num_queries(12):
        page = client.get(url, {"tanggal": "2026-11-30"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Perekaman KTP Elektronik (KTP-el)" in html and "data-visitors>5<" in html
    xlsx = client.get(url, {"tanggal": "2026-11-30", "format": "xlsx"})
    assert xlsx.status_code == 200
    assert xlsx["Content-Disposition"].endswith('laporan-antrean-mpp-kukar-2026-11-30.xlsx"')
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    header = next(r for r in rows if r[0] == "Instansi")
    total = rows[-1]
    assert total[header.index("Pengunjung baru")] == 5
    # The sheet adds up like the page: new + transferred in = every way a number ends.
    ends = ["Dilayani", "Tidak hadir", "Dialihkan keluar", "Dibatalkan warga", "Masih menunggu"]
    ends.append("Sedang dipanggil / dilayani")
    arrivals = total[header.index("Pengunjung baru")] + total[header.index("Dialihkan masuk")]
    assert arrivals == sum(total[header.index(name)] for name in ends)
    assert total[header.index("Tidak hadir")] == 1
    ktp = next(r for r in rows if r[1] == "Perekaman KTP Elektronik (KTP-el)")
    assert ktp[header.index("P90 layanan (menit)")] == 20.0
    assert ktp[header.index("Sesuai standar")] == 0.5


def test_an_empty_day_has_a_report_too(client, monday, cast):  # type: ignore[no-untyped-def]
    client.force_login(cast.supervisor_mpp())
    page = client.get(reverse("queueing:report", args=["mpp-kukar"]))
    assert page.status_code == 200 and "Belum ada nomor antrean" in page.content.decode()


@pytest.mark.parametrize(
    ("query", "words"),
    [({"tanggal": "30-11-2026"}, "TTTT-BB-HH"), ({"tanggal": "2026-12-01"}, "belum terjadi")],
)
def test_a_bad_or_future_date_is_a_400(client, monday, cast, query, words):  # type: ignore[no-untyped-def]
    client.force_login(cast.supervisor_mpp())
    response = client.get(reverse("queueing:report", args=["mpp-kukar"]), query)
    assert response.status_code == 400 and words in response.content.decode()


def test_who_may_read_the_report(client, monday, cast):  # type: ignore[no-untyped-def]
    url = reverse("queueing:report", args=["mpp-kukar"])
    for person, status in [
        (cast.leadership(), 200),
        (cast.auditor(), 200),
        (cast.regency_admin(), 200),
        (cast.supervisor_loakulu(), 403),
        (cast.officer_dukcapil(), 403),
        (cast.outsider(), 403),
    ]:
        client.force_login(person)
        assert client.get(url).status_code == status, person
    assert client.get(reverse("queueing:report", args=["tidak-ada"])).status_code == 404


# --- moving counters ------------------------------------------------------------------------


def test_the_supervisor_moves_a_counter_to_another_tenant(  # type: ignore[no-untyped-def]
    client, monday, cast, mall_mpp, dukcapil_counters
):
    counter = dukcapil_counters[0]
    imigrasi = Tenant.objects.get(slug="imigrasi-samarinda")
    supervisor = cast.supervisor_mpp()
    client.force_login(supervisor)
    url = reverse("queueing:reassign-counter", args=["mpp-kukar", counter.pk])
    # Asked first: the page says the counter will close and where it goes, and nothing moves.
    asked = client.post(url, {"tenant": imigrasi.pk})
    assert asked.status_code == 200
    assert "akan ditutup dan dipindahkan ke Imigrasi" in asked.content.decode()
    counter.refresh_from_db()
    assert counter.tenant.slug == "disdukcapil" and counter.status == Counter.Status.OPEN
    response = client.post(url, {"tenant": imigrasi.pk, "confirmed": "1"}, follow=True)
    assert response.redirect_chain[-1][1] == 302
    assert f"Loket {counter.number} ditutup dan dipindahkan ke Imigrasi" in (
        response.content.decode()
    )
    counter.refresh_from_db()
    assert counter.tenant == imigrasi and counter.status == Counter.Status.CLOSED
    assert counter.officer is None
    assert set(counter.queues.values_list("tenants__slug", flat=True)) == {"imigrasi-samarinda"}
    entry = AuditEntry.objects.get(action="counter.reassigned")
    assert entry.actor_id == supervisor.pk and entry.data == {
        "from": "disdukcapil",
        "to": "imigrasi-samarinda",
    }
    # the Disdukcapil officer may no longer work there; an immigration officer may
    assert client.get(reverse("queueing:supervisor", args=["mpp-kukar"])).status_code == 200
    client.force_login(cast.officer_dukcapil())
    assert client.get(reverse("queueing:console", args=[counter.pk])).status_code == 403
    client.force_login(cast.officer_imigrasi())
    assert client.get(reverse("queueing:console", args=[counter.pk])).status_code == 200


def test_a_counter_serving_someone_is_not_moved(monday, issue, cast, dukcapil_counters):  # type: ignore[no-untyped-def]
    issue()
    counter = dukcapil_counters[0]
    called = actions.call_next_ticket(counter=counter, acting_user=cast.officer_dukcapil())
    assert called is not None
    with pytest.raises(WrongState, match=f"masih melayani nomor {called.display_number}"):
        actions.reassign_counter(
            counter=counter,
            tenant=Tenant.objects.get(slug="imigrasi-samarinda"),
            acting_user=cast.supervisor_mpp(),
        )
    counter.refresh_from_db()
    assert counter.tenant.slug == "disdukcapil" and counter.status == Counter.Status.OPEN


def test_moving_a_counter_refuses_bad_input_and_outsiders(  # type: ignore[no-untyped-def]
    client, monday, cast, dukcapil_counters
):
    counter = dukcapil_counters[0]
    url = reverse("queueing:reassign-counter", args=["mpp-kukar", counter.pk])
    absent = Tenant.objects.exclude(mall_tenants__mall__slug="mpp-kukar").first()
    client.force_login(cast.supervisor_mpp())
    assert client.post(url, {"tenant": "bukan-angka"}).status_code == 400
    if absent is not None:
        refused = client.post(url, {"tenant": absent.pk})
        assert refused.status_code == 400 and "tidak bertugas" in refused.content.decode()
    assert client.get(url).status_code == 405
    other_mall = reverse("queueing:reassign-counter", args=["mini-mpp-loa-kulu", counter.pk])
    assert client.post(other_mall, {"tenant": ""}).status_code == 404
    for person in (cast.supervisor_loakulu(), cast.officer_dukcapil(), cast.leadership()):
        client.force_login(person)
        assert client.post(url, {"tenant": ""}).status_code == 403
    counter.refresh_from_db()
    assert counter.tenant.slug == "disdukcapil"
