"""The citizen's survey after service: phone page → survey → thanks; tokens; the counter tablet."""

from __future__ import annotations

import datetime as dt

import pytest

from mpp.queueing.models import Ticket
from mpp.surveys.actions import survey_token_for
from mpp.surveys.models import Response, SurveyToken

ALL_FOUR = {f"u{i}": "4" for i in range(1, 10)}
ALL_FOUR_INT = {f"U{i}": 4 for i in range(1, 10)}


def test_the_phone_page_of_a_finished_ticket_offers_the_survey(client, served):
    ticket = served()
    page = client.get(f"/antrean/{ticket.code}/")
    assert f'href="/antrean/{ticket.code}/survei/"' in page.content.decode()
    assert "data-survey hidden" not in page.content.decode()


def test_the_phone_page_hides_the_survey_while_waiting(client, served):
    ticket = served(until="waiting")
    assert "data-survey hidden" in client.get(f"/antrean/{ticket.code}/").content.decode()


def test_the_survey_link_opens_the_questionnaire_of_a_finished_ticket(client, served):
    ticket = served()
    hop = client.get(f"/antrean/{ticket.code}/survei/")
    assert hop.status_code == 302
    token = SurveyToken.objects.get(ticket=ticket)
    assert hop["Location"] == f"/survei/isi/{token.token}/"
    page = client.get(hop["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    # Printed form's order: facilities (U9) is question 8, complaints (U8) question 9.
    assert html.index('id="q-U9"') < html.index('id="q-U8"')
    assert ticket.display_number in html


def test_an_unfinished_ticket_has_no_survey_yet(client, served):
    ticket = served(until="serving")
    page = client.get(f"/antrean/{ticket.code}/survei/")
    assert page.status_code == 409
    assert "setelah pelayanan selesai" in page.content.decode()
    assert not SurveyToken.objects.exists()


def test_an_unknown_ticket_is_404(client, kukar):
    assert client.get("/antrean/tidak-ada/survei/").status_code == 404


def test_answers_are_stored_by_element_code_and_the_token_is_spent(client, served):
    ticket = served()
    token = survey_token_for(ticket)
    answers = {**ALL_FOUR, "u8": "1", "u9": "3", "u4": ""}
    posted = client.post(
        f"/survei/isi/{token.token}/",
        {**answers, "sex": "P", "age": "34", "education": "S1", "suggestion": "Antre cepat."},
    )
    assert posted.status_code == 302
    assert posted["Location"] == f"/survei/isi/{token.token}/terima-kasih/"
    response = Response.objects.get()
    assert (response.u8, response.u9, response.u4, response.u1) == (1, 3, None, 4)
    assert (response.sex, response.age, response.education) == ("P", 34, "S1")
    assert response.channel == Response.Channel.PHONE
    assert response.mall_id == ticket.mall_id and response.service_id == ticket.service_id
    assert response.answered_on == ticket.service_day
    assert response.time_band == Response.TimeBand.MORNING
    token.refresh_from_db()
    assert token.used_on == dt.date(2026, 11, 30)
    thanks = client.get(posted["Location"])
    assert "Terima kasih" in thanks.content.decode()


def test_a_nik_or_phone_typed_into_the_suggestion_is_masked_before_it_is_stored(
    client, served, cast
):
    token = survey_token_for(served())
    typed = "NIK saya 6402011204900003, hp 0812-5544-3322, petugas ramah."
    posted = client.post(f"/survei/isi/{token.token}/", {**ALL_FOUR, "suggestion": typed})
    assert posted.status_code == 302
    stored = Response.objects.get().suggestion
    assert stored == "NIK saya 6402••••••••0003, hp 0••••••••322, petugas ramah."
    client.force_login(cast.supervisor_mpp())
    html = client.get("/survei/hasil/?kind=quarter&year=2026&n=4").content.decode()
    assert "6402••••••••0003" in html
    assert "6402011204900003" not in html and "5544" not in html


def test_a_response_keeps_nothing_that_leads_back_to_the_ticket(served):
    fields = {f.name for f in Response._meta.get_fields()}
    assert not fields & {"ticket", "token", "counter", "officer", "created_at", "submitted_at"}
    assert Response._meta.pk.get_internal_type() == "UUIDField"


def test_a_reused_token_is_refused_and_no_second_response_is_stored(client, served):
    token = survey_token_for(served())
    assert client.post(f"/survei/isi/{token.token}/", ALL_FOUR).status_code == 302
    again = client.post(f"/survei/isi/{token.token}/", ALL_FOUR)
    assert again.status_code == 409
    assert "sudah diisi" in again.content.decode()
    assert Response.objects.count() == 1
    assert client.get(f"/survei/isi/{token.token}/").status_code == 409


def test_an_expired_token_is_refused(client, served, monday):
    token = survey_token_for(served())
    monday.shift(dt.timedelta(days=8))
    page = client.post(f"/survei/isi/{token.token}/", ALL_FOUR)
    assert page.status_code == 410
    assert "sudah lewat" in page.content.decode()
    assert not Response.objects.exists()


def test_an_unknown_token_is_404(client, kukar):
    page = client.get("/survei/isi/bukan-token/")
    assert page.status_code == 404
    assert "tidak dikenal" in page.content.decode()


@pytest.mark.parametrize(
    ("posted", "message"),
    [
        ({}, "sedikitnya satu"),
        ({"u3": "5"}, "empat jawaban"),
        ({"u3": "x"}, "empat jawaban"),
        ({"u1": "4", "age": "7"}, "10"),
        ({"u1": "4", "sex": "X"}, "X"),
    ],
)
def test_bad_answers_are_refused_with_the_field_named_and_nothing_stored(
    client, served, posted, message
):
    token = survey_token_for(served())
    page = client.post(f"/survei/isi/{token.token}/", posted)
    assert page.status_code == 400
    assert message in page.content.decode()
    assert not Response.objects.exists()
    token.refresh_from_db()
    assert token.used_on is None


def test_the_survey_page_is_small(client, served):
    """Issue 4: the survey page under 30 KB transferred (HTML here; CSS is measured in bench)."""
    token = survey_token_for(served())
    page = client.get(f"/survei/isi/{token.token}/", HTTP_ACCEPT_ENCODING="gzip")
    assert len(page.content) < 12_000


def test_a_no_show_ticket_has_no_survey(served, cast):
    from mpp.queueing.actions import mark_no_show, recall_ticket

    ticket = served(until="called")
    officer = cast.officer_dukcapil()
    for _ in range(3):
        ticket = recall_ticket(ticket=ticket, acting_user=officer)
        try:
            ticket = mark_no_show(ticket=ticket, acting_user=officer)
            break
        except Exception:  # noqa: S112 - the mall's rules ask for more recalls first
            continue
    assert ticket.status == Ticket.Status.NO_SHOW
    assert survey_token_for(ticket) is None


# --- the counter tablet -----------------------------------------------------------------------


def test_the_tablet_offers_the_survey_of_the_ticket_just_finished(client, served, cast):
    ticket = served()
    client.force_login(cast.officer_dukcapil())
    url = f"/survei/tablet/loket/{ticket.counter_id}/"
    page = client.get(url)
    assert page.status_code == 200
    assert ticket.display_number in page.content.decode()
    posted = client.post(url, ALL_FOUR)
    assert posted.status_code == 302 and posted["Location"] == f"{url}?terima-kasih=1"
    assert Response.objects.get().channel == Response.Channel.TABLET
    idle = client.get(posted["Location"])
    assert "Terima kasih" in idle.content.decode()
    # It waits on the live events, not a timed reload (issue 18, item 24), and in front of
    # citizens it offers no way off the survey: no site menu, no links.
    assert 'http-equiv="refresh"' not in idle.content.decode()
    assert "data-tablet-idle" in idle.content.decode()
    for html in (page.content.decode(), idle.content.decode()):
        assert "<nav" not in html and "<a " not in html
    # Signed in, in front of citizens: neither page offers them the officer's sign-out.
    for html in (page.content.decode(), idle.content.decode()):
        assert "/keluar/" not in html and "Keluar" not in html


def test_the_tablet_waits_when_nothing_was_finished_recently(client, served, cast, monday):
    ticket = served()
    monday.shift(dt.timedelta(minutes=11))
    client.force_login(cast.officer_dukcapil())
    page = client.get(f"/survei/tablet/loket/{ticket.counter_id}/")
    assert page.status_code == 200
    assert ticket.display_number not in page.content.decode()


def test_the_tablet_is_for_the_counters_own_staff(client, served, cast):
    ticket = served()
    url = f"/survei/tablet/loket/{ticket.counter_id}/"
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(cast.officer_imigrasi())
    assert client.get(url).status_code == 403
    assert client.get("/survei/tablet/loket/999999/").status_code == 404


def test_the_migration_masks_suggestions_stored_before(respond):
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "mpp.surveys.migrations.0003_mask_personal_data_in_suggestions"
    )
    kept = respond(ALL_FOUR_INT, suggestion="Kursi kurang, antre 2 jam.")
    old = respond(ALL_FOUR_INT, suggestion="Telp saya +62 812 5544 3322")
    migration.mask_stored_suggestions(apps, None)
    old.refresh_from_db()
    kept.refresh_from_db()
    assert old.suggestion == "Telp saya +62••••••••322"
    assert kept.suggestion == "Kursi kurang, antre 2 jam."
