"""A unit's own questionnaire with a tenth element: answered, stored in the JSON column, and
counted in SQL with the unit's weights (PermenPAN-RB 14/2017 lets a unit add elements as long
as the weights still sum to 1)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from mpp.surveys import actions
from mpp.surveys.exceptions import SurveyError
from mpp.surveys.models import STANDARD_CODES, Element, Questionnaire, Response
from mpp.surveys.queries import Scope, index_for, period_of


def tenths_questionnaire(mall) -> Questionnaire:  # type: ignore[no-untyped-def]
    questionnaire = Questionnaire.objects.create(title="SKM MPP Kukar", mall=mall)
    for position, code in enumerate([*STANDARD_CODES, "U10"], start=1):
        Element.objects.create(
            questionnaire=questionnaire,
            code=code,
            name=f"Unsur {code}",
            question=f"Pertanyaan {code}?",
            position=position,
            weight_numerator=1,
            weight_denominator=10,
            label_1="1",
            label_2="2",
            label_3="3",
            label_4="4",
        )
    questionnaire.check_weights()
    return questionnaire


def test_a_tenth_element_is_answered_stored_and_weighed(client, served, mall_mpp):
    questionnaire = tenths_questionnaire(mall_mpp)
    token = actions.survey_token_for(served())
    page = client.get(f"/survei/isi/{token.token}/")
    assert 'id="q-U10"' in page.content.decode()
    posted = client.post(
        f"/survei/isi/{token.token}/", {**{c.lower(): "3" for c in STANDARD_CODES}, "u10": "1"}
    )
    assert posted.status_code == 302
    response = Response.objects.get()
    assert response.questionnaire == questionnaire
    assert response.extra_answers == {"U10": 1}
    result = index_for(Scope(mall=mall_mpp), period_of("month", 2026, 11))
    assert result.weights["U10"] == Fraction(1, 10)
    assert result.nrr["U10"] == 1
    # (9 × 3 + 1) / 10 = 2.8 → × 25 = 70.00, grade C.
    assert result.score == Decimal("70.00")
    assert result.mutu == "C"


def test_an_extra_element_outside_1_to_4_is_refused_by_name(served, mall_mpp):
    tenths_questionnaire(mall_mpp)
    token = actions.survey_token_for(served())
    with pytest.raises(SurveyError) as refused:
        actions.record_survey_response(token=token.token, answers={"U1": 4, "U10": 7})
    assert refused.value.field == "U10"
    assert not Response.objects.exists()
