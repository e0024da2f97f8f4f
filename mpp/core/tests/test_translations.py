"""The English catalogue is complete, and its compiled form is the same catalogue."""

from __future__ import annotations

from pathlib import Path

import polib
from django.conf import settings

PO = Path(settings.BASE_DIR) / "mpp" / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_every_interface_string_has_an_english_translation():
    catalogue = polib.pofile(str(PO))
    assert [e.msgid for e in catalogue.untranslated_entries()] == []
    assert [e.msgid for e in catalogue.fuzzy_entries()] == []


def test_the_compiled_catalogue_matches_the_source():
    source = {
        (e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural)
        for e in polib.pofile(str(PO)).translated_entries()
    }
    compiled = {
        (e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural)
        for e in polib.mofile(str(PO.with_suffix(".mo")))
        if e.msgid
    }
    assert compiled == source, "run `make messages` to recompile django.mo"
