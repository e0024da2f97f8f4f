"""The staff results page, its PDF and XLSX exports, and the follow-up plan (issue 4)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.test.signals import template_rendered
from openpyxl import load_workbook

from mpp.core.models import AuditEntry
from mpp.surveys import ikm
from mpp.surveys.models import STANDARD_CODES, FollowUpAction
from mpp.surveys.queries import Scope, index_for, period_of

pytestmark = pytest.mark.django_db

RESULTS = "/survei/hasil/"
Q4 = "kind=quarter&year=2026&n=4"


def all_(score: int | None, **overrides: int | None) -> dict[str, int | None]:
    return {**dict.fromkeys(STANDARD_CODES, score), **overrides}


@pytest.fixture
def hand_worked(monday, respond):  # type: ignore[no-untyped-def]
    """Three respondents at MPP Kukar on 30 November 2026, worked by hand:
    all 4s; all 4s with U4 blank; all 3s.
    U1–U3, U5–U9: (4 + 4 + 3) / 3 = 11/3 = 3,6667; U4: (4 + 3) / 2 = 3,5000 (the blank is no 0).
    IKM = (8 × 11/3 + 7/2) / 9 = 197/54 = 3,6481; × 25 = 91,2037 → 91,20, grade A Sangat Baik."""
    respond(all_(4), sex="P", age=34, education="S1", suggestion="Ruang tunggu kurang kursi.")
    respond(all_(4, U4=None), sex="L", age=61, occupation="PNS")
    respond(all_(3), sex="P")


def test_the_page_shows_the_hand_worked_index_and_matches_index_for(
    client, cast, mall_mpp, hand_worked, django_assert_max_num_queries
):
    client.force_login(cast.supervisor_mpp())
    with django_assert_max_num_queries(25):
        response = client.get(RESULTS)
    assert response.status_code == 200
    report = response.context["report"]
    expected = index_for(Scope(mall=mall_mpp), period_of("quarter", 2026, 4))
    assert report.index == expected
    assert report.index.ikm == ikm.Fraction(197, 54)
    assert report.index.score == Decimal("91.20")
    html = response.content.decode()
    assert "91,20" in html and "3,6481" in html and "Sangat Baik" in html
    rows = {row.code: row for row in report.elements}
    assert rows["U1"].nrr_text == "3,6667" and rows["U1"].score_text == "91,67"
    assert (rows["U4"].total, rows["U4"].answered, rows["U4"].nrr_text) == (7, 2, "3,5000")
    assert [row.code for row in report.elements] == list(STANDARD_CODES)  # U8 before U9
    assert report.index.respondents == 3
    assert "<svg" in html and "Triwulan 4 2026" in html


def test_the_profile_weakest_elements_and_suggestions_are_shown(client, cast, hand_worked):
    client.force_login(cast.supervisor_mpp())
    response = client.get(RESULTS)
    report = response.context["report"]
    profile = {t.key: {label: n for label, n, _share in t.rows} for t in report.profile}
    assert profile["sex"] == {"Laki-laki": 1, "Perempuan": 2}
    assert profile["age"] == {"30–39": 1, "≥ 60": 1, "Tidak diisi": 1}
    assert profile["education"]["S1"] == 1
    assert [row.code for row in report.weakest] == ["U4", "U1", "U2"]  # 87,50 then ties by code
    html = response.content.decode()
    assert "Ruang tunggu kurang kursi." in html


def test_the_sample_check_uses_the_served_tickets_as_population(
    client, cast, served, respond, mall_mpp
):
    served()
    served()
    respond(all_(4))
    client.force_login(cast.supervisor_mpp())
    report = client.get(RESULTS).context["report"]
    assert (report.sample.population, report.sample.required) == (2, 2)
    assert "sampel kurang, minimal 2" in client.get(RESULTS).content.decode()
    respond(all_(3))
    assert "sampel cukup" in client.get(RESULTS).content.decode()


def test_without_served_tickets_the_sample_is_not_judged(client, cast, respond):
    # Paper sheets only (no ticket served in the period): no population, no "sampel cukup".
    respond(all_(4))
    client.force_login(cast.supervisor_mpp())
    report = client.get(RESULTS).context["report"]
    assert report.sample.population == 0 and not report.sample.is_known
    html = client.get(RESULTS).content.decode()
    assert "tidak diketahui: tidak ada tiket selesai dilayani pada periode ini" in html
    assert "sampel cukup" not in html
    sheet = load_workbook(io.BytesIO(client.get(RESULTS + "unduh.xlsx").content))["Ringkasan"]
    rows = {r[0]: r[1] for r in sheet.iter_rows(values_only=True)}
    assert rows["Sampel cukup"] == "tidak diketahui (tidak ada tiket selesai dilayani)"


def test_legacy_weights_recompute_and_label_the_page(client, cast, monday, respond):
    respond(all_(4))
    client.force_login(cast.supervisor_mpp())
    exact = client.get(RESULTS).context["report"]
    assert exact.index.score == Decimal("100.00") and not exact.is_legacy
    response = client.get(f"{RESULTS}?weights=0.111")
    assert response.context["report"].index.score == Decimal("99.90")
    html = response.content.decode()
    assert "Bobot dibulatkan — hanya untuk rekonsiliasi" in html and "99,90" in html
    assert client.get(f"{RESULTS}?weights=0.11").context["report"].index.score == Decimal("99.00")


def test_the_regency_compares_its_malls_with_one_group_by(
    client, cast, monday, respond, kukar, mall_mpp, mall_loakulu, django_assert_max_num_queries
):
    respond(all_(4))
    respond(all_(2), mall=mall_loakulu)
    respond(all_(3), mall=mall_loakulu)
    client.force_login(cast.regency_admin())
    with django_assert_max_num_queries(25):
        report = client.get(RESULTS).context["report"]
    assert report.scope.mall is None and report.index.respondents == 3
    period = period_of("quarter", 2026, 4)
    assert report.index == index_for(Scope(region=kukar), period)
    by_mall = {row.label: row for row in report.comparison}
    assert by_mall[mall_mpp.name].index == index_for(Scope(mall=mall_mpp), period)
    assert by_mall[mall_loakulu.name].index.score == Decimal("62.50")  # NRR 2,5 → D
    assert by_mall[mall_loakulu.name].query.startswith(f"mall={mall_loakulu.pk}&")


def test_a_mall_compares_its_tenants_and_a_tenant_has_its_own_page(
    client, cast, monday, respond, mall_mpp
):
    from mpp.catalog.models import Tenant

    imigrasi = Tenant.objects.get(slug="imigrasi-samarinda")
    dukcapil = Tenant.objects.get(slug="disdukcapil")
    respond(all_(4))
    respond(all_(2), tenant=imigrasi)
    client.force_login(cast.supervisor_mpp())
    report = client.get(RESULTS).context["report"]
    scores = {row.label: row.index.score for row in report.comparison}
    assert scores == {dukcapil.short_name: Decimal("100.00"), imigrasi.short_name: Decimal("50.00")}
    tenant_page = client.get(f"{RESULTS}?mall={mall_mpp.pk}&tenant={imigrasi.pk}")
    assert tenant_page.context["report"].index.score == Decimal("50.00")


def test_a_tenant_officer_sees_their_tenant_at_their_first_mall(client, cast, monday, respond):
    from mpp.catalog.models import Tenant

    respond(all_(4))
    respond(all_(1), tenant=Tenant.objects.get(slug="imigrasi-samarinda"))
    client.force_login(cast.officer_dukcapil())
    report = client.get(RESULTS).context["report"]
    assert report.scope.tenant.slug == "disdukcapil"
    assert report.index.respondents == 1 and report.index.score == Decimal("100.00")


@pytest.mark.parametrize(
    ("query", "start", "end"),
    [
        ("", dt.date(2026, 10, 1), dt.date(2026, 12, 31)),  # the current quarter
        ("kind=month", dt.date(2026, 11, 1), dt.date(2026, 11, 30)),
        ("kind=month&year=2028&n=2", dt.date(2028, 2, 1), dt.date(2028, 2, 29)),
        ("kind=quarter&year=2026&n=1", dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
        ("kind=semester&year=2026&n=2", dt.date(2026, 7, 1), dt.date(2026, 12, 31)),
        ("kind=semester", dt.date(2026, 7, 1), dt.date(2026, 12, 31)),
        ("kind=year&year=2025", dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
        ("year=2025", dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
        ("kind=range&from=2026-11-15&to=2026-12-02", dt.date(2026, 11, 15), dt.date(2026, 12, 2)),
        ("from=2026-11-30&to=2026-11-30", dt.date(2026, 11, 30), dt.date(2026, 11, 30)),
    ],
)
def test_period_arithmetic(client, cast, monday, query, start, end):
    client.force_login(cast.supervisor_mpp())
    response = client.get(f"{RESULTS}?{query}")
    assert response.status_code == 200
    period = response.context["period"]
    assert (period.start, period.end) == (start, end)


def test_a_month_is_labelled_in_indonesian(client, cast, monday):
    client.force_login(cast.supervisor_mpp())
    assert client.get(f"{RESULTS}?kind=month").context["period"].label == "November 2026"


def test_a_range_counts_only_the_responses_inside_it(client, cast, monday, respond):
    respond(all_(4), on=dt.date(2026, 11, 29))
    respond(all_(1), on=dt.date(2026, 11, 30))
    client.force_login(cast.supervisor_mpp())
    report = client.get(f"{RESULTS}?from=2026-11-01&to=2026-11-29").context["report"]
    assert report.index.respondents == 1 and report.index.score == Decimal("100.00")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("kind=week", "Jenis periode harus"),
        ("kind=quarter&n=5", "n harus 1 sampai 4"),
        ("kind=month&n=13", "n harus 1 sampai 12"),
        ("kind=semester&n=0", "n harus 1 sampai 2"),
        ("year=abc", "Tahun harus angka"),
        ("year=1990", "Tahun paling awal 2000"),
        ("from=2026-02-01&to=2026-01-01", "from harus sebelum"),
        ("kind=range&from=2026-01-01", "memerlukan from dan to"),
        ("from=2026-13-01&to=2026-12-01", "TTTT-BB-HH"),
        ("weights=0.2", "Bobot harus"),
        ("mall=abc", "Mal tidak dikenal"),
    ],
)
def test_bad_parameters_are_400_with_an_indonesian_message(client, cast, monday, query, message):
    client.force_login(cast.supervisor_mpp())
    response = client.get(f"{RESULTS}?{query}")
    assert response.status_code == 400
    assert message in response.content.decode()
    export = client.get(f"/survei/hasil/unduh.xlsx?{query}")
    assert export.status_code == 400


def test_anonymous_users_are_sent_to_the_login(client, kukar):
    for url in (RESULTS, "/survei/hasil/unduh.pdf", "/survei/hasil/unduh.xlsx"):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_others_scopes_are_forbidden_and_unknown_ones_not_found(
    client, cast, monday, mall_mpp, mall_loakulu
):
    from mpp.catalog.models import Tenant

    dukcapil = Tenant.objects.get(slug="disdukcapil")
    client.force_login(cast.officer_imigrasi())
    assert client.get(f"{RESULTS}?mall={mall_mpp.pk}&tenant={dukcapil.pk}").status_code == 403
    client.force_login(cast.supervisor_loakulu())
    assert client.get(f"{RESULTS}?mall={mall_mpp.pk}").status_code == 403
    assert client.get(f"/survei/hasil/unduh.pdf?mall={mall_mpp.pk}").status_code == 403
    assert client.get(f"{RESULTS}?mall={mall_loakulu.pk}").status_code == 200
    client.force_login(cast.outsider())
    assert client.get(RESULTS).status_code == 403
    client.force_login(cast.regency_admin())
    assert client.get(f"{RESULTS}?mall=999999").status_code == 404
    assert client.get(f"{RESULTS}?mall={mall_mpp.pk}&tenant=999999").status_code == 404


# --- Exports -------------------------------------------------------------------------------


def pdf_from_job(client, url: str, capture):  # type: ignore[no-untyped-def]
    """Ask for the PDF, let its background job write it (here, when the request's transaction
    commits: core/jobs.py), and fetch the file its page offers; with the contexts of the
    templates the job rendered."""
    rendered: dict[str, dict[str, Any]] = {}

    def keep(sender: Any, template: Any, context: Any, **kwargs: Any) -> None:
        rendered[template.name] = context.flatten()

    template_rendered.connect(keep)
    try:
        with capture(execute=True):
            asked = client.get(url)
    finally:
        template_rendered.disconnect(keep)
    assert asked.status_code == 302 and asked["Location"].startswith("/tugas/")
    state = client.get(asked["Location"]).context["state"]
    assert state["status"] == "done", state
    response = client.get(state["result_url"])
    assert response.status_code == 200
    return response, b"".join(response.streaming_content), rendered


def test_the_pdf_is_the_report_a_unit_files(
    client, cast, mall_mpp, hand_worked, django_capture_on_commit_callbacks
):
    client.force_login(cast.supervisor_mpp())
    response, pdf, rendered = pdf_from_job(
        client, f"/survei/hasil/unduh.pdf?{Q4}", django_capture_on_commit_callbacks
    )
    assert response["Content-Type"] == "application/pdf"
    assert pdf.startswith(b"%PDF-")
    assert "ikm-mpp-kukar-20261001-20261231.pdf" in response["Content-Disposition"]
    context = rendered["surveys/report_pdf.html"]
    report = context["report"]
    assert report.score_text == "91,20" and report.index.mutu == "A"
    assert context["pdf"] is True and "<svg" in str(context["chart"])


def test_the_pdf_html_holds_method_profile_table_chart_plan_and_suggestions(
    client, cast, mall_mpp, hand_worked, django_capture_on_commit_callbacks
):
    from django.template.loader import render_to_string

    client.force_login(cast.supervisor_mpp())
    _response, _pdf, rendered = pdf_from_job(
        client, f"/survei/hasil/unduh.pdf?{Q4}", django_capture_on_commit_callbacks
    )
    html = render_to_string("surveys/report_pdf.html", rendered["surveys/report_pdf.html"])
    for text in (
        "PermenPAN",  # the method
        "91,20",  # the score
        "Sangat Baik",
        "Profil responden",
        "Unsur terlemah",
        "<svg",
        "Rencana tindak lanjut",
        "Ruang tunggu kurang kursi.",
        "Krejcie",
    ):
        assert text in html, text


def test_the_xlsx_holds_the_numbers_as_numbers(client, cast, mall_mpp, hand_worked):
    client.force_login(cast.supervisor_mpp())
    response = client.get(f"/survei/hasil/unduh.xlsx?{Q4}")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert {"Ringkasan", "NRR per unsur", "Profil responden", "Tindak lanjut", "Saran"} <= set(
        book.sheetnames
    )
    summary = {row[0]: row[1] for row in book["Ringkasan"].iter_rows(values_only=True)}
    assert summary["Responden"] == 3
    assert summary["Nilai IKM konversi (IKM × 25)"] == pytest.approx(91.20)
    assert summary["IKM (skala 1–4)"] == pytest.approx(3.6481)
    assert summary["Mutu pelayanan"] == "A"
    nrr = {row[0]: row for row in book["NRR per unsur"].iter_rows(min_row=2, values_only=True)}
    assert nrr["U4"][3:7] == (7, 2, pytest.approx(3.5), pytest.approx(87.5))
    u1 = book["NRR per unsur"]["F2"]
    assert u1.data_type == "n" and u1.number_format == "0.0000"
    assert book["Saran"]["B2"].value == "Ruang tunggu kurang kursi."


def test_the_xlsx_with_legacy_weights_says_so(client, cast, monday, respond):
    respond(all_(4))
    client.force_login(cast.supervisor_mpp())
    response = client.get(f"/survei/hasil/unduh.xlsx?{Q4}&weights=0.11")
    assert "bobot-0.11" in response["Content-Disposition"]
    summary = {row[0]: row[1] for row in load_workbook(io.BytesIO(response.content))[
        "Ringkasan"].iter_rows(values_only=True)}  # fmt: skip
    assert summary["Nilai IKM konversi (IKM × 25)"] == pytest.approx(99.0)
    assert "hanya untuk rekonsiliasi" in summary["Bobot"]


def test_a_period_without_responses_still_exports(
    client, cast, monday, django_capture_on_commit_callbacks
):
    client.force_login(cast.supervisor_mpp())
    _response, pdf, _rendered = pdf_from_job(
        client, "/survei/hasil/unduh.pdf?kind=year&year=2024", django_capture_on_commit_callbacks
    )
    assert pdf.startswith(b"%PDF-")
    book = load_workbook(io.BytesIO(client.get("/survei/hasil/unduh.xlsx?year=2024").content))
    summary = {row[0]: row[1] for row in book["Ringkasan"].iter_rows(values_only=True)}
    assert summary["Responden"] == 0 and summary["Mutu pelayanan"] == "–"
    assert "Belum ada jawaban survei" in client.get(f"{RESULTS}?year=2024").content.decode()


def test_an_unknown_export_format_is_404(client, cast, monday):
    client.force_login(cast.supervisor_mpp())
    assert client.get("/survei/hasil/unduh.docx").status_code == 404


# --- The follow-up plan --------------------------------------------------------------------

PLAN = "/survei/hasil/rencana/"


def plan_line(mall, **overrides):  # type: ignore[no-untyped-def]
    return {
        "mall": mall.pk,
        "kind": "quarter",
        "year": 2026,
        "n": 4,
        "element_code": "U4",
        "action": "Papan tarif di setiap loket.",
        "owner": "Kepala Seksi Pelayanan",
        "deadline": "2026-12-20",
        **overrides,
    }


def test_a_supervisor_adds_a_line_to_the_plan_of_the_period(client, cast, monday, mall_mpp):
    supervisor = cast.supervisor_mpp()
    client.force_login(supervisor)
    response = client.post(PLAN, plan_line(mall_mpp))
    assert response.status_code == 302
    assert response["Location"].startswith(f"{RESULTS}?mall={mall_mpp.pk}&kind=quarter")
    line = FollowUpAction.objects.get()
    assert (line.mall, line.tenant, line.element_code) == (mall_mpp, None, "U4")
    assert (line.period_start, line.period_end) == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert line.status == FollowUpAction.Status.PLANNED and line.updated_by == supervisor
    assert AuditEntry.objects.filter(action="survey.follow_up_planned", mall_id=mall_mpp.pk)
    page = client.get(f"{RESULTS}?{Q4}").content.decode()
    assert "Papan tarif di setiap loket." in page
    # Its status form comes back to this page, not to the POST address.
    assert f'name="next" value="{RESULTS}?mall={mall_mpp.pk}&amp;kind=quarter' in page
    # A month inside the quarter shows the quarter's plan too.
    assert "Papan tarif" in client.get(f"{RESULTS}?kind=month&year=2026&n=11").content.decode()
    assert "Papan tarif" not in client.get(f"{RESULTS}?kind=quarter&n=3").content.decode()


def test_a_regency_admin_keeps_any_malls_plan(client, cast, monday, mall_loakulu):
    client.force_login(cast.regency_admin())
    assert client.post(PLAN, plan_line(mall_loakulu)).status_code == 302
    assert FollowUpAction.objects.get().mall == mall_loakulu


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"element_code": "U12"}, "Unsur U12 tidak ada di kuesioner ini"),
        ({"deadline": "2026-09-30"}, "Batas waktu tidak boleh sebelum awal periode"),
        ({"deadline": "besok"}, "TTTT-BB-HH"),
        ({"action": ""}, "Tulis tindak lanjutnya"),
        ({"action": "   "}, "Tulis tindak lanjutnya"),
        ({"n": 9}, "n harus 1 sampai 4"),
    ],
)
def test_a_bad_plan_line_is_400_and_nothing_is_stored(
    client, cast, monday, mall_mpp, overrides, message
):
    client.force_login(cast.supervisor_mpp())
    response = client.post(PLAN, plan_line(mall_mpp, **overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not FollowUpAction.objects.exists()


def test_the_plan_is_kept_per_mall_not_for_the_regency(client, cast, monday, mall_mpp):
    client.force_login(cast.regency_admin())
    response = client.post(PLAN, {**plan_line(mall_mpp), "mall": ""})
    assert response.status_code == 400
    assert "pilih satu mal" in response.content.decode()


def test_only_the_malls_supervisor_or_regency_admin_may_plan(
    client, cast, monday, mall_mpp, mall_loakulu
):
    for person in (cast.officer_dukcapil(), cast.leadership(), cast.auditor()):
        client.force_login(person)
        assert client.post(PLAN, plan_line(mall_mpp)).status_code == 403
    client.force_login(cast.supervisor_loakulu())
    assert client.post(PLAN, plan_line(mall_mpp)).status_code == 403
    assert not FollowUpAction.objects.exists()
    client.logout()
    response = client.post(PLAN, plan_line(mall_mpp))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(cast.supervisor_mpp())
    assert client.get(PLAN).status_code == 405


def test_only_keepers_see_the_plan_form(client, cast, monday, mall_mpp):
    client.force_login(cast.supervisor_mpp())
    assert "data-plan-form" in client.get(RESULTS).content.decode()
    client.force_login(cast.officer_dukcapil())
    assert "data-plan-form" not in client.get(f"{RESULTS}?mall={mall_mpp.pk}").content.decode()


@pytest.fixture
def line(cast, monday, mall_mpp):  # type: ignore[no-untyped-def]
    from mpp.surveys.actions import plan_follow_up

    return plan_follow_up(
        mall=mall_mpp,
        tenant=None,
        period_start=dt.date(2026, 10, 1),
        period_end=dt.date(2026, 12, 31),
        element_code="u9",
        action="Tambah kursi ruang tunggu.",
        owner="Pengelola gedung",
        deadline=dt.date(2026, 12, 15),
        acting_user=cast.supervisor_mpp(),
    )


def test_the_status_of_a_line_changes_and_is_audited(client, cast, line):
    client.force_login(cast.supervisor_mpp())
    back = f"{RESULTS}?{Q4}"
    response = client.post(f"{PLAN}{line.pk}/status/", {"status": "done", "next": back})
    assert response.status_code == 302 and response["Location"] == back
    line.refresh_from_db()
    assert line.element_code == "U9" and line.status == FollowUpAction.Status.DONE
    entry = AuditEntry.objects.get(action="survey.follow_up_status")
    assert entry.data == {"from": "planned", "to": "done"}


def test_a_status_change_refuses_bad_input_strangers_and_unknown_lines(client, cast, line):
    client.force_login(cast.supervisor_mpp())
    bad = client.post(f"{PLAN}{line.pk}/status/", {"status": "lost"})
    assert bad.status_code == 400 and "Status tidak dikenal" in bad.content.decode()
    outside = client.post(f"{PLAN}{line.pk}/status/", {"status": "done", "next": "https://x.test/"})
    assert outside.status_code == 302 and outside["Location"].startswith(RESULTS)
    assert client.post(f"{PLAN}999999/status/", {"status": "done"}).status_code == 404
    for person in (cast.supervisor_loakulu(), cast.officer_dukcapil()):
        client.force_login(person)
        assert client.post(f"{PLAN}{line.pk}/status/", {"status": "planned"}).status_code == 403
    line.refresh_from_db()
    assert line.status == FollowUpAction.Status.DONE


def test_a_service_has_its_own_page_and_the_tenant_compares_its_services(
    client, cast, monday, respond, mall_mpp, service_by_slug
):
    akta = service_by_slug("akta-kelahiran")
    ktp = service_by_slug("perekaman-ktp-el")
    respond(all_(4), service=akta)
    respond(all_(3), service=ktp)
    client.force_login(cast.officer_dukcapil())
    tenant_page = client.get(f"{RESULTS}?mall={mall_mpp.pk}&tenant={akta.tenant_id}")
    scores = {row.label: row.index.score for row in tenant_page.context["report"].comparison}
    assert scores == {akta.name: Decimal("100.00"), ktp.name: Decimal("75.00")}
    page = client.get(f"{RESULTS}?mall={mall_mpp.pk}&service={ktp.pk}")
    assert page.status_code == 200
    assert page.context["report"].index.score == Decimal("75.00")
    assert ktp.name in page.content.decode()
    assert 'name="service"' in page.content.decode()


def test_a_service_outside_the_scope_is_refused(client, cast, monday, mall_mpp, service_by_slug):
    from mpp.catalog.models import Service

    paspor = Service.objects.filter(tenant__slug="imigrasi-samarinda").first()
    akta = service_by_slug("akta-kelahiran")
    client.force_login(cast.officer_dukcapil())
    assert client.get(f"{RESULTS}?mall={mall_mpp.pk}&service={paspor.pk}").status_code == 403
    assert client.get(f"{RESULTS}?mall={mall_mpp.pk}&service=999999").status_code == 404
    other = client.get(f"{RESULTS}?mall={mall_mpp.pk}&tenant={paspor.tenant_id}&service={akta.pk}")
    assert other.status_code in (403, 404)
    assert client.get(f"{RESULTS}?mall={mall_mpp.pk}&service=x").status_code == 400


def test_the_pdf_has_a_letterhead_and_a_signature_block_ready_to_sign(
    client, cast, mall_mpp, hand_worked, django_capture_on_commit_callbacks
):
    from django.template.loader import render_to_string

    client.force_login(cast.supervisor_mpp())
    signer = "ttd_nama=Drs.+Contoh+Pejabat&ttd_nip=197001012000031001"
    _response, pdf, rendered = pdf_from_job(
        client, f"/survei/hasil/unduh.pdf?{Q4}&{signer}", django_capture_on_commit_callbacks
    )
    assert pdf.startswith(b"%PDF-")
    html = render_to_string("surveys/report_pdf.html", rendered["surveys/report_pdf.html"])
    kop = html.split('<header class="kop">', 1)[1].split("</header>", 1)[0]
    assert "PEMERINTAH KABUPATEN KUTAI KARTANEGARA" in kop
    assert "DINAS PENANAMAN MODAL DAN PELAYANAN TERPADU SATU PINTU" in kop
    assert mall_mpp.name in kop and mall_mpp.address in kop
    assert 'src="data:image/svg+xml;base64,' in kop  # the mall's logo, carried in the file
    signature = html.split("data-signature>", 1)[1].split("</div>", 1)[0]
    assert "Tenggarong, " in signature  # the regency seat and the Indonesian date
    assert "Kepala Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu," in signature
    assert "Drs. Contoh Pejabat" in signature and "NIP. 197001012000031001" in signature


def test_without_a_signer_the_pdf_leaves_lines_to_write_on(
    client, cast, mall_mpp, hand_worked, django_capture_on_commit_callbacks
):
    from django.template.loader import render_to_string

    client.force_login(cast.supervisor_mpp())
    _response, _pdf, rendered = pdf_from_job(
        client, f"/survei/hasil/unduh.pdf?{Q4}", django_capture_on_commit_callbacks
    )
    html = render_to_string("surveys/report_pdf.html", rendered["surveys/report_pdf.html"])
    signature = html.split("data-signature>", 1)[1].split("</div>", 1)[0]
    assert "NIP. ……" in signature


def test_a_bad_nip_is_refused_before_any_pdf_is_written(client, cast, mall_mpp, hand_worked):
    client.force_login(cast.supervisor_mpp())
    response = client.get(f"/survei/hasil/unduh.pdf?{Q4}&ttd_nip=12ab")
    assert response.status_code == 400


def test_the_element_chart_keeps_codes_inside_and_grade_labels_apart() -> None:
    from mpp.surveys.charts import element_bars

    long = "Kompetensi pelaksana dalam memberikan pelayanan"
    svg = str(element_bars([("U2", long, Decimal("80"))], label="x"))
    # The code starts at the left edge (a right-aligned label ran off it: "U2" printed "I2").
    assert '<text x="4" y="' in svg and '<tspan font-weight="bold">U2</tspan>' in svg
    # Grade lines carry their letter; the thresholds are one legend line, not overlapping text.
    assert "A ≥ 88,31 · B ≥ 76,61 · C ≥ 65,00 · D &lt; 65,00" in svg


def test_education_is_listed_by_level_not_alphabetically(client, cast, mall_mpp, respond, monday):
    for level in ("S1", "SD", "D1-D3", "SMA"):
        respond(all_(4), education=level)
    client.force_login(cast.supervisor_mpp())
    report = client.get(f"/survei/hasil/?{Q4}").context["report"]
    (education,) = [t for t in report.profile if t.key == "education"]
    assert [label for label, _n, _share in education.rows] == ["SD", "SMA", "D1–D3", "S1"]


def test_in_english_the_grade_words_are_english(client, cast, mall_mpp, hand_worked, settings):
    client.force_login(cast.supervisor_mpp())
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(f"/survei/hasil/?{Q4}").content.decode()
    assert "Very good" in html and "Sangat Baik" not in html
    assert "Bachelor&#x27;s degree (S1)" in html or "Bachelor's degree (S1)" in html


def test_the_results_link_the_audit_zip_of_the_same_scope_and_period(
    client, cast, mall_mpp, hand_worked
):
    client.force_login(cast.supervisor_mpp())
    html = client.get(f"/survei/hasil/?{Q4}").content.decode()
    assert (
        f"/survei/audit/unduh.zip?mall={mall_mpp.pk}&amp;from=2026-10-01&amp;to=2026-12-31" in html
    )
    client.force_login(cast.officer_dukcapil())  # raw rows never go to a tenant's officers
    html = client.get(f"/survei/hasil/?mall={mall_mpp.pk}&{Q4}").content.decode()
    assert "audit/unduh.zip" not in html
