from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from mpp.core import weekdays


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("12345", "Senin–Jumat"),
        ("3", "Rabu"),
        ("135", "Senin, Rabu, Jumat"),
        ("24", "Selasa, Kamis"),
    ],
)
def test_days_are_described_in_indonesian(value, text):
    assert weekdays.describe(value) == text


@pytest.mark.parametrize("value", ["8", "a", "0"])
def test_invalid_days_are_refused(value):
    with pytest.raises(ValidationError):
        weekdays.validate(value)
