"""Domain errors of the catalogue, with messages for citizens and staff (Indonesian)."""

from __future__ import annotations

from enum import StrEnum

from mpp.core.errors import Refused


class CatalogCode(StrEnum):
    """Stable machine codes of the catalogue's refusals."""

    REFUSED = "catalog_refused"  # the message says which rule (MallService.clean...)


class CatalogError(Refused):
    """A request that breaks a rule of the catalogue (HTTP 400); `str(exc)` is the user-facing
    message."""

    codes = (CatalogCode,)

    def __init__(self, message: str, *, code: CatalogCode | str = CatalogCode.REFUSED) -> None:
        super().__init__(message, code=code)
