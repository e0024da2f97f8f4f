"""Indonesian number formats for money and shares: "Rp10,9 triliun", "58,3%", "8.802"."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

SCALES = (
    (10**12, "triliun", "T"),
    (10**9, "miliar", "M"),
    (10**6, "juta", "jt"),
)


def number(value: int) -> str:
    """8802 → "8.802" (the dot groups thousands in Indonesian)."""
    return f"{value:,}".replace(",", ".")


def _decimal(value: Decimal, places: int) -> str:
    text = str(value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def rupiah(value: int, *, short: bool = False) -> str:
    """16_400_000_000_000 → "Rp16,4 triliun" (or "Rp16,4 T" with short=True)."""
    sign = "-" if value < 0 else ""
    value = abs(value)
    for scale, word, abbreviation in SCALES:
        if value >= scale:
            amount = Decimal(value) / scale
            places = 2 if amount < 100 else 1 if amount < 1000 else 0
            unit = abbreviation if short else word
            return f"{sign}Rp{_decimal(amount, places)} {unit}"
    return f"{sign}Rp{number(value)}"


def percent(value: float | None, places: int = 1) -> str:
    if value is None:
        return _("–")
    return f"{_decimal(Decimal(repr(value * 100)), places)}%"


def growth(value: float | None) -> str:
    """+12,5% or −3,1% against an earlier period; "–" without one."""
    if value is None:
        return _("–")
    sign = "+" if value >= 0 else "−"
    return f"{sign}{percent(abs(value))}"
