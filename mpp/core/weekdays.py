"""Days of the week stored as a short string of ISO weekday digits: "12345" is Monday to Friday.

A string keeps the column readable in the database and in data files, and sorts naturally.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# ISO numbering (Monday = 1) as in datetime.isoweekday().
DAY_NAMES = {
    1: _("Senin"),
    2: _("Selasa"),
    3: _("Rabu"),
    4: _("Kamis"),
    5: _("Jumat"),
    6: _("Sabtu"),
    7: _("Minggu"),
}
# Names as written in the region data files (Indonesian, lower case).
DATA_NAMES = {
    "senin": 1,
    "selasa": 2,
    "rabu": 3,
    "kamis": 4,
    "jumat": 5,
    "sabtu": 6,
    "minggu": 7,
}
CHOICES = [(str(n), label) for n, label in DAY_NAMES.items()]


def parse(value: str) -> list[int]:
    """ "135" -> [1, 3, 5]; raises ValidationError on anything else."""
    try:
        days = sorted({int(ch) for ch in value})
    except ValueError:
        raise ValidationError(_("Hari harus berupa angka 1 (Senin) sampai 7 (Minggu).")) from None
    if any(d < 1 or d > 7 for d in days):
        raise ValidationError(_("Hari harus berupa angka 1 (Senin) sampai 7 (Minggu)."))
    return days


def encode(days: list[int] | set[int]) -> str:
    return "".join(str(d) for d in sorted(set(days)))


def validate(value: str) -> None:
    parse(value)


def describe(value: str) -> str:
    """ "12345" -> "Senin–Jumat"; "3" -> "Rabu"; "135" -> "Senin, Rabu, Jumat"."""
    days = parse(value)
    if not days:
        return ""
    if len(days) > 2 and days == list(range(days[0], days[-1] + 1)):
        return f"{DAY_NAMES[days[0]]}–{DAY_NAMES[days[-1]]}"
    return ", ".join(str(DAY_NAMES[d]) for d in days)
