"""The demo's synthetic responses: labelled, once per mall, and MPP Kukar graded A."""

from __future__ import annotations

from mpp.surveys.demo import SOURCE, load_demo_responses
from mpp.surveys.models import Response, SurveyImport
from mpp.surveys.queries import Scope, index_for, period_of


def test_demo_responses_are_labelled_synthetic_and_loaded_once(monday, kukar, mall_mpp):
    made = load_demo_responses(kukar)
    assert made > 1000
    assert load_demo_responses(kukar) == 0
    assert Response.objects.count() == made
    assert set(Response.objects.values_list("source__file_name", flat=True)) == {SOURCE}
    assert SurveyImport.objects.filter(mall=mall_mpp, file_name=SOURCE).get().rows > 0
    result = index_for(Scope(mall=mall_mpp), period_of("year", 2026))
    assert result.mutu == "A"


def test_the_public_page_says_when_demo_data_is_synthetic(client, monday, kukar, mall_mpp):
    assert "data-synthetic" not in client.get("/mal/mpp-kukar/ikm/").content.decode()
    load_demo_responses(kukar)
    page = client.get("/mal/mpp-kukar/ikm/").content.decode()
    assert "data-synthetic" in page and "sintetis" in page
