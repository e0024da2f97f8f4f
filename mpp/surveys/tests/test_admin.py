"""The regency admin edits questionnaires; the elements' weights must sum to exactly 1."""

from __future__ import annotations

from mpp.surveys.models import Questionnaire


def element(i: int, code: str, numerator: int, denominator: int) -> dict[str, str]:
    prefix = f"elements-{i}-"
    return {
        prefix + "position": str(i + 1),
        prefix + "code": code,
        prefix + "name": f"Unsur {code}",
        prefix + "question": f"Pertanyaan {code}?",
        prefix + "weight_numerator": str(numerator),
        prefix + "weight_denominator": str(denominator),
        **{prefix + f"label_{n}": f"Jawaban {n}" for n in range(1, 5)},
    }


def form(*elements: dict[str, str]) -> dict[str, str]:
    data = {
        "title": "Kuesioner uji",
        "is_active": "on",
        "elements-TOTAL_FORMS": str(len(elements)),
        "elements-INITIAL_FORMS": "0",
        "elements-MIN_NUM_FORMS": "0",
        "elements-MAX_NUM_FORMS": "1000",
    }
    for e in elements:
        data.update(e)
    return data


def test_weights_summing_to_one_are_saved(client, cast):
    client.force_login(cast.regency_admin())
    tenths = [element(i, f"U{i + 1}", 1, 10) for i in range(9)]
    posted = client.post(
        "/admin/surveys/questionnaire/add/", form(*tenths, element(9, "U10", 1, 10))
    )
    assert posted.status_code == 302
    saved = Questionnaire.objects.get(title="Kuesioner uji")
    assert sum(saved.weights().values()) == 1
    assert saved.weights()["U10"].denominator == 10


def test_weights_not_summing_to_one_are_refused(client, cast):
    client.force_login(cast.regency_admin())
    rounded = [element(i, f"U{i + 1}", 111, 1000) for i in range(9)]  # 0,999: the rounding trap
    posted = client.post("/admin/surveys/questionnaire/add/", form(*rounded))
    assert posted.status_code == 200
    assert "harus tepat 1" in posted.content.decode()
    assert not Questionnaire.objects.filter(title="Kuesioner uji").exists()


def test_an_element_code_twice_is_refused(client, cast):
    client.force_login(cast.regency_admin())
    twice = [element(0, "U1", 1, 2), element(1, "U1", 1, 2)]
    posted = client.post("/admin/surveys/questionnaire/add/", form(*twice))
    assert posted.status_code == 200
    assert not Questionnaire.objects.filter(title="Kuesioner uji").exists()


def test_only_the_regency_admin_adds_questionnaires(client, cast):
    client.force_login(cast.supervisor_mpp())
    assert client.get("/admin/surveys/questionnaire/add/").status_code == 403
