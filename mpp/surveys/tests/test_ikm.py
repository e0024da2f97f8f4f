"""The index computed by the rule of PermenPAN-RB 14/2017, against cases worked by hand."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from mpp.surveys import ikm
from mpp.surveys.ikm import STANDARD_CODES, Tally, compute, grade_of, krejcie_morgan


def tally_of(*rows: dict[str, int | None]) -> Tally:
    tally = Tally()
    for row in rows:
        tally.add(row)
    return tally


def everyone(score: int, n: int = 10) -> Tally:
    return tally_of(*[dict.fromkeys(STANDARD_CODES, score) for _ in range(n)])


def test_everyone_answering_3_gives_75_grade_c() -> None:
    result = compute(everyone(3))
    assert result.ikm == 3
    assert result.score == Decimal("75.00")
    assert (result.mutu, result.kinerja) == ("C", "Kurang Baik")


def test_everyone_answering_4_gives_exactly_100_with_exact_weights() -> None:
    assert compute(everyone(4)).score == Decimal("100.00")


def test_legacy_weights_pull_the_index_down_as_old_spreadsheets_did() -> None:
    assert compute(everyone(4), ikm.standard_weights("0.111")).score == Decimal("99.90")
    assert compute(everyone(4), ikm.standard_weights("0.11")).score == Decimal("99.00")


def test_nrr_divides_by_those_who_answered_the_element_not_by_everyone() -> None:
    # U4 answered by two of three respondents: (4 + 2) / 2 = 3, not 6 / 3 = 2.
    base = dict.fromkeys(STANDARD_CODES, 3)
    result = compute(tally_of({**base, "U4": 4}, {**base, "U4": 2}, {**base, "U4": None}))
    assert result.respondents == 3
    assert result.nrr["U4"] == 3
    assert result.score == Decimal("75.00")


def test_a_hand_worked_mixed_case() -> None:
    # Two respondents. Element sums: U1 4+3, U2 3+3, U3 2+3, U4 4+4, U5 3+2, U6 4+4, U7 4+3,
    # U8 1+2, U9 3+3 = 7,6,5,8,5,8,7,3,6 → NRR = half of each; Σ NRR = 55/2; IKM = 55/18;
    # converted = 55/18 × 25 = 76.3888… → 76.39, grade C.
    a = dict(zip(STANDARD_CODES, [4, 3, 2, 4, 3, 4, 4, 1, 3], strict=True))
    b = dict(zip(STANDARD_CODES, [3, 3, 3, 4, 2, 4, 3, 2, 3], strict=True))
    result = compute(tally_of(a, b))
    assert result.nrr["U8"] == Fraction(3, 2)
    assert result.ikm == Fraction(55, 18)
    assert result.score == Decimal("76.39")
    assert result.mutu == "C"
    assert [code for code, _ in result.weakest(2)] == ["U8", "U3"]


@pytest.mark.parametrize(
    ("score", "mutu", "kinerja"),
    [
        ("64.99", "D", "Tidak Baik"),
        ("65.00", "C", "Kurang Baik"),
        ("76.60", "C", "Kurang Baik"),
        ("76.61", "B", "Baik"),
        ("88.30", "B", "Baik"),
        ("88.31", "A", "Sangat Baik"),
        ("100.00", "A", "Sangat Baik"),
        ("25.00", "D", "Tidak Baik"),
    ],
)
def test_grade_boundaries(score: str, mutu: str, kinerja: str) -> None:
    assert grade_of(Decimal(score)) == (mutu, kinerja)


def test_the_grade_is_read_off_the_rounded_value() -> None:
    # IKM such that ×25 = 88.305 exactly: rounds half up to 88.31, grade A (not B).
    result = compute(Tally(respondents=1, sums={}, counts={}), {})
    assert result.score is None
    assert ikm.round_half_up(Fraction(88305, 1000)) == Decimal("88.31")
    assert grade_of(ikm.round_half_up(Fraction(88305, 1000)))[0] == "A"
    assert ikm.round_half_up(Fraction(766049, 10000)) == Decimal("76.60")


def test_blank_answers_are_not_zeros_and_all_blank_rows_are_not_respondents() -> None:
    tally = tally_of({"U1": 4}, dict.fromkeys(STANDARD_CODES))
    assert tally.respondents == 1
    result = compute(tally)
    # Only U1 was answered: the others have no NRR and the index rests on U1 alone.
    assert result.nrr["U1"] == 4 and result.nrr["U2"] is None
    assert result.score == Decimal("100.00")


def test_no_answers_no_index() -> None:
    result = compute(Tally())
    assert (result.respondents, result.ikm, result.score, result.mutu) == (0, None, None, None)


def test_a_units_extra_element_with_weights_summing_to_one() -> None:
    weights = {**dict.fromkeys(STANDARD_CODES, Fraction(1, 10)), "U10": Fraction(1, 10)}
    row = {**dict.fromkeys(STANDARD_CODES, 3), "U10": 1}
    result = compute(tally_of(row), weights)
    assert result.ikm == Fraction(28, 10)
    assert result.score == Decimal("70.00")


@pytest.mark.parametrize(
    ("population", "required"),
    [(10, 10), (100, 80), (500, 217), (1_000, 278), (10_000, 370), (1_000_000, 384), (0, 0)],
)
def test_krejcie_morgan_table(population: int, required: int) -> None:
    assert krejcie_morgan(population) == required


def test_json_keeps_two_decimals() -> None:
    text = ikm.to_json(compute(everyone(3)).as_dict())
    assert '"score": 75.00' in text
    assert '"mutu": "C"' in text
    assert '"U1": 3.0000' in text
