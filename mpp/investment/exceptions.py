"""Refusals of the investment app, said in Indonesian."""

from __future__ import annotations

from mpp.core.sheets import RowError as RowError  # the problems an import reports


class ImportRejected(Exception):
    """A file with bad rows: nothing of it was imported."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors[:5]))
