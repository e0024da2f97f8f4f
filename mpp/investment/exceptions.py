"""Refusals of the investment app, said in Indonesian."""

from __future__ import annotations

from enum import StrEnum

from mpp.core.errors import Refused
from mpp.core.sheets import Refusal
from mpp.core.sheets import RowError as RowError  # the problems an import reports


class InvestmentCode(StrEnum):
    """Stable machine codes of the investment app's refusals."""

    IMPORT_REJECTED = "import_rejected"


class ImportRejected(Refused):
    """A file with bad rows: nothing of it was imported (core.errors.Refused, HTTP 400). `code`
    is import_rejected, or the machine code of a whole file refused before it was read
    (core.sheets.Refusal: file_too_large, too_many_cells...)."""

    codes = (InvestmentCode, Refusal)

    def __init__(
        self, errors: list[RowError], *, code: InvestmentCode | str = InvestmentCode.IMPORT_REJECTED
    ) -> None:
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors[:5]), code=code)
