"""Malformed requests are refused for every address at once (core.malformed, core.views): NUL
characters, ids past the database's integers, JSON booleans taken for ids, bodies that are not
JSON, bodies over the limit; the API answers its `Error` JSON, pages an Indonesian page.

The NUL tests matter on PostgreSQL (run them there with DATABASE_URL set): its text cannot hold
a NUL, so these requests were 500s there and 404s on SQLite."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import path, reverse

from mpp.core.ids import MAX_ID

NUL_API = {
    "field": None,
    "message": "tidak boleh memuat karakter NUL",
    "type": "string_pattern_mismatch",
}


def _is_indonesian_400_page(response) -> bool:  # type: ignore[no-untyped-def]
    return (
        response.status_code == 400
        and response["Content-Type"].startswith("text/html")
        and "Permintaan tidak dapat dibaca" in response.content.decode()
    )


# -- NUL characters ------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/antrean/%00/", "/survei/isi/%00/", "/antrean/a%01b/", "/metapers/%00/"]
)
def test_a_nul_or_control_character_in_a_page_address_is_an_indonesian_400(client, kukar, url):
    response = client.get(url)
    assert _is_indonesian_400_page(response)
    assert "Alamat memuat karakter yang tidak sah." in response.content.decode()


@pytest.mark.django_db
def test_a_nul_in_a_page_query_names_the_parameter(client, kukar):
    response = client.get("/layanan/", {"q": "akta\x00"})
    assert _is_indonesian_400_page(response)
    assert "“q”" in response.content.decode()


@pytest.mark.django_db
def test_a_nul_in_the_metapers_chat_form_stores_nothing(client, kukar, mall_mpp):
    from mpp.metapers.models import Conversation

    url = reverse("metapers:chat", args=[mall_mpp.slug, "disdukcapil"])
    response = client.post(url, {"text": "halo\x00"})
    assert _is_indonesian_400_page(response)
    assert "“text”" in response.content.decode()
    assert not Conversation.objects.exists()


@pytest.mark.django_db
def test_a_nul_in_the_consoles_out_of_order_reason_calls_nobody(
    client, cast, mall_mpp, service_by_slug
):
    import time_machine

    from mpp.queueing.actions import issue_ticket, set_counter_status
    from mpp.queueing.models import Counter, Ticket
    from mpp.queueing.tests.conftest import MONDAY_9

    officer = cast.officer_dukcapil()
    with time_machine.travel(MONDAY_9, tick=False):
        counter = Counter.objects.filter(mall=mall_mpp, tenant__slug="disdukcapil").first()
        set_counter_status(counter=counter, status=Counter.Status.OPEN, acting_user=officer)
        ticket = issue_ticket(
            mall=mall_mpp,
            service=service_by_slug("akta-kelahiran"),
            channel=Ticket.Channel.KIOSK,
            priority=Ticket.Priority.NONE,
            idempotency_key=None,
        ).ticket
        client.force_login(officer)
        response = client.post(
            reverse("queueing:console-step", args=[counter.pk, "call"]),
            {"ticket_id": ticket.pk, "reason": "lansia\x00"},
        )
    assert _is_indonesian_400_page(response)
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.WAITING


@pytest.mark.django_db
def test_a_nul_in_a_cookie_is_refused_before_the_session_is_looked_up(kukar):
    # Django's cookie parser unquotes the octal escape \000 into a NUL.
    response = Client().get("/", HTTP_COOKIE='sessionid="abcdefgh\\000ijkl"')
    assert _is_indonesian_400_page(response)


@pytest.mark.django_db
def test_a_nul_in_an_api_address_or_query_is_a_json_400(client, kukar):
    response = client.get("/api/v1/tickets/%00")
    assert response.status_code == 400
    assert response.json() == {"detail": [NUL_API], "code": "invalid"}
    response = client.get("/api/v1/malls", {"x\x00": "1"})
    assert response.status_code == 400
    assert response.json()["detail"][0]["field"] == "x\\0"


@pytest.mark.django_db
def test_a_lone_surrogate_in_a_json_string_is_a_400_naming_the_field(client, kukar):
    # Valid JSON, but no UTF-8 text: PostgreSQL's driver could not encode it.
    body = '{"username": "kios\\ud800", "password": "x"}'
    response = client.post("/api/v1/auth/token", data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"] == [
        {
            "field": "payload.username",
            "message": "memuat karakter yang tidak sah",
            "type": "string_unicode",
        }
    ]


# -- ids past the database's integers ------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("too_big", [MAX_ID + 1, 2**64, 10**30])
def test_an_id_past_the_databases_integers_is_a_400_on_the_api(client, kukar, too_big):
    response = client.post(
        f"/api/v1/malls/{too_big}/tickets",
        data='{"service_id": 1}',
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["detail"][0]["field"] == "mall_id"
    body = f'{{"service_id": {too_big}}}'
    response = client.post("/api/v1/malls/1/tickets", data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"][0]["field"] == "payload.service_id"
    response = client.get("/api/v1/services", {"mall": str(too_big)})
    assert response.status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize("too_big", [MAX_ID + 1, 10**30])
def test_an_id_past_the_databases_integers_is_a_404_page(client, kukar, cast, too_big):
    assert client.get(f"/layanan/{too_big}/antrean/").status_code == 404
    client.force_login(cast.officer_dukcapil())
    assert client.get(f"/konsol/loket/{too_big}/").status_code == 404
    assert client.get(f"/konsol/loket/{MAX_ID}/").status_code == 404  # the largest still routes


# -- strict JSON types ---------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("service_id", ["true", "1.0", '"1"'])
def test_a_ticket_request_takes_only_a_json_integer_as_service(client, kukar, mall_mpp, service_id):
    from mpp.queueing.models import Ticket

    response = client.post(
        f"/api/v1/malls/{mall_mpp.pk}/tickets",
        data=f'{{"service_id": {service_id}}}',
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["detail"][0]["field"] == "payload.service_id"
    assert response.json()["detail"][0]["type"] == "int_type"
    assert not Ticket.objects.exists()


@pytest.mark.django_db
def test_a_survey_answer_of_true_is_not_a_score_of_one(client, kukar):
    body = '{"token": "abc", "answers": {"U1": true}}'
    response = client.post("/api/v1/surveys/responses", data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"][0]["field"] == "payload.answers.U1"


# -- bodies that are not JSON, or too large --------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""],
)
def test_an_api_body_that_does_not_say_it_is_json_is_a_415(client, kukar, content_type):
    from mpp.accounts.models import ApiToken

    response = client.generic(
        "POST",
        "/api/v1/auth/token",
        data='{"username": "kios-mpp-kukar", "password": "x"}',
        content_type=content_type,
    )
    assert response.status_code == 415
    assert response.json() == {
        "detail": "Isi permintaan harus JSON (Content-Type: application/json).",
        "code": "unsupported_media_type",
    }
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_a_json_type_with_parameters_or_a_suffix_is_json(client, kukar):
    for content_type in ("application/json; charset=utf-8", "application/merge-patch+json"):
        response = client.post("/api/v1/ping", data="{", content_type=content_type)
        assert response.json()["code"] == "invalid_json", content_type


@pytest.mark.django_db
def test_an_api_body_over_the_limit_is_a_json_413(client, kukar, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    body = '{"username": "%s", "password": "x"}' % ("a" * 2000)
    response = client.post("/api/v1/auth/token", data=body, content_type="application/json")
    assert response.status_code == 413
    assert response.json() == {
        "detail": "Isi permintaan terlalu besar (paling besar 1 KB).",
        "code": "too_large",
    }


@pytest.mark.django_db
def test_a_form_over_the_limit_is_an_indonesian_413_page(client, kukar, mall_mpp, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    url = reverse("metapers:chat", args=[mall_mpp.slug, "disdukcapil"])
    response = client.post(url, {"text": "a" * 2000})
    assert response.status_code == 413
    assert "Kiriman terlalu besar" in response.content.decode()


@pytest.mark.django_db
def test_a_multipart_body_without_its_boundary_is_a_400_not_a_500(client, kukar, mall_mpp):
    url = reverse("metapers:chat", args=[mall_mpp.slug, "disdukcapil"])
    response = client.generic("POST", url, data="text=halo", content_type="multipart/form-data")
    assert _is_indonesian_400_page(response)


# -- Django's own errors under /api/ ------------------------------------------------------------


@pytest.mark.django_db
def test_an_unknown_api_address_is_a_json_404(client):
    response = client.get("/api/v1/tidak-ada")
    assert response.status_code == 404
    assert response.json() == {"detail": "Tidak ditemukan.", "code": "not_found"}


def _fails(request):  # type: ignore[no-untyped-def]
    raise RuntimeError("a fault of ours")


urlpatterns = [
    path("api/v1/gagal", _fails),
    path("gagal/", _fails),
]
handler500 = "mpp.core.views.server_error"


@pytest.mark.urls(__name__)
def test_a_server_error_is_json_on_the_api_and_an_indonesian_page_elsewhere(db):
    browser = Client(raise_request_exception=False)
    response = browser.get("/api/v1/gagal")
    assert response.status_code == 500
    assert response.json()["code"] == "server_error"
    assert "gangguan" in response.json()["detail"]
    page = browser.get("/gagal/")
    assert page.status_code == 500
    assert "Terjadi gangguan" in page.content.decode()
