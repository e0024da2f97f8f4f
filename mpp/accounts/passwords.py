"""Password rules of staff accounts, beside Django's own (settings.AUTH_PASSWORD_VALIDATORS).

The first guesses against a regency's staff accounts are its own words with a year:
`kukar2026`, `Tenggarong#1`, `mpp-admin`, `dpmptsp2025`. Django's list of common passwords does
not hold them, so they are refused here (docs/adr/0018).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# The platform's and the office's words, the roles, and the words every password list starts with.
PLATFORM_WORDS = """
    mpp mal mall pelayanan publik layanan minimpp dpmptsp ptsp dinas pemkab pemda kabupaten kab
    kecamatan kelurahan desa bupati camat paten kaltim kalimantan timur indonesia
    petugas admin administrator pengawas pimpinan auditor operator kios kiosk loket antrean antrian
    instansi pegawai staf staff user pengguna demo test tes coba
    password passwd pass sandi katasandi kata rahasia login masuk selamat datang qwerty asdf
""".split()

LEET = str.maketrans({"4": "a", "@": "a", "3": "e", "1": "i", "!": "i", "0": "o", "5": "s",
                      "$": "s", "7": "t"})  # fmt: skip


def _letters(name: str) -> list[str]:
    """A name's words, and the whole name run together, in plain lower-case letters."""
    words = [re.sub(r"[^a-z]", "", w) for w in name.lower().split()]
    return [w for w in [*words, "".join(words)] if len(w) >= 3]


def local_words() -> frozenset[str]:
    """The platform's words and the region's own: its names, seat, province, and every
    kecamatan with its seat, as loaded from the region data (by app label: `accounts` imports
    no app above it, docs/adr/0026)."""
    names: list[str] = []
    regions = apps.get_model("malls", "Region").objects
    for region in regions.values_list("name", "short_name", "seat", "province"):
        names.extend(region)
    for district in apps.get_model("malls", "District").objects.values_list("name", "seat"):
        names.extend(district)
    return _word_set(tuple(sorted(set(names))))


@cache
def _word_set(names: tuple[str, ...]) -> frozenset[str]:
    words = set(PLATFORM_WORDS)
    for name in names:
        words.update(_letters(name))
    return frozenset(words)


def _core(password: str) -> str:
    """The letters a guesser varies least: digits at either end and runs of digits (years,
    numbers) dropped, look-alike digits read as letters (`kuk4r`), everything else removed."""
    text = password.lower().strip()
    text = re.sub(r"^[\W\d_]+|[\W\d_]+$", "", text)
    text = re.sub(r"\d{2,}", "", text)
    return re.sub(r"[^a-z]", "", text.translate(LEET))


def _made_of(text: str, words: frozenset[str]) -> bool:
    """Whether `text` is nothing but words of `words` run together (a word break)."""
    longest = max(map(len, words))
    ends = [True] + [False] * len(text)
    for end in range(1, len(text) + 1):
        ends[end] = any(
            ends[start] and text[start:end] in words for start in range(max(0, end - longest), end)
        )
    return ends[len(text)]


class LocalWordsValidator:
    """Refuses a password made only of the region's or the platform's words, digits and
    symbols: `kukar2026`, `Tenggarong#1`, `mpp-admin`, `L0aKulu!!`."""

    def validate(self, password: str, user: Any = None) -> None:
        core = _core(password)
        if not core or _made_of(core, local_words()):
            raise ValidationError(
                _(
                    "Kata sandi ini hanya terdiri dari nama daerah, kata dari aplikasi ini, "
                    "angka dan tanda baca (misalnya kukar2026), sehingga mudah ditebak."
                ),
                code="password_local_words",
            )

    def get_help_text(self) -> str:
        return _(
            "Kata sandi Anda tidak boleh hanya berupa nama daerah, nama kecamatan, atau kata "
            "seperti mpp, petugas, admin, sandi, ditambah angka atau tahun."
        )


class RevokeTokensOnPasswordChange:
    """Not a rule: Django calls `password_changed` of each configured validator whenever a new
    password is saved (`User.set_password` then `save`), whatever changed it — the admin, the
    password change page, `mpp changepassword`. Every API token of the account is revoked then:
    a token made with the old password must not outlive it."""

    def validate(self, password: str, user: Any = None) -> None:
        return None

    def password_changed(self, password: str, user: Any = None) -> None:
        if user is None or user.pk is None:
            return
        from mpp.accounts.actions import RevokeReason, revoke_api_tokens_of

        revoke_api_tokens_of(user.pk, reason=RevokeReason.PASSWORD_CHANGED)

    def get_help_text(self) -> str:
        return _("Mengganti kata sandi mencabut semua token API akun ini.")
