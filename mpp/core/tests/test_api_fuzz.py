"""Fuzz the API from its own OpenAPI document (schemathesis): no 5xx, no undeclared status
codes, every response body matches its declared schema."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings


@pytest.fixture
def keep_test_connection():  # type: ignore[no-untyped-def]
    """As Django's test client does: the WSGI handler must not close the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
def test_the_api_keeps_its_documented_promises(kukar, keep_test_connection):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 8
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=30, deadline=None, database=None, suppress_health_check=list(HealthCheck)
        )
        def check(case):  # type: ignore[no-untyped-def]
            # The WSGI test transport does not decompress; the gzip path is covered by the bench.
            case.call_and_validate(headers={"Accept-Encoding": "identity"})

        check()
