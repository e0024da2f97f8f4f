"""The NIK's form: each fault found, the century decided, masking."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mpp.core.nik import Nik, NikFault, Sex, mask_nik, parse_nik


def test_the_domain_example_is_a_woman_of_tenggarong_born_7_august_1995():
    parsed = parse_nik("6402064708950001")
    assert isinstance(parsed, Nik)
    assert parsed.region_code == "640206" and parsed.sex == Sex.FEMALE
    assert parsed.birth_date(today=dt.date(2026, 12, 7)) == dt.date(1995, 8, 7)


@pytest.mark.parametrize(
    ("value", "fault"),
    [
        ("640206470895001", NikFault.NOT_16_DIGITS),
        ("64020647089500011", NikFault.NOT_16_DIGITS),
        ("6402０64708950001", NikFault.NOT_16_DIGITS),  # a full-width digit is not a digit here
        ("6402 64708950001", NikFault.NOT_16_DIGITS),
        ("9902064708950001", NikFault.UNKNOWN_PROVINCE),
        ("2002064708950001", NikFault.UNKNOWN_PROVINCE),
        ("6402060008950001", NikFault.BAD_DAY),
        ("6402063208950001", NikFault.BAD_DAY),
        ("6402064008950001", NikFault.BAD_DAY),
        ("6402067208950001", NikFault.BAD_DAY),
        ("6402060100950001", NikFault.BAD_MONTH),
        ("6402060113950001", NikFault.BAD_MONTH),
        ("6402063104950001", NikFault.NOT_A_DATE),  # 31 April
        ("6402062902950001", NikFault.NOT_A_DATE),  # 29 February 1995 / 2095
        ("6402064708950000", NikFault.SERIAL_ZERO),
    ],
)
def test_each_fault_is_named(value, fault):
    assert parse_nik(value) == fault


def test_29_february_exists_in_2000_and_in_leap_years():
    assert isinstance(parse_nik("6402062902000001"), Nik)  # YY 00: 2000 was a leap year
    assert isinstance(parse_nik("6402066902960001"), Nik)  # a woman born 29 February 1996


def test_yy_00_is_2000_not_1900():
    parsed = parse_nik("6402061503000001")
    assert isinstance(parsed, Nik)
    assert parsed.birth_date(today=dt.date(2026, 12, 7)) == dt.date(2000, 3, 15)
    assert parsed.matches_birth_date(dt.date(2000, 3, 15))


def test_a_year_after_this_one_is_last_century():
    parsed = parse_nik("6402061503300001")
    assert isinstance(parsed, Nik)
    assert parsed.birth_date(today=dt.date(2026, 12, 7)) == dt.date(1930, 3, 15)


def test_masking_keeps_the_first_and_last_four():
    assert mask_nik("6402064708950001") == "6402••••••••0001"


@given(st.text(max_size=40))
def test_any_text_is_a_nik_or_a_named_fault(text):
    assert isinstance(parse_nik(text), Nik | NikFault)
