"""The NIK, Indonesia's 16-digit identity number, read for its form (../shared/domain/nik.md).

`PP KK CC DD MM YY SSSS`: the Kemendagri code of the kecamatan where the person was first
registered, the day of birth (plus 40 for women), the month, the last two digits of the year,
and a serial from 0001. There is no checksum: a well-formed NIK may still belong to nobody, so
this module only says whether one *can* be a NIK and what its digits claim. The region code is
never a person's domicile (a NIK does not change when someone moves or a kecamatan splits).

python-stdnum reads YY 00 as 1900 and names 6402 with an old BPS name; the century is decided
here, and no region names are taken from it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_noop

from mpp.core.privacy import MASK

# Kemendagri province codes (Permendagri 72/2019 and the Papua provinces of 2022): the first
# two digits of every NIK. 91–96 are Papua, Papua Barat and the four provinces split in 2022.
PROVINCE_CODES = frozenset(
    {
        "11", "12", "13", "14", "15", "16", "17", "18", "19", "21",
        "31", "32", "33", "34", "35", "36",
        "51", "52", "53",
        "61", "62", "63", "64", "65",
        "71", "72", "73", "74", "75", "76",
        "81", "82",
        "91", "92", "93", "94", "95", "96",
    }
)  # fmt: skip

_DIGITS = re.compile(r"[0-9]{16}")


class NikFault(StrEnum):
    """Why a string is not a NIK (one reason, the first found in the order below)."""

    NOT_16_DIGITS = "not_16_digits"
    UNKNOWN_PROVINCE = "unknown_province"
    BAD_DAY = "bad_day"  # not 01–31 or 41–71
    BAD_MONTH = "bad_month"  # not 01–12
    NOT_A_DATE = "not_a_date"  # e.g. 31 April, 29 February of a common year
    SERIAL_ZERO = "serial_zero"


# Marked for translation; shown through gettext by the caller (the request's language).
FAULT_MESSAGES = {
    NikFault.NOT_16_DIGITS: gettext_noop("NIK harus 16 angka."),
    NikFault.UNKNOWN_PROVINCE: gettext_noop(
        "Dua angka pertama NIK bukan kode provinsi yang dikenal."
    ),
    NikFault.BAD_DAY: gettext_noop(
        "Angka tanggal lahir pada NIK (angka ke-7 dan ke-8) harus 01–31 atau 41–71."
    ),
    NikFault.BAD_MONTH: gettext_noop(
        "Angka bulan lahir pada NIK (angka ke-9 dan ke-10) harus 01–12."
    ),
    NikFault.NOT_A_DATE: gettext_noop("Tanggal lahir pada NIK bukan tanggal yang ada."),
    NikFault.SERIAL_ZERO: gettext_noop("Empat angka terakhir NIK tidak boleh 0000."),
}


class Sex(StrEnum):
    MALE = "L"
    FEMALE = "P"


@dataclass(frozen=True)
class Nik:
    """What a well-formed NIK's digits claim."""

    number: str
    region_code: str  # PPKKCC
    sex: Sex
    day: int
    month: int
    year_2: int  # the two digits of the year

    def birth_date(self, *, today: dt.date) -> dt.date:
        """The birth date, with the century that does not put it after `today` (a NIK of
        someone born in 2000 has YY 00: 2000, not 1900)."""
        year = 2000 + self.year_2
        if year > today.year:
            year -= 100
        candidate = _date_or_none(year, self.month, self.day)
        if candidate is None or candidate > today:
            candidate = _date_or_none(year - 100, self.month, self.day)
        return candidate or dt.date(year, self.month, min(self.day, 28))

    def matches_birth_date(self, birth_date: dt.date) -> bool:
        return (
            self.day == birth_date.day
            and self.month == birth_date.month
            and self.year_2 == birth_date.year % 100
        )


def _date_or_none(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _is_real_date(year_2: int, month: int, day: int) -> bool:
    """Whether day/month exists in some year ending in `year_2` (19YY or 20YY): 29 February
    exists for YY 00 (2000) and every YY divisible by 4."""
    return any(_date_or_none(century + year_2, month, day) for century in (1900, 2000))


def parse_nik(value: str) -> Nik | NikFault:
    """The NIK's parts, or the first reason it is not one."""
    if not isinstance(value, str) or not _DIGITS.fullmatch(value):
        return NikFault.NOT_16_DIGITS
    if value[:2] not in PROVINCE_CODES:
        return NikFault.UNKNOWN_PROVINCE
    raw_day, month, year_2 = int(value[6:8]), int(value[8:10]), int(value[10:12])
    if 1 <= raw_day <= 31:
        sex, day = Sex.MALE, raw_day
    elif 41 <= raw_day <= 71:
        sex, day = Sex.FEMALE, raw_day - 40
    else:
        return NikFault.BAD_DAY
    if not 1 <= month <= 12:
        return NikFault.BAD_MONTH
    if not _is_real_date(year_2, month, day):
        return NikFault.NOT_A_DATE
    if value[12:] == "0000":
        return NikFault.SERIAL_ZERO
    return Nik(number=value, region_code=value[:6], sex=sex, day=day, month=month, year_2=year_2)


def mask_nik(value: str) -> str:
    """A NIK as shown on a screen or paper: 6402••••••••0001 (UU 27/2022)."""
    if len(value) < 8:
        return MASK * len(value)
    return value[:4] + MASK * (len(value) - 8) + value[-4:]
