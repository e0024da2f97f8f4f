"""The public transparency page of a mall's satisfaction index (issue 4)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from mpp.surveys.models import STANDARD_CODES, FollowUpAction
from mpp.surveys.queries import Scope, index_for, period_of

pytestmark = pytest.mark.django_db

PAGE = "/mal/mpp-kukar/ikm/"


def all_(score: int | None, **overrides: int | None) -> dict[str, int | None]:
    return {**dict.fromkeys(STANDARD_CODES, score), **overrides}


def test_the_page_shows_a_response_stored_a_moment_ago(client, monday, respond):
    first = client.get(PAGE)
    assert first.context["overview"].running.index.respondents == 0
    respond(all_(3))  # 30 November 2026: the running fourth quarter
    response = client.get(PAGE)
    assert response.status_code == 200
    running = response.context["overview"].running
    assert running.period.label == "Triwulan 4 2026" and running.is_running
    assert running.index.respondents == 1 and running.index.score == Decimal("75.00")
    html = response.content.decode()
    assert "75,00" in html and "Kurang Baik" in html and "sementara" in html
    # Not kept in any cache: the next visitor sees the next response too.
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_the_latest_complete_quarter_matches_index_for(client, monday, respond, mall_mpp):
    respond(all_(4), on=dt.date(2026, 8, 3))
    respond(all_(3, U4=None), on=dt.date(2026, 9, 30))
    respond(all_(1), on=dt.date(2026, 10, 1))  # the running quarter, not the latest complete
    overview = client.get(PAGE).context["overview"]
    latest = overview.latest
    assert latest.period.label == "Triwulan 3 2026" and not latest.is_running
    assert latest.index == index_for(Scope(mall=mall_mpp), period_of("quarter", 2026, 3))
    # NRR: U4 answered once (4); the other eight (4 + 3) / 2 = 3,5 → (8 × 3,5 + 4) / 9 × 25.
    assert latest.index.score == Decimal("88.89") and latest.index.mutu == "A"
    rows = {row.code: row for row in overview.elements}
    assert rows["U4"].nrr_text == "4,0000" and rows["U1"].score_text == "87,50"


def test_the_trend_covers_eight_quarters_as_a_chart_and_a_table(
    client, monday, respond, django_assert_max_num_queries
):
    respond(all_(4), on=dt.date(2025, 1, 15))  # the oldest quarter shown
    respond(all_(2), on=dt.date(2024, 12, 31))  # just before it: left out
    with django_assert_max_num_queries(10):
        response = client.get(PAGE)
    quarters = response.context["overview"].quarters
    assert [q.short for q in quarters] == [
        "TW1 2025", "TW2 2025", "TW3 2025", "TW4 2025",
        "TW1 2026", "TW2 2026", "TW3 2026", "TW4 2026",
    ]  # fmt: skip
    assert quarters[0].index.score == Decimal("100.00")
    assert sum(q.index.respondents for q in quarters) == 1
    html = response.content.decode()
    assert html.count("<svg") == 1 and 'role="img"' in html
    assert "data-trend" in html and "Triwulan 1 2025" in html
    assert "<script" not in html


def test_no_suggestion_text_or_personal_data_only_counts(client, monday, respond):
    respond(all_(4), on=dt.date(2026, 9, 1), suggestion="Terima kasih Bu Siti di loket 3.", age=41)
    response = client.get(PAGE)
    html = response.content.decode()
    assert "Bu Siti" not in html
    assert response.context["overview"].suggestions_received == 1
    assert "1 saran dan masukan diterima" in html


def test_the_follow_up_plan_is_published_with_its_status(client, monday, mall_mpp):
    FollowUpAction.objects.create(
        mall=mall_mpp,
        period_start=dt.date(2026, 7, 1),
        period_end=dt.date(2026, 9, 30),
        element_code="U9",
        action="Tambah kursi ruang tunggu.",
        owner="Pengelola gedung",
        deadline=dt.date(2026, 10, 31),
        status=FollowUpAction.Status.DONE,
    )
    html = client.get(PAGE).content.decode()
    assert "Tambah kursi ruang tunggu." in html and "Selesai" in html
    assert "<form" not in html.split("data-follow-ups")[1].split("</table>")[0]


def test_an_unknown_mall_is_404(client, kukar):
    assert client.get("/mal/tidak-ada/ikm/").status_code == 404


def test_the_page_needs_no_login_and_only_get(client, kukar):
    assert client.get("/mal/mini-mpp-loa-kulu/ikm/").status_code == 200
    assert client.post(PAGE).status_code == 405


def test_the_malls_public_page_links_here(client, kukar):
    assert 'href="/mal/mpp-kukar/ikm/"' in client.get("/mal/mpp-kukar/").content.decode()
