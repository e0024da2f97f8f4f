"""Refusals of the investment app, said in Indonesian."""

from __future__ import annotations

from mpp.core.sheets import RowError as RowError  # the problems an import reports


class ImportRejected(Exception):
    """A file with bad rows: nothing of it was imported. `code` is the machine code of a whole
    file refused before it was read (core.sheets.Refusal: file_too_large, too_many_cells...)."""

    def __init__(self, errors: list[RowError], *, code: str = "import_rejected") -> None:
        self.errors = errors
        self.code = code
        super().__init__("; ".join(str(e) for e in errors[:5]))
