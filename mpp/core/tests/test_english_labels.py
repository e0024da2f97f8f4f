"""Every label of a model choice reads in English in English mode (issue 18, item 20: ticket
states and grades stayed Indonesian), except the few that are the same in both languages."""

from __future__ import annotations

from django.apps import apps
from django.utils import translation

from mpp.surveys import ikm

# Names and codes that English keeps as they are.
SAME_IN_ENGLISH = {
    "MPP",
    "Mini MPP",
    "Auditor",
    "Metapers",
    "08.00–12.00",
    "13.00–17.00",
    "PMA",
    "PMDN",
    # The outbox's channels and providers (docs/adr/0033): names of products.
    "WhatsApp",
    "SMS",
    "Fonnte",
    "WhatsApp Business Cloud API",
    # Where an estimate was shown, and a booking's channel (docs/adr/0034, 0035).
    "API",
}


def _labels() -> set[tuple[str, str, str]]:
    found = set()
    for model in apps.get_models():
        if not model.__module__.startswith("mpp."):
            continue
        for field in model._meta.get_fields():
            for _value, label in getattr(field, "choices", None) or []:
                if not isinstance(label, (list, tuple)):
                    found.add((model.__name__, field.name, label))
    return found


def test_every_model_choice_has_an_english_label() -> None:
    untranslated = []
    for model, field, label in _labels():
        with translation.override("id"):
            indonesian = str(label)
        with translation.override("en"):
            english = str(label)
        if english == indonesian and indonesian not in SAME_IN_ENGLISH:
            untranslated.append(f"{model}.{field}: {indonesian}")
    assert untranslated == []


def test_the_grades_words_read_in_english() -> None:
    with translation.override("en"):
        words = [translation.gettext(kinerja) for _lowest, _mutu, kinerja in ikm.GRADES]
    assert words == ["Very good", "Good", "Poor", "Very poor"]
