"""The door-prize draw anyone can check (issue 20's contract), used by `mpp nikah draw` and by
the programme's page alike.

Before the draw the page publishes the entrants (registration codes, no names) and two hashes:
`entrants_sha256`, of the codes sorted ascending each followed by "\\n" (what `sha256sum` prints
for the published file), and `seed_sha256`, of the seed's UTF-8 bytes. At the draw the seed is
revealed; the winner of prize k is the entrant at rank k when the entrants are ordered by the
hex SHA-256 of `SEED + ":" + CODE` ascending. Nobody can pick the order: the seed was fixed
(and its hash published) before anyone knew which codes the hashes would favour.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass


class DuplicateEntrant(ValueError):
    """A code listed twice: an entrant must have one chance."""

    def __init__(self, codes: list[str]) -> None:
        super().__init__(", ".join(codes))
        self.codes = codes


@dataclass(frozen=True)
class DrawResult:
    entrants_sha256: str
    seed_sha256: str
    winners: list[tuple[int, str]]  # (prize rank, entrant code)

    def as_dict(self) -> dict[str, object]:
        return {
            "entrants_sha256": self.entrants_sha256,
            "seed_sha256": self.seed_sha256,
            "winners": [{"prize": prize, "entrant": code} for prize, code in self.winners],
        }


def entrants_file(codes: Iterable[str]) -> str:
    """The published list: the codes sorted ascending, one a line, each ending in "\\n"."""
    return "".join(f"{code}\n" for code in sorted(codes))


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def check_unique(codes: list[str]) -> None:
    repeated = sorted(code for code, n in Counter(codes).items() if n > 1)
    if repeated:
        raise DuplicateEntrant(repeated)


def draw_winners(codes: list[str], seed: str, prizes: int) -> DrawResult:
    """The winners of prizes 1..`prizes` (fewer when there are fewer entrants)."""
    check_unique(codes)
    ordered = sorted(codes, key=lambda code: (sha256_hex(f"{seed}:{code}"), code))
    return DrawResult(
        entrants_sha256=sha256_hex(entrants_file(codes)),
        seed_sha256=sha256_hex(seed),
        winners=[(rank, code) for rank, code in enumerate(ordered[:prizes], start=1)],
    )
