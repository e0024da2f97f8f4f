"""What the display boards say when a number is called, in Indonesian words."""

from __future__ import annotations

from num2words import num2words


def number_in_words(n: int) -> str:
    """123 -> "seratus dua puluh tiga" (num2words, lang="id")."""
    return str(num2words(n, lang="id"))


def call_text(*, letter: str, number: int, counter_number: int) -> str:
    """ "Nomor antrean A seratus dua puluh tiga, silakan menuju loket tiga"."""
    return (
        f"Nomor antrean {letter} {number_in_words(number)}, "
        f"silakan menuju loket {number_in_words(counter_number)}"
    )
