"""Template filters for investment figures; they format, they do not decide."""

from __future__ import annotations

from django import template

from mpp.investment import formats

register = template.Library()


@register.filter
def rupiah(value: int | None) -> str:
    """None (no figure) shows as a dash, never as Rp0."""
    return "–" if value is None else formats.rupiah(int(value))


@register.filter
def rupiah_short(value: int) -> str:
    return formats.rupiah(int(value or 0), short=True)


@register.filter
def percent(value: float | None) -> str:
    return formats.percent(value)


@register.filter
def growth(value: float | None) -> str:
    return formats.growth(value)


@register.filter
def number(value: int) -> str:
    return formats.number(int(value or 0))


@register.filter
def div_percent(value: int, whole: int) -> str:
    """The share `value` is of `whole`, as a percentage ("141,0%")."""
    return formats.percent(int(value or 0) / whole if whole else None)
