"""One response per ticket under real concurrent submissions (SQLite in `make test`, PostgreSQL
in CI's second pass)."""

from __future__ import annotations

import pytest

from mpp.queueing.tests.test_concurrency import run_parallel
from mpp.surveys import actions
from mpp.surveys.exceptions import TokenRefused
from mpp.surveys.models import Response, SurveyToken

pytestmark = pytest.mark.django_db(transaction=True)

ALL = {f"U{i}": 4 for i in range(1, 10)}


def test_concurrent_submissions_of_one_token_store_one_response(served):
    tickets = [served() for _ in range(3)]
    tokens = [actions.survey_token_for(t) for t in tickets]

    def work(i: int) -> str:
        token = tokens[i % len(tokens)]
        assert token is not None
        try:
            actions.record_survey_response(token=token.token, answers=ALL)
        except TokenRefused as exc:
            return exc.code
        return "recorded"

    results, errors = run_parallel(12, work)
    assert errors == []
    assert sorted(results).count("recorded") == 3
    assert set(results) == {"recorded", "token_used"}
    assert Response.objects.count() == 3
    assert SurveyToken.objects.unused().count() == 0


def test_concurrent_first_visits_make_one_token(served):
    ticket = served()

    def work(i: int) -> int:
        token = actions.survey_token_for(ticket)
        assert token is not None
        return token.pk

    results, errors = run_parallel(8, work)
    assert errors == []
    assert len(set(results)) == 1
    assert SurveyToken.objects.filter(ticket=ticket).count() == 1
