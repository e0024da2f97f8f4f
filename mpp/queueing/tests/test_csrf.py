"""CSRF on the API: a signed-in browser session writes only with its CSRF token; a bearer token
needs none (no other site can set the header); a citizen without an account needs none.

Issue 16: the ticket API took a staff session cookie without a CSRF token (`text/plain` body,
which a form on any site can send without a preflight)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.utils.crypto import get_random_string

from mpp.accounts.tests.factories import bearer, token_for
from mpp.api import api
from mpp.catalog.models import Service
from mpp.queueing.models import Ticket

CSRF_REFUSED = "Token CSRF tidak ada atau tidak sah; muat ulang halaman lalu coba lagi."
WRITES = ("post", "put", "patch", "delete")
# Write operations that take no session and no token: nothing a forged request could borrow.
WITHOUT_SESSION = {
    ("post", "/api/v1/auth/token"),  # sends credentials, answers a token to the caller only
    ("post", "/api/v1/surveys/responses"),  # authorised by the ticket's secret survey token
    ("post", "/api/v1/nikah/eligibility"),  # reads a check's answer, stores nothing
    ("post", "/api/v1/appointments"),  # a citizen books without an account (rate-limited)
    ("delete", "/api/v1/appointments/{code}"),  # the appointment's code is the permission
    ("post", "/api/v1/complaints"),  # a citizen files a complaint without an account (rate-limited)
}


def csrf_refused(response: Any) -> bool:
    """The API's Indonesian refusal of a missing CSRF token (with its code, if it has one)."""
    body = response.json()
    return bool(
        response.status_code == 403
        and body["detail"] == CSRF_REFUSED
        and body.get("code", "csrf_failed") == "csrf_failed"
    )


def write_operations() -> list[tuple[str, str, list[str]]]:
    """Every write operation of the published API, with the names of its auth schemes."""
    found = []
    for path, operations in api.get_openapi_schema()["paths"].items():
        for method, operation in operations.items():
            if method in WRITES:
                schemes = [name for entry in operation.get("security") or [] for name in entry]
                found.append((method, path, schemes))
    return found


def browser(user: Any) -> Client:
    """A browser signed in as `user`, checking CSRF as a real one does, with its CSRF cookie."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.cookies["csrftoken"] = get_random_string(32)
    return client


def send(client: Client, method: str, path: str, body: str = "{}", **extra: Any) -> Any:
    url = re.sub(r"\{[a-z_]+\}", "1", path)
    return client.generic(method.upper(), url, body, content_type="application/json", **extra)


@pytest.mark.parametrize(("method", "path", "schemes"), write_operations())
def test_no_api_write_takes_a_session_without_its_csrf_token(cast, method, path, schemes):
    """Every write operation, found in the OpenAPI document (so a new one is checked too)."""
    client = browser(cast.regency_admin())
    response = send(client, method, path)
    if not schemes:
        assert (method, path) in WITHOUT_SESSION, "a new write without auth: does it need CSRF?"
        return
    if "SessionAuth" in schemes or "OptionalBearer" in schemes:
        assert response.status_code == 403, (method, path, response.content)
        assert csrf_refused(response)
    else:  # a bearer token only: the session counts for nothing
        assert response.status_code == 401


@pytest.fixture
def akta(kukar) -> Service:  # type: ignore[no-untyped-def]
    return Service.objects.get(slug="akta-kelahiran")


def test_the_probes_text_plain_ticket_request_with_a_staff_session_is_refused(
    monday, cast, mall_mpp, akta
):
    """What a form on another site can send: the staff cookie rides along, no token does."""
    client = browser(cast.supervisor_mpp())
    response = client.post(
        f"/api/v1/malls/{mall_mpp.pk}/tickets",
        f'{{"service_id": {akta.pk}}}',
        content_type="text/plain",
    )
    assert response.status_code in (403, 415)  # refused for its token, or for its body's type
    assert response["Content-Type"].startswith("application/json")
    assert not Ticket.objects.exists()


def test_a_session_with_its_csrf_token_issues(monday, cast, mall_mpp, akta):
    client = browser(cast.supervisor_mpp())
    token = client.cookies["csrftoken"].value
    response = send(
        client,
        "post",
        f"/api/v1/malls/{mall_mpp.pk}/tickets",
        f'{{"service_id": {akta.pk}}}',
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 201
    assert Ticket.objects.get().channel == Ticket.Channel.STAFF


def test_a_staff_session_without_its_token_cannot_work_a_counter(monday, cast, mall_mpp):
    """The staff steps had the check already (django-ninja's session auth): it stays."""
    from mpp.queueing.models import Counter

    counter = Counter.objects.filter(mall=mall_mpp, tenant__slug="disdukcapil").first()
    client = browser(cast.officer_dukcapil())
    url = f"/api/v1/counters/{counter.pk}/status"
    refused = send(client, "post", url, '{"status": "open"}')
    assert refused.status_code == 403 and csrf_refused(refused)
    token = client.cookies["csrftoken"].value
    opened = send(client, "post", url, '{"status": "open"}', HTTP_X_CSRFTOKEN=token)
    assert opened.status_code == 200 and opened.json()["status"] == "open"


def test_a_bearer_token_needs_no_csrf_token(monday, cast, mall_mpp, akta):
    """No other site can set Authorization: a device's token is its own proof."""
    officer = cast.officer_dukcapil()
    client = Client(enforce_csrf_checks=True)
    headers = bearer(token_for(client, officer))
    client.force_login(officer)  # a session beside the token changes nothing
    response = send(
        client,
        "post",
        f"/api/v1/malls/{mall_mpp.pk}/tickets",
        f'{{"service_id": {akta.pk}}}',
        **headers,
    )
    assert response.status_code == 201
    assert Ticket.objects.get().issued_by == officer


def test_a_citizen_without_an_account_needs_no_csrf_token(monday, mall_mpp, akta):
    client = Client(enforce_csrf_checks=True)
    response = send(
        client, "post", f"/api/v1/malls/{mall_mpp.pk}/tickets", f'{{"service_id": {akta.pk}}}'
    )
    assert response.status_code == 201
    assert Ticket.objects.get().channel == Ticket.Channel.ONLINE
