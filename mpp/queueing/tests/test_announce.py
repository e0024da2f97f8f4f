"""What the boards say: numbers in Indonesian words, the counter always named."""

from __future__ import annotations

import pytest

from mpp.queueing.announce import call_text, number_in_words


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (1, "satu"),
        (10, "sepuluh"),
        (11, "sebelas"),
        (12, "dua belas"),
        (20, "dua puluh"),
        (100, "seratus"),
        (101, "seratus satu"),
        (123, "seratus dua puluh tiga"),
        (999, "sembilan ratus sembilan puluh sembilan"),
    ],
)
def test_numbers_are_said_in_indonesian(n, words):
    assert number_in_words(n) == words


def test_a_call_names_the_number_and_the_counter():
    assert call_text(letter="A", number=123, counter_number=3) == (
        "Nomor antrean A seratus dua puluh tiga, silakan menuju loket tiga"
    )
