"""Indonesian mobile numbers as people type them, read into 628…; masked when shown."""

from __future__ import annotations

import pytest

from mpp.notifications.phone import InvalidPhone, mask_phone, parse_phone


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("081234567890", "6281234567890"),
        ("0812-3456-7890", "6281234567890"),
        ("0812 3456 789", "628123456789"),
        ("+62 812 3456 7890", "6281234567890"),
        ("6281234567890", "6281234567890"),
        ("+62-852.1234.5678", "6285212345678"),
        (" (0811) 5400 123 ", "628115400123"),
    ],
)
def test_typed_forms_read_into_one(typed: str, stored: str) -> None:
    assert parse_phone(typed) == stored


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("", "wajib diisi"),
        ("   ", "wajib diisi"),
        ("+65 8123 4567", "Indonesia"),
        ("0812-34x6-7890", "hanya boleh berisi angka"),
        ("０８１２３４５６７８９０", "hanya boleh berisi angka"),  # full-width digits
        ("812345678", "awalan 08"),
        ("0215551234", "seluler"),
        ("+62 21 555 1234", "seluler"),
        ("0812345", "terlalu pendek"),
        ("08123456789012345", "terlalu pendek atau terlalu panjang"),
    ],
)
def test_what_is_not_a_mobile_number_is_refused_in_indonesian(typed: str, says: str) -> None:
    with pytest.raises(InvalidPhone) as refused:
        parse_phone(typed)
    assert says in str(refused.value)
    assert isinstance(refused.value, ValueError)


def test_the_shortest_and_longest_stored_forms() -> None:
    with pytest.raises(InvalidPhone):
        parse_phone("08123456")  # 9 digits in all
    assert parse_phone("081234567") == "6281234567"  # 10 digits in all
    assert parse_phone("0812345678901") == "62812345678901"  # 14 digits in all
    with pytest.raises(InvalidPhone):
        parse_phone("08123456789012")  # 15


def test_a_number_is_shown_masked() -> None:
    assert mask_phone("628123456789") == "0812****789"
    assert mask_phone("6281234567890") == "0812****890"
    assert mask_phone("") == ""
    assert "4567" not in mask_phone("6281234567890")
