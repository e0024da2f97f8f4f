"""Refusals of the investment app, said in Indonesian."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class RowError:
    """One problem of an imported file: the row as numbered in the file (the heading is row 1)
    and the canonical column, either of which is None for a problem of the whole file."""

    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(_("baris %(n)d") % {"n": self.row})
        if self.column:
            where.append(_("kolom %(c)s") % {"c": self.column})
        return f"{', '.join(where)}: {self.message}" if where else self.message


class ImportRejected(Exception):
    """A file with bad rows: nothing of it was imported."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors[:5]))
