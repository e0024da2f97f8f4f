"""Domain errors of the catalogue, with messages for citizens and staff (Indonesian)."""


class CatalogError(Exception):
    """A request that breaks a rule of the catalogue; `str(exc)` is the user-facing message."""
