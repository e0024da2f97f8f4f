"""Personal data typed into free text: NIK- and phone-like numbers are masked before the text
is stored, whoever writes it and wherever it is shown later (UU 27/2022 on personal data:
collect a NIK only where a service needs it). Used by the Metapers chat and the survey's
suggestions."""

from __future__ import annotations

import re

MASK = "•"
# A NIK: 16 digits, perhaps grouped by spaces or dots ("6402 0647 0895 0001").
_NIK = re.compile(r"(?<![\d.])\d(?:[ .]?\d){15}(?![\d])")
# An Indonesian phone number: 0…, 62… or +62…, 9–13 digits in all, perhaps grouped by spaces,
# dots or dashes ("0812-3456-7890", "+62 812 3456 7890"). Checked after the NIK: a NIK never
# starts with 0, and 16 digits are read as a NIK first.
_PHONE = re.compile(r"(?<![\d+])(?:\+62|62|0)[ .-]?[1-9](?:[ .-]?\d){6,11}(?!\d)")


def _masked_nik(found: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", found.group())
    return digits[:4] + MASK * 8 + digits[-4:]  # as shown on paper: 6402••••••••0001


def _masked_phone(found: re.Match[str]) -> str:
    raw = found.group()
    prefix = "+62" if raw.startswith("+62") else "62" if raw.startswith("62") else "0"
    digits = re.sub(r"\D", "", raw)[len(prefix.lstrip("+")) :]
    return prefix + MASK * (len(digits) - 3) + digits[-3:]


def mask_personal_data(text: str) -> tuple[str, bool]:
    """`text` with NIK- and phone-like numbers masked, and whether anything was masked."""
    masked = _NIK.sub(_masked_nik, text)
    masked = _PHONE.sub(_masked_phone, masked)
    return masked, masked != text
