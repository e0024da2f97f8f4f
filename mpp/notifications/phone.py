"""Indonesian mobile numbers, as people type them, read into one form (docs/adr/0033).

People write `0812-3456-789`, `0812 3456 7890`, `62812…` or `+62 812…`. Every one is stored and
sent as `628…`: the country code, then the national number, which for a mobile starts with 8
(landlines, 021…, cannot receive WhatsApp or SMS from a gateway). In all the stored form has
10 to 14 digits. A number is shown only masked (`0812****789`), never in a URL or a message.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

__all__ = ["InvalidPhone", "mask_phone", "parse_phone"]

# Separators people type between groups of digits; anything else makes the number invalid.
_SEPARATORS = re.compile(r"[\s.\-()]")
_STORED = re.compile(r"628[0-9]{7,11}")  # 10–14 digits in all

PHONE_MAX_LENGTH = 14  # digits of the stored form: a CharField of 20 holds it with room


class InvalidPhone(ValueError):
    """The text is not an Indonesian mobile number; `str()` says why, in Indonesian (the
    request's language, read when raised)."""


def parse_phone(text: str) -> str:
    """`text` as `628…` (digits only), or InvalidPhone with a message for the person.

    Accepted: 08…, 628…, +628… with spaces, dots, dashes or brackets between the digits.
    """
    compact = _SEPARATORS.sub("", (text or "").strip())
    if not compact:
        raise InvalidPhone(_("Nomor HP wajib diisi."))
    if compact.startswith("+"):
        compact = compact[1:]
        if not compact.startswith("62"):
            raise InvalidPhone(_("Hanya nomor HP Indonesia (+62) yang dapat dipakai."))
    if not compact.isascii() or not compact.isdigit():
        raise InvalidPhone(_("Nomor HP hanya boleh berisi angka, spasi atau tanda hubung."))
    if compact.startswith("0"):
        national = compact[1:]
    elif compact.startswith("62"):
        national = compact[2:]
    else:
        raise InvalidPhone(_("Tulis nomor HP dengan awalan 08 atau +62, misalnya 0812 3456 7890."))
    if not national.startswith("8"):
        raise InvalidPhone(_("Nomor HP harus nomor seluler (diawali 08), bukan telepon rumah."))
    stored = "62" + national
    if not _STORED.fullmatch(stored):
        raise InvalidPhone(
            _("Nomor HP terlalu pendek atau terlalu panjang; periksa kembali angkanya.")
        )
    return stored


def mask_phone(phone: str) -> str:
    """A stored number (`628…`) as shown on a screen: `0812****789`. Anything else (a blank
    recipient erased after its retention period, a foreign form) is masked the same way or shown
    as empty, never in full."""
    digits = re.sub(r"\D", "", phone or "")
    if not digits:
        return ""
    local = "0" + digits[2:] if digits.startswith("62") else digits
    if len(local) <= 7:
        return "*" * len(local)
    return local[:4] + "****" + local[-3:]
