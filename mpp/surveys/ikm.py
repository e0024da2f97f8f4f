"""The satisfaction index (IKM) exactly as PermenPAN-RB 14/2017 computes it (domain/skm.md).

1. NRR per element = sum of its scores / number of respondents who answered it (blank ≠ 0).
2. IKM (1–4) = Σ NRR × weight; the nine standard weights are exactly 1/9.
3. Converted value (25–100) = IKM × 25, rounded half up to two decimals only at the very end;
   the grade (mutu) and performance (kinerja) are read off that rounded value.

Everything is a `Fraction` until the last step: "0,111" printed in reports is a rounded 1/9, and
computing with it pulls every index down (all 4s give 99,90 instead of 100,00). The rounded legacy
weights exist only as an explicit option, to reconcile old spreadsheets.

Inputs are tallies — per element, the sum and the count of its answers — which SQL aggregates
produce (`queries.tally`) and which `mpp ikm compute` builds from a CSV file.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

STANDARD_CODES: tuple[str, ...] = tuple(f"U{i}" for i in range(1, 10))

EXACT = "exact"
LEGACY_WEIGHTS: dict[str, Fraction] = {"0.111": Fraction(111, 1000), "0.11": Fraction(11, 100)}
WEIGHT_CHOICES = (EXACT, *LEGACY_WEIGHTS)


# (lowest rounded converted value, mutu, kinerja), best first. 76,66 as the top of C in one widely
# copied table is a typo: the regulation's boundary is 76,60 / 76,61.
def gettext_noop(text: str) -> str:
    """Marks a string for translation (xgettext knows the name) without Django: this module
    is plain arithmetic."""
    return text


GRADES: tuple[tuple[Decimal, str, str], ...] = (
    # The regulation's words, kept Indonesian in computations and files; pages translate them
    # where they show them ({% translate row.kinerja %}), hence gettext_noop.
    (Decimal("88.31"), "A", gettext_noop("Sangat Baik")),
    (Decimal("76.61"), "B", gettext_noop("Baik")),
    (Decimal("65.00"), "C", gettext_noop("Kurang Baik")),
    (Decimal("25.00"), "D", gettext_noop("Tidak Baik")),
)


def standard_weights(option: str = EXACT) -> dict[str, Fraction]:
    """The nine elements' weights: exactly 1/9, or a labelled legacy rounding of it."""
    if option == EXACT:
        weight = Fraction(1, 9)
    elif option in LEGACY_WEIGHTS:
        weight = LEGACY_WEIGHTS[option]
    else:
        raise ValueError(option)
    return dict.fromkeys(STANDARD_CODES, weight)


@dataclass
class Tally:
    """Per element, the sum and count of the answers given; respondents answered at least one."""

    respondents: int = 0
    sums: dict[str, int] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, answers: Mapping[str, int | None]) -> None:
        given = {code: score for code, score in answers.items() if score is not None}
        if not given:
            return
        self.respondents += 1
        for code, score in given.items():
            self.sums[code] = self.sums.get(code, 0) + score
            self.counts[code] = self.counts.get(code, 0) + 1


def round_half_up(value: Fraction, places: int = 2) -> Decimal:
    """`value` rounded half up to `places` decimals, exactly (no float, no context precision)."""
    scale = 10**places
    units = math.floor(value * scale + Fraction(1, 2))
    return Decimal(units).scaleb(-places)


def grade_of(score: Decimal) -> tuple[str, str]:
    """Mutu and kinerja of a rounded converted value (25,00–100,00)."""
    for lowest, mutu, kinerja in GRADES:
        if score >= lowest:
            return mutu, kinerja
    return GRADES[-1][1], GRADES[-1][2]


@dataclass(frozen=True)
class Index:
    respondents: int
    nrr: dict[str, Fraction | None]  # None: nobody answered the element
    ikm: Fraction | None
    score: Decimal | None
    mutu: str | None
    kinerja: str | None
    weights: dict[str, Fraction]

    def element_score(self, code: str) -> Decimal | None:
        """The element's NRR on the converted scale (NRR × 25, two decimals): weak elements."""
        value = self.nrr.get(code)
        return None if value is None else round_half_up(value * 25)

    def weakest(self, n: int = 3) -> list[tuple[str, Decimal]]:
        ranked = [(c, s) for c in self.nrr if (s := self.element_score(c)) is not None]
        return sorted(ranked, key=lambda pair: (pair[1], pair[0]))[:n]

    def as_dict(self) -> dict[str, object]:
        """The contract's shape (issue 4), numbers as Decimals: NRR and IKM to four decimals,
        the converted value to two."""
        return {
            "respondents": self.respondents,
            "nrr": {c: None if v is None else round_half_up(v, 4) for c, v in self.nrr.items()},
            "ikm": None if self.ikm is None else round_half_up(self.ikm, 4),
            "score": self.score,
            "mutu": self.mutu,
            "kinerja": self.kinerja,
        }


def compute(tally: Tally, weights: Mapping[str, Fraction] | None = None) -> Index:
    """The index of a tally under `weights` (the exact standard nine when None).

    An element nobody answered has no NRR; the others' weights are then scaled to sum to what
    they summed to before, so a questionnaire where, say, every respondent left the fee
    question blank still yields an index on the same 1–4 scale. With no answers at all there is
    no index (respondents 0, every value None)."""
    weights = dict(weights or standard_weights())
    nrr: dict[str, Fraction | None] = {}
    for code in weights:
        count = tally.counts.get(code, 0)
        nrr[code] = Fraction(tally.sums.get(code, 0), count) if count else None
    answered = {c: w for c, w in weights.items() if nrr[c] is not None}
    if not answered:
        return Index(tally.respondents, nrr, None, None, None, None, weights)
    scale = sum(weights.values(), Fraction(0)) / sum(answered.values(), Fraction(0))
    ikm = sum((nrr[c] * w * scale for c, w in answered.items()), Fraction(0))  # type: ignore[operator]
    score = round_half_up(ikm * 25)
    mutu, kinerja = grade_of(score)
    return Index(tally.respondents, nrr, ikm, score, mutu, kinerja, weights)


def to_json(value: object, indent: int | None = None) -> str:
    """JSON with Decimals written as they are (75.00 stays 75.00, never 75.0)."""

    def encode(obj: object) -> object:
        if isinstance(obj, Decimal):
            return _Raw(str(obj))
        if isinstance(obj, dict):
            return {k: encode(v) for k, v in obj.items()}
        if isinstance(obj, list | tuple):
            return [encode(v) for v in obj]
        return obj

    text = json.dumps(encode(value), default=lambda raw: f"\0{raw.text}\0", indent=indent)
    # Raw numbers were written as "\u0000123.45\u0000" strings: unquote them.
    return text.replace('"\\u0000', "").replace('\\u0000"', "")


@dataclass(frozen=True)
class _Raw:
    text: str


def krejcie_morgan(population: int) -> int:
    """Minimum respondents for a population of service users (Krejcie & Morgan, 1970):
    s = X²·N·P(1−P) / (d²(N−1) + X²·P(1−P)), X² = 3,841, P = 0,5, d = 0,05, to the nearest whole
    number (half up)."""
    if population <= 0:
        return 0
    chi2, p, d = Fraction(3841, 1000), Fraction(1, 2), Fraction(1, 20)
    s = chi2 * population * p * (1 - p) / (d * d * (population - 1) + chi2 * p * (1 - p))
    return math.floor(s + Fraction(1, 2))
