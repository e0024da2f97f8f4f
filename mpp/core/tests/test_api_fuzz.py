"""Fuzz the API from its own OpenAPI document (schemathesis) with every role's token: no server
error, no status code the document does not declare, every body of the declared shape.

Each role runs every operation twice over: with generated parameters (mostly ids that name
nothing, malformed values), and with the ids of a real mall, counter, service and tickets put
into the generated requests, so the fuzz walks the queue through its states (issued, called,
recalled, served, finished, transferred) in whatever order hypothesis picks: the stateful part.
An explicit sequence then takes one ticket through its whole life and checks every answer.

Bounded for the suite: about 20 operations x 6 roles x MAX_EXAMPLES requests, about a minute on
this 2-core machine when idle (three when seven other test runs share it). No hypothesis
deadline: a loaded machine must not turn a slow example into a failure.

The world is the small synthetic region (Kabupaten Uji, conftest's `uji`): the promises are the
API's, not Kukar's data, and each transactional test here loads its region again after the
previous one's flush, which costs a fraction of Kukar's load.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
import time_machine
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from mpp.queueing.tests.conftest import MONDAY_9

MAX_EXAMPLES = 25
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
ROLES = ["anonymous", "kiosk", "officer", "supervisor", "leadership", "administrator"]


@pytest.fixture
def keep_test_connection():  # type: ignore[no-untyped-def]
    """As Django's test client does: the WSGI handler must not close the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def mall_mpp(uji):  # type: ignore[no-untyped-def]
    from mpp.malls.models import Mall

    return Mall.objects.get(slug="mpp-uji")


@pytest.fixture
def open_monday(uji):  # type: ignore[no-untyped-def]
    """Monday 09:00 at MPP Uji: the mall takes numbers, so issuing and calling really happen."""
    with time_machine.travel(MONDAY_9, tick=False):
        yield


def _user(role: str) -> Any:
    from mpp.accounts.models import Role
    from mpp.accounts.tests.factories import make_staff

    staff = {
        "kiosk": {"role": Role.KIOSK, "mall": "mpp-uji"},
        "officer": {"role": Role.TENANT_OFFICER, "tenant": "dukcapil-uji", "malls": ("mpp-uji",)},
        "supervisor": {"role": Role.MALL_SUPERVISOR, "mall": "mpp-uji"},
        "leadership": {"role": Role.LEADERSHIP},
        "administrator": {"role": Role.REGENCY_ADMIN},
    }[role]
    return make_staff(**staff, username=f"{role}.uji", region="uji")  # type: ignore[arg-type]


def _headers(role: str) -> dict[str, str]:
    """Identity only: the WSGI test transport does not decompress, so no gzip."""
    headers = {"Accept-Encoding": "identity"}
    if role != "anonymous":
        from mpp.accounts.tests.factories import token_for

        headers["Authorization"] = f"Bearer {token_for(Client(), _user(role))}"
    return headers


def _real_ids(mall_mpp: Any) -> dict[str, list[int]]:
    """A real mall, its open Disdukcapil counters, a service it offers and waiting tickets."""
    from mpp.catalog.models import Service
    from mpp.queueing.actions import issue_ticket, set_counter_status
    from mpp.queueing.models import Counter, Ticket

    officer = _user("officer")
    counters = list(Counter.objects.filter(mall=mall_mpp, tenant__slug="dukcapil-uji")[:2])
    for counter in counters:
        set_counter_status(counter=counter, status=Counter.Status.OPEN, acting_user=officer)
    services = [Service.objects.get(slug=s).pk for s in ("akta-lahir-uji", "ktp-uji")]
    tickets = [
        issue_ticket(
            mall=mall_mpp,
            service=Service.objects.get(pk=services[n % 2]),
            channel=Ticket.Channel.KIOSK,
            priority=Ticket.Priority.NONE,
            idempotency_key=None,
        ).ticket.pk
        for n in range(6)
    ]
    return {
        "mall_id": [mall_mpp.pk],
        "counter_id": [c.pk for c in counters],
        "service_id": services,
        "ticket_id": tickets,
    }


def _with_real_ids(case: Any, ids: dict[str, list[int]], pick: Any) -> None:
    """Put real ids where the generated request has id parameters (the address and the body)."""
    for name in list(case.path_parameters or {}):
        if name in ids:
            case.path_parameters[name] = pick(ids[name])
    if isinstance(case.body, dict):
        for name in ("service_id", "ticket_id"):
            if name in case.body:
                case.body[name] = pick(ids[name])
    if isinstance(case.query, dict) and "mall" in case.query:
        case.query["mall"] = pick(ids["mall_id"])


# Transactional: each request commits as it would in production. Inside the test's transaction
# the connection was found marked for rollback right after the schema was loaded through the WSGI
# handler (cause not traced), and every later request failed as no server would.
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", ROLES)
def test_the_api_keeps_its_documented_promises_to_every_role(
    role, mall_mpp, keep_test_connection, open_monday
):
    headers = _headers(role)
    ids = _real_ids(mall_mpp)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20
    for operation in operations:

        @given(case=operation.as_strategy(), real=st.booleans(), data=st.data())
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case: Any, real: bool, data: Any) -> None:
            if real:
                _with_real_ids(case, ids, lambda values: data.draw(st.sampled_from(values)))
            case.call_and_validate(headers=headers, checks=CHECKS)

        check()


@pytest.mark.django_db(transaction=True)
def test_one_ticket_through_its_whole_life_keeps_the_documented_promises(
    mall_mpp, keep_test_connection, open_monday
):
    """The stateful sequence written out: a kiosk issues, an officer opens a counter, calls,
    recalls, serves, finishes; the citizen's page follows; then the wrong next steps (409)."""
    from mpp.catalog.models import Service
    from mpp.queueing.models import Counter

    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    kiosk, officer = _headers("kiosk"), _headers("officer")
    counter = Counter.objects.filter(mall=mall_mpp, tenant__slug="dukcapil-uji").first()
    service = Service.objects.get(slug="akta-lahir-uji")

    def call(method: str, path: str, headers: dict[str, str], **parts: Any) -> Any:
        case = schema[f"/api/v1{path}"][method].Case(**parts)
        return case.call_and_validate(headers=headers, checks=CHECKS)

    issued = call(
        "POST",
        "/malls/{mall_id}/tickets",
        kiosk,
        path_parameters={"mall_id": mall_mpp.pk},
        body={"service_id": service.pk},
    )
    assert issued.status_code == 201
    ticket = issued.json()
    steps = [
        ("/counters/{counter_id}/status", {"counter_id": counter.pk}, {"status": "open"}, 200),
        ("/counters/{counter_id}/call-next", {"counter_id": counter.pk}, None, 200),
        ("/tickets/{ticket_id}/recall", {"ticket_id": ticket["id"]}, None, 200),
        ("/tickets/{ticket_id}/start", {"ticket_id": ticket["id"]}, None, 200),
        ("/tickets/{ticket_id}/finish", {"ticket_id": ticket["id"]}, {"outcome": "done"}, 200),
        ("/tickets/{ticket_id}/start", {"ticket_id": ticket["id"]}, None, 409),
        ("/tickets/{ticket_id}/no-show", {"ticket_id": ticket["id"]}, None, 409),
    ]
    for path, params, body, expected in steps:
        parts: dict[str, Any] = {"path_parameters": params}
        if body is not None:
            parts["body"] = body
        response = call("POST", path, officer, **parts)
        assert response.status_code == expected, (path, response.text)
    page = call("GET", "/tickets/{code}", {}, path_parameters={"code": ticket["code"]})
    assert page.json()["status"] == "done"


def test_every_operation_declares_the_errors_any_request_may_meet(client):
    document = client.get("/api/v1/openapi.json").json()
    error = {"$ref": "#/components/schemas/Error"}
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            expected = {"400", "500"}
            if operation.get("security"):
                expected |= {"401", "403"}
            if method in ("post", "put", "patch", "delete"):
                expected |= {"413", "415"}
            if "{" in path:
                expected.add("404")
            for status in expected:
                schema = operation["responses"][status]["content"]["application/json"]["schema"]
                assert schema == error or error in schema["anyOf"], (method, path, status)
