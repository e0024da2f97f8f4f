"""Text normalisation shared by search and data loading: case, accents, spacing."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^0-9a-z]+")

# PostgreSQL's text cannot hold a NUL character (such a request failed with a 500 there, found
# by the API fuzz test) and no field of ours needs one. The API's string inputs declare this
# pattern, in the OpenAPI document too, so a NUL is a 400 that names its field.
NO_NUL = r"^[^\x00]*$"


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
