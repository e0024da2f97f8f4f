"""A service's published completion time as a value and a unit (issue 22, docs/adr/0037).

The standard's text ("14 hari kerja setelah berkas dinyatakan lengkap") stays what citizens read;
deadlines are computed from `Service.duration_value` and `Service.duration_unit`. The rule that
ties the two, used by the region loader and the catalog's form:

- A text that *begins* with a quantity in a contract unit ("15 menit", "1 jam setelah berkas
  lengkap", "14 hari kerja sejak asesmen", "25 hari") is read as that quantity. What follows it
  (after payment, after the interview, since the assessment) does not move the start: the clock
  starts when the complete files are received, and a wait for the citizen's part is a stop of
  the clock (the application is "dikembalikan"), not a later start.
- Any other text ("Paling lama 25 hari sejak sidang pertama", "Sesuai jadwal persidangan",
  "Paling lama 12 bulan ...") is not guessed: the data states the value and unit, or states
  that there is no fixed time. A stated value and unit must be a quantity the text names, and
  when the text begins with one, that one: the structured time never contradicts the text.
- Months and years are not contract units: a month is no fixed number of days, and converting
  would promise a day more or less than the text. Such a standard has no fixed time here until
  its text is written in days.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from mpp.catalog.models import DurationUnit

# The unit words of published standards, longest first ("hari kerja" before "hari").
_UNIT = r"menit|jam|hari\s+kerja|hari\s+kalender|hari|minggu|pekan|bulan|tahun"
_QUANTITY = re.compile(rf"(?<![\w.,])(?P<value>\d+)\s*(?P<unit>{_UNIT})\b", re.IGNORECASE)
_CONTRACT = {
    "menit": DurationUnit.MINUTES.value,
    "jam": DurationUnit.HOURS.value,
    "hari kerja": DurationUnit.WORKING_DAYS.value,
    "hari kalender": DurationUnit.CALENDAR_DAYS.value,
    "hari": DurationUnit.CALENDAR_DAYS.value,
}
# The data's word for "this standard names no fixed time" (region files: duration_unit).
NO_FIXED_TIME = "tanpa_batas"
LARGEST = 32767  # the column is a PositiveSmallIntegerField


class DurationError(ValueError):
    """The text and the stated value/unit cannot be reconciled; the message is Indonesian."""


def _unit(word: str) -> str | None:
    return _CONTRACT.get(" ".join(word.lower().split()))


def leading(text: str) -> tuple[int, str] | None:
    """The quantity the text begins with, in a contract unit, or None."""
    found = _QUANTITY.match(text.strip())
    if found is None:
        return None
    unit = _unit(found["unit"])
    return (int(found["value"]), unit) if unit is not None else None


def named(text: str) -> set[tuple[int, str]]:
    """Every quantity in a contract unit that the text names."""
    out = set()
    for found in _QUANTITY.finditer(text):
        unit = _unit(found["unit"])
        if unit is not None:
            out.add((int(found["value"]), unit))
    return out


def shown(value: int, unit: str) -> str:
    return f"{value} {DurationUnit(unit).label}"


def resolve(text: str, value: int | None, unit: str | None) -> tuple[int | None, str]:
    """The (value, unit) to store for a standard's text and what the data states (value and
    unit, `unit == NO_FIXED_TIME`, or neither): (None, "") for no fixed time. Raises
    DurationError with an Indonesian message when they cannot be reconciled."""
    unit = unit or None
    lead = leading(text)
    if value is not None and (value < 1 or value > LARGEST):
        raise DurationError(_("angka jangka waktu harus 1–%(max)d") % {"max": LARGEST})
    if unit == NO_FIXED_TIME:
        if value is not None:
            raise DurationError(_("'tanpa batas waktu' tidak memakai angka"))
        if lead is not None:
            raise DurationError(
                _("teks jangka waktu menjanjikan %(time)s; 'tanpa batas waktu' bertentangan")
                % {"time": shown(*lead)}
            )
        return None, ""
    if (value is None) != (unit is None):
        raise DurationError(
            _("angka dan satuan jangka waktu harus diisi keduanya atau tidak sama sekali")
        )
    if value is None or unit is None:
        if lead is None:
            raise DurationError(
                _(
                    "jangka waktu %(text)r tidak terbaca (harus diawali angka dan satuan: menit, "
                    "jam, hari kerja, hari); nyatakan angka dan satuannya, atau tanpa batas waktu"
                )
                % {"text": text}
            )
        return lead
    if unit not in DurationUnit.values:
        raise DurationError(
            _("satuan %(unit)r tidak dikenal; pilihan: %(choices)s")
            % {"unit": unit, "choices": ", ".join([*DurationUnit.values, NO_FIXED_TIME])}
        )
    if lead is not None and lead != (value, unit):
        raise DurationError(
            _("%(stated)s bertentangan dengan teks jangka waktu yang diawali %(text)s")
            % {"stated": shown(value, unit), "text": shown(*lead)}
        )
    if (value, unit) not in named(text):
        raise DurationError(
            _("%(stated)s tidak disebut dalam teks jangka waktu %(text)r")
            % {"stated": shown(value, unit), "text": text}
        )
    return value, unit
