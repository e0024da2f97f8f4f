"""Staff passwords: at least 10 characters, and never only the region's or the platform's own
words with digits (`kukar2026`), said in Indonesian wherever a password is set."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from mpp.accounts.tests.factories import PASSWORD
from mpp.regions.demo import DEMO_PASSWORD

LOCAL = "Kata sandi ini hanya terdiri dari nama daerah, kata dari aplikasi ini, angka dan tanda"


def refusals(password: str, user: object | None = None) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as error:
        return [str(m) for m in error.messages]
    return []


@pytest.mark.parametrize(
    "password",
    [
        "kukar2026",
        "Kukar2026!!",
        "KUTAI-KARTANEGARA-1",
        "kutaikartanegara",
        "Tenggarong#2025",
        "tenggarongseberang99",
        "L0aKulu!!2026",  # a kecamatan, look-alike digits
        "mpp-admin-2026",
        "dpmptsp2025",
        "petugas12345",
        "KataSandi2026",
        "password-mpp",
        "kuk4r-kuk4r",
        "2026-12-31!!",
    ],
)
def test_the_regions_and_platforms_words_with_digits_are_refused(kukar, password):
    assert any(m.startswith(LOCAL) for m in refusals(password))


@pytest.mark.parametrize(
    "password", ["Sungai-Mahakam-Lebar-88", "kukar jeruk manis pagi", "Tenggarong bersih 7 hari"]
)
def test_a_password_with_words_of_its_own_passes(kukar, password):
    assert refusals(password) == []


def test_ten_characters_at_least(kukar):
    assert refusals("Hujan#Dera") == []
    assert any("10 karakter" in m for m in refusals("Hujan#Der"))


def test_the_rules_are_listed_in_indonesian_where_a_password_is_set(client, cast):
    client.force_login(cast.officer_dukcapil())
    html = client.get(reverse("admin:password_change")).content.decode()
    assert "nama kecamatan" in html
    assert "Mengganti kata sandi mencabut semua token API akun ini." in html
    response = client.post(
        reverse("admin:password_change"),
        {"old_password": PASSWORD, "new_password1": "Kukar2026!!", "new_password2": "Kukar2026!!"},
    )
    assert response.status_code == 200 and LOCAL in response.content.decode()


def test_the_demo_password_would_be_refused_the_demo_command_sets_it_regardless(kukar):
    """Deliberate: the demo accounts are made by `mpp demo`, not chosen by a person, and their
    password is published in the README (docs/adr/0018)."""
    assert any(m.startswith(LOCAL) for m in refusals(DEMO_PASSWORD))
    from django.contrib.auth import get_user_model

    from mpp.regions.demo import create_demo_accounts

    create_demo_accounts()
    assert get_user_model().objects.get(username="admin").check_password(DEMO_PASSWORD)
