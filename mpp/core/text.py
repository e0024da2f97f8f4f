"""Text normalisation shared by search and data loading: case, accents, spacing."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """Lower-case, strip accents and punctuation, collapse spaces.

    "Akta  Kélahiran!" -> "akta kelahiran".
    """
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", ascii_only.lower()).strip()


def words(text: str) -> list[str]:
    """The folded words of `text`."""
    folded = fold(text)
    return folded.split() if folded else []
