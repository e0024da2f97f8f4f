"""Complaints' pages: the public form (prefill from the link, bad and hostile input, the
honeypot, the rate limit), the complaint's page (404, nothing personal, the follow-up), the
staff's list and steps (403/404, each action), and the report with its workbook."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from mpp.complaints import actions
from mpp.complaints.api import COMPLAINTS_PER_HOUR, PAGES_PER_HOUR
from mpp.complaints.models import Complaint, Reply, Status
from mpp.complaints.tests import world
from mpp.core.models import AuditEntry

pytestmark = pytest.mark.django_db
NEW = "/pengaduan/baru/"


@pytest.fixture(autouse=True)
def _thursday(kukar):  # type: ignore[no-untyped-def]
    with time_machine.travel(world.THURSDAY_9, tick=False):
        yield


def _post(client: Client, **data: str):  # type: ignore[no-untyped-def]
    body = {"text": "Antrean lama.", "topic": "antrean", "website": ""}
    body.update(data)
    return client.post(NEW, body)


def test_the_form_is_prefilled_from_the_link_and_ignores_unknown_ids(client: Client):
    service, mall = world.akta(), world.mpp()
    page = client.get(f"{NEW}?sumber=layanan&layanan={service.pk}&mal={mall.pk}&kode=A-012")
    html = page.content.decode()
    assert page.status_code == 200 and "noindex" in html and "www.lapor.go.id" in html
    assert service.name in html and mall.short_name in html and "A-012" in html
    unknown = client.get(f"{NEW}?sumber=nakal&layanan=999999&mal=abc&kode=<b>")
    assert unknown.status_code == 200
    assert 'name="sumber" value="lainnya"' in unknown.content.decode()
    assert "&lt;b&gt;" not in unknown.content.decode()


def test_filing_shows_the_grouped_code_and_the_verify_by_date(client: Client):
    service, mall = world.akta(), world.mpp()
    page = _post(
        client, sumber="layanan", layanan=str(service.pk), mal=str(mall.pk), kode="a-012",
        contact="081234567890",
    )  # fmt: skip
    complaint = Complaint.objects.get()
    html = page.content.decode()
    assert page.status_code == 200 and complaint.grouped_code in html
    assert "19 Agustus 2026" in html
    assert reverse("complaints:track", args=[complaint.code]) in html
    assert (complaint.mall, complaint.service, complaint.source) == (mall, service, "layanan")
    assert complaint.reference == "A-012" and complaint.contact == "6281234567890"
    assert page["Cache-Control"] == "no-store"


def test_hostile_text_stays_text(client: Client):
    _post(client, text='<script>alert("x")</script> =HYPERLINK("http://x")')
    complaint = Complaint.objects.get()
    page = client.get(reverse("complaints:track", args=[complaint.code]))
    html = page.content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;" in html


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"text": ""}, "text"),
        ({"text": "x" * (actions.MAX_TEXT + 1)}, "text"),
        ({"contact": "bukan-kontak"}, "contact"),
        ({"happened_on": "2026-08-14"}, "happened_on"),
        ({"happened_on": "kemarin"}, "happened_on"),
        ({"topic": "bukan"}, "topic"),
    ],
)
def test_bad_input_is_shown_next_to_its_field_and_nothing_is_written(client: Client, data, field):
    page = _post(client, **data)
    assert page.status_code == 400
    assert f'data-error-for="{field}"' in page.content.decode()
    assert not Complaint.objects.exists()


def test_a_bot_that_fills_the_hidden_field_is_refused(client: Client):
    assert _post(client, website="http://spam.example").status_code == 400
    assert not Complaint.objects.exists()


def test_filing_is_rate_limited_per_address(client: Client):
    for _ in range(COMPLAINTS_PER_HOUR):
        assert _post(client).status_code == 200
    assert _post(client).status_code == 429
    assert Complaint.objects.count() == COMPLAINTS_PER_HOUR


def test_the_form_needs_its_csrf_token():
    client = Client(enforce_csrf_checks=True)
    assert client.post(NEW, {"text": "x", "topic": "lainnya"}).status_code == 403


def test_the_complaints_page_shows_public_replies_and_nothing_personal(client: Client, cast):
    complaint = world.verified(contact="081234567890")
    actions.reply_to_complaint(
        complaint=complaint, text="Catatan rahasia", is_internal=True, acting_user=None
    )
    actions.reply_to_complaint(
        complaint=complaint, text="Jawaban kami", is_internal=False, acting_user=None
    )
    page = client.get(f"/pengaduan/{complaint.grouped_code.lower()}/")
    html = page.content.decode()
    assert page.status_code == 200 and "Jawaban kami" in html and "Catatan rahasia" not in html
    assert "0812" not in html and "6281234567890" not in html and "noindex" in html
    assert "21 Agustus 2026" in html  # answer by: 5 working days
    assert client.get("/pengaduan/AAAA-BBBB-CCCC/").status_code == 404
    assert client.get("/pengaduan/pendek/").status_code == 404


def test_the_complainant_adds_a_message_and_a_lapor_number(client: Client):
    complaint = world.filed()
    url = reverse("complaints:track", args=[complaint.code])
    done = client.post(url, {"text": "Tambahan", "lapor_number": "1234567", "website": ""})
    assert done.status_code == 302
    complaint.refresh_from_db()
    assert complaint.lapor_number == "1234567"
    assert Reply.objects.get().from_complainant
    assert client.post(url, {"text": "", "lapor_number": ""}).status_code == 400
    assert client.post(url, {"lapor_number": "<b>"}).status_code == 400


def test_the_complaints_page_is_rate_limited(client: Client):
    complaint = world.filed()
    url = reverse("complaints:track", args=[complaint.code])
    cache.clear()
    for _ in range(PAGES_PER_HOUR):
        client.get(url)
    assert client.get(url).status_code == 429


# --- staff ---------------------------------------------------------------------------------


def _as(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_the_list_shows_each_person_their_complaints_with_late_flags(cast):
    at_mpp = world.filed()
    at_loakulu = world.filed(mall=world.loakulu())
    no_mall = world.filed(mall=None)
    assigned = world.verified()
    with time_machine.travel(dt.datetime(2026, 8, 20, 9, 0, tzinfo=world.WITA), tick=False):
        sup = _as(cast.supervisor_mpp()).get("/petugas/pengaduan/").content.decode()
        adm = _as(cast.regency_admin()).get("/petugas/pengaduan/").content.decode()
        off = _as(cast.officer_dukcapil()).get("/petugas/pengaduan/").content.decode()
        late = _as(cast.supervisor_mpp()).get("/petugas/pengaduan/?terlambat=1").content.decode()
    assert at_mpp.grouped_code in sup and at_loakulu.grouped_code not in sup
    assert no_mall.grouped_code not in sup and no_mall.grouped_code in adm
    assert at_loakulu.grouped_code in adm
    assert assigned.grouped_code in off and at_mpp.grouped_code not in off
    assert f'data-complaint="{at_mpp.pk}" data-late' in sup
    assert at_mpp.grouped_code in late and assigned.grouped_code not in late
    assert _as(cast.leadership()).get("/petugas/pengaduan/").status_code == 403
    assert Client().get("/petugas/pengaduan/").status_code == 302


def test_staff_pages_answer_404_for_unknown_and_403_out_of_scope(cast):
    complaint = world.filed()
    loakulu = _as(cast.supervisor_loakulu())
    officer = _as(cast.officer_dukcapil())
    assert loakulu.get("/petugas/pengaduan/999999/").status_code == 404
    assert loakulu.get(f"/petugas/pengaduan/{complaint.pk}/").status_code == 403
    assert officer.get(f"/petugas/pengaduan/{complaint.pk}/").status_code == 403  # not verified
    for step in ("verifikasi", "tolak", "tutup"):
        assert loakulu.post(f"/petugas/pengaduan/{complaint.pk}/{step}/").status_code == 403
        assert officer.post(f"/petugas/pengaduan/{complaint.pk}/{step}/").status_code == 403
        assert loakulu.post(f"/petugas/pengaduan/999999/{step}/").status_code == 404
    assert (
        loakulu.post(f"/petugas/pengaduan/{complaint.pk}/tanggapi/", {"text": "x"}).status_code
        == 403
    )
    complaint.refresh_from_db()
    assert complaint.status == Status.RECEIVED and not complaint.replies.exists()


def test_the_supervisor_verifies_the_officer_answers_and_the_supervisor_closes(cast):
    complaint = world.filed(contact="warga@contoh.id")
    sup, off = _as(cast.supervisor_mpp()), _as(cast.officer_dukcapil())
    page = sup.get(f"/petugas/pengaduan/{complaint.pk}/").content.decode()
    assert "w•••@contoh.id" in page and "warga@contoh.id" not in page
    assert (
        sup.post(f"/petugas/pengaduan/{complaint.pk}/verifikasi/", {"tenant": "x"}).status_code
        == 400
    )
    imigrasi_elsewhere = world.filed(mall=world.loakulu())
    refused = _as(cast.supervisor_loakulu()).post(
        f"/petugas/pengaduan/{imigrasi_elsewhere.pk}/verifikasi/", {"tenant": world.imigrasi().pk}
    )
    assert refused.status_code == 400  # Imigrasi does not serve at Loa Kulu: not a choice
    done = sup.post(
        f"/petugas/pengaduan/{complaint.pk}/verifikasi/", {"tenant": world.dukcapil().pk}
    )
    assert done.status_code == 302
    assert (
        sup.post(
            f"/petugas/pengaduan/{complaint.pk}/verifikasi/", {"tenant": world.dukcapil().pk}
        ).status_code
        == 409
    )
    assert off.post(f"/petugas/pengaduan/{complaint.pk}/tanggapi/", {"text": ""}).status_code == 400
    assert (
        off.post(
            f"/petugas/pengaduan/{complaint.pk}/tanggapi/", {"text": "Sudah kami tindak lanjuti."}
        ).status_code
        == 302
    )
    assert sup.post(f"/petugas/pengaduan/{complaint.pk}/tutup/").status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED and complaint.answered_at is not None
    assert sup.post(f"/petugas/pengaduan/{complaint.pk}/tutup/").status_code == 409
    actions_logged = set(
        AuditEntry.objects.filter(object_id=str(complaint.pk)).values_list("action", flat=True)
    )
    assert {"complaint.verified", "complaint.replied", "complaint.closed"} <= actions_logged


def test_the_regency_admin_dismisses_with_a_reason_the_complainant_reads(cast, client: Client):
    complaint = world.filed(mall=None)
    adm = _as(cast.regency_admin())
    assert adm.post(f"/petugas/pengaduan/{complaint.pk}/tolak/", {"reason": ""}).status_code == 400
    assert (
        adm.post(
            f"/petugas/pengaduan/{complaint.pk}/tolak/", {"reason": "Bukan <b>layanan</b> MPP."}
        ).status_code
        == 302
    )
    page = client.get(reverse("complaints:track", args=[complaint.code])).content.decode()
    assert "Bukan &lt;b&gt;layanan&lt;/b&gt; MPP." in page
    assert (
        _as(cast.supervisor_mpp())
        .post(f"/petugas/pengaduan/{complaint.pk}/tolak/", {"reason": "x"})
        .status_code
        == 403
    )


# --- the report ------------------------------------------------------------------------------


def _known_month() -> None:
    """MPP Kukar in August 2026: four complaints to Disdukcapil (one answered in time after 1
    day, one answered late, one verified and overdue on the 31st, one dismissed), one not yet
    verified; one at Loa Kulu."""
    tenant = world.dukcapil()
    tenant.complaint_days = 1
    tenant.save()
    in_time = world.filed(topic="antrean")
    late = world.filed(topic="antrean")
    overdue = world.filed(topic="petugas")
    dismissed = world.filed(topic="biaya")
    world.filed(topic="sarana")
    world.filed(mall=world.loakulu())
    with time_machine.travel(dt.datetime(2026, 8, 14, 9, 0, tzinfo=world.WITA), tick=False):
        for c in (in_time, late, overdue):
            world.verified(c)  # answer by Tuesday the 18th
        actions.dismiss_complaint(complaint=dismissed, reason="Ganda.", acting_user=None)
    with time_machine.travel(dt.datetime(2026, 8, 15, 9, 0, tzinfo=world.WITA), tick=False):
        actions.reply_to_complaint(
            complaint=in_time, text="Ya", is_internal=False, acting_user=None
        )
    with time_machine.travel(dt.datetime(2026, 8, 20, 9, 0, tzinfo=world.WITA), tick=False):
        actions.reply_to_complaint(complaint=late, text="Ya", is_internal=False, acting_user=None)


def test_the_report_counts_a_known_month(cast):
    from mpp.complaints.queries import complaints_report

    _known_month()
    mall = world.mpp()
    with time_machine.travel(dt.datetime(2026, 8, 31, 9, 0, tzinfo=world.WITA), tick=False):
        report = complaints_report(
            region=mall.region, mall=mall, first=dt.date(2026, 8, 1), last=dt.date(2026, 8, 31)
        )
    t = report.total
    assert (t.received, t.verified, t.dismissed, t.answered) == (5, 3, 1, 2)
    assert (t.due, t.in_time, t.open, t.overdue) == (3, 1, 2, 2)
    assert t.share_in_time == pytest.approx(1 / 3)
    assert t.verify_median == pytest.approx(1.0) and t.verify_mean == pytest.approx(1.0)
    assert t.answer_days == [pytest.approx(1.0), pytest.approx(6.0)]
    assert t.answer_median == pytest.approx(3.5)
    by_tenant = {f.label: f.received for f in report.tenants}
    assert by_tenant == {"Disdukcapil": 3, "": 2} or by_tenant[world.dukcapil().short_name] == 3
    assert dict(report.topics)["Antrean dan waktu tunggu"] == 2


def test_the_report_page_and_workbook_by_role(cast):
    _known_month()
    mall = world.mpp()
    with time_machine.travel(dt.datetime(2026, 8, 31, 9, 0, tzinfo=world.WITA), tick=False):
        sup = _as(cast.supervisor_mpp())
        page = sup.get("/petugas/pengaduan/laporan/?bulan=2026-08")
        assert page.status_code == 200 and "33 %" in page.content.decode()
        assert sup.get(f"/petugas/pengaduan/laporan/?mal={world.loakulu().pk}").status_code == 403
        assert sup.get("/petugas/pengaduan/laporan/?mal=kabupaten").status_code == 403
        assert sup.get("/petugas/pengaduan/laporan/?mal=999999").status_code == 404
        region = _as(cast.auditor()).get("/petugas/pengaduan/laporan/?mal=kabupaten&bulan=2026-08")
        assert region.status_code == 200
        assert _as(cast.officer_dukcapil()).get("/petugas/pengaduan/laporan/").status_code == 403
        sheet = _as(cast.leadership()).get(
            f"/petugas/pengaduan/laporan.xlsx?mal={mall.pk}&bulan=2026-08"
        )
    assert sheet.status_code == 200
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(sheet.content))
    rows = list(book["Per instansi"].iter_rows(values_only=True))
    assert rows[-1][:7] == ("Jumlah", 5, 3, 1, 2, 3, 1)


def test_a_typed_tracking_code_opens_its_page_in_any_case_with_or_without_dashes(
    client: Client,
):
    complaint = world.filed()
    typed = f"{complaint.code[:4].lower()}-{complaint.code[4:8]} {complaint.code[8:].lower()}"
    response = client.get(reverse("complaints:lookup"), {"kode": typed})
    assert response.status_code == 302
    assert response["Location"] == reverse("complaints:track", args=[complaint.code])
    assert client.get(response["Location"]).status_code == 200


def test_the_lookup_form_says_what_a_code_looks_like(client: Client):
    empty = client.get(reverse("complaints:lookup"))
    assert empty.status_code == 200 and 'name="kode"' in empty.content.decode()
    for typed in ("12345", "<script>alert(1)</script>", "0OIL0OIL0OIL"):
        response = client.get(reverse("complaints:lookup"), {"kode": typed})
        assert response.status_code == 400
        html = response.content.decode()
        assert "terdiri dari 12 huruf dan angka" in html
        assert "<script>alert" not in html
    # A well-formed code that names nothing goes to its page, which is a plain 404.
    response = client.get(reverse("complaints:lookup"), {"kode": "2345-6789-ABCD"}, follow=True)
    assert response.status_code == 404


def test_the_supervisor_sends_a_verified_complaint_to_another_agency(cast):
    supervisor = cast.supervisor_mpp()
    complaint = world.verified(by=supervisor)
    client = Client()
    client.force_login(supervisor)
    page = client.get(reverse("complaints:staff-detail", args=[complaint.pk]))
    assert "data-reassign" in page.content.decode()
    url = reverse("complaints:verify", args=[complaint.pk])
    same = client.post(url, {"tenant": world.dukcapil().pk})
    assert same.status_code == 409
    moved = client.post(url, {"tenant": world.imigrasi().pk})
    assert moved.status_code == 302
    complaint.refresh_from_db()
    assert complaint.tenant == world.imigrasi() and complaint.status == Status.VERIFIED
    officer = Client()
    officer.force_login(cast.officer_dukcapil())
    assert officer.post(url, {"tenant": world.dukcapil().pk}).status_code == 403
