"""Guessing passwords stops after a few tries: per account and per address, on the sign-in page
(which `/petugas/` leads to) and on `POST /api/v1/auth/token`, the right password is refused
too until the cool-off has passed, the person is told so in Indonesian, and a refused try
costs no password hashing."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.hashers import MD5PasswordHasher
from django.urls import reverse

from mpp.accounts.models import ApiToken
from mpp.accounts.tests.factories import PASSWORD
from mpp.core import clock

LOCKED = "Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam 15 menit."


class CountingHasher(MD5PasswordHasher):
    """The tests' MD5 hasher, counting every password it hashes or checks."""

    calls = 0

    def encode(self, password: str, salt: str) -> str:
        CountingHasher.calls += 1
        return super().encode(password, salt)


@pytest.fixture(autouse=True)
def _counting_hasher(settings):  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    CountingHasher.calls = 0


def page_sign_in(client, username: str, password: str, address: str = "192.0.2.1"):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": "/petugas/"},
        REMOTE_ADDR=address,
    )


def api_sign_in(client, username: str, password: str, address: str = "192.0.2.1"):  # type: ignore[no-untyped-def]
    return client.post(
        "/api/v1/auth/token",
        {"username": username, "password": password},
        content_type="application/json",
        REMOTE_ADDR=address,
    )


@time_machine.travel(dt.datetime(2026, 12, 7, 1, 0, tzinfo=dt.UTC), tick=False)
def test_a_hundred_wrong_passwords_lock_the_page_even_for_the_right_one(client, cast, settings):
    officer = cast.officer_dukcapil()
    for _ in range(100):
        response = page_sign_in(client, officer.username, "salah-salah-salah")
    assert response.status_code == 429
    response = page_sign_in(client, officer.username, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    html = response.content.decode()
    assert LOCKED in html and "Nama pengguna" in html  # the sign-in page, with the reason
    assert int(response["Retry-After"]) == 15 * 60


def test_the_lock_starts_at_the_limit_and_ends_after_the_cool_off(client, cast, settings):
    officer = cast.officer_dukcapil()
    start = clock.now()
    with time_machine.travel(start, tick=False) as traveller:
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            response = page_sign_in(client, officer.username, "salah-salah-salah")
            assert response.status_code == 200
            assert "Nama pengguna atau kata sandi salah" not in response.content.decode()
        assert page_sign_in(client, officer.username, "salah-salah-salah").status_code == 429
        traveller.shift(dt.timedelta(minutes=10))
        response = page_sign_in(client, officer.username, PASSWORD)
        assert response.status_code == 429
        assert "Coba lagi dalam 5 menit." in response.content.decode()
        assert response["Retry-After"] == str(5 * 60)
        traveller.shift(dt.timedelta(minutes=5, seconds=1))
        response = page_sign_in(client, officer.username, PASSWORD)
        assert response.status_code == 302 and response["Location"] == "/petugas/"


def test_a_locked_out_try_hashes_no_password(client, cast, settings):
    """Each hash costs ~0.4 s of CPU with production's hasher: past the limit none is made."""
    officer = cast.officer_dukcapil()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page_sign_in(client, officer.username, "salah-salah-salah")
        api_sign_in(client, "tidak-ada", "salah-salah-salah")
    CountingHasher.calls = 0
    for _ in range(20):
        assert page_sign_in(client, officer.username, "salah-salah-salah").status_code == 429
        assert api_sign_in(client, "tidak-ada", "salah-salah-salah").status_code == 429
    assert CountingHasher.calls == 0


def test_one_address_trying_many_accounts_is_locked(client, cast, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        page_sign_in(client, f"tebakan{n}", "salah-salah-salah", address="198.51.100.7")
    officer = cast.officer_dukcapil()
    assert page_sign_in(client, officer.username, PASSWORD, "198.51.100.7").status_code == 429
    # Another address is not held up by it.
    response = page_sign_in(client, officer.username, PASSWORD, "198.51.100.8")
    assert response.status_code == 302


def test_one_account_tried_from_many_addresses_is_locked(client, cast, settings):
    officer = cast.officer_dukcapil()
    for n in range(settings.AXES_FAILURE_LIMIT):
        page_sign_in(client, officer.username, "salah-salah-salah", address=f"203.0.113.{n + 1}")
    assert page_sign_in(client, officer.username, PASSWORD, "203.0.113.200").status_code == 429
    # Another account from a fresh address signs in.
    supervisor = cast.supervisor_mpp()
    assert page_sign_in(client, supervisor.username, PASSWORD, "203.0.113.201").status_code == 302


@time_machine.travel(dt.datetime(2026, 12, 7, 1, 0, tzinfo=dt.UTC), tick=False)
def test_the_api_refuses_a_locked_account_with_429_and_when_to_come_back(client, cast, settings):
    kiosk_user = cast.officer_dukcapil()
    for _ in range(100):
        response = api_sign_in(client, kiosk_user.username, "salah-salah-salah")
    assert response.status_code == 429
    response = api_sign_in(client, kiosk_user.username, PASSWORD)
    assert response.status_code == 429
    assert response.json() == {"detail": LOCKED, "code": "sign_in_locked"}
    assert response["Retry-After"] == str(15 * 60)
    assert not ApiToken.objects.exists()


def test_page_and_api_count_failures_together(client, cast, settings):
    officer = cast.officer_dukcapil()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        api_sign_in(client, officer.username, "salah-salah-salah")
    response = page_sign_in(client, officer.username, PASSWORD)
    assert response.status_code == 429 and LOCKED in response.content.decode()


def test_a_wrong_password_below_the_limit_is_a_401_with_its_code(client, cast):
    response = api_sign_in(client, cast.officer_dukcapil().username, "salah-salah-salah")
    assert response.status_code == 401
    assert response.json() == {
        "detail": "Nama pengguna atau kata sandi salah.",
        "code": "wrong_credentials",
    }


def test_the_regency_admin_sees_the_lock_and_lifts_it(client, cast, settings):
    officer = cast.officer_dukcapil()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page_sign_in(client, officer.username, "salah-salah-salah")
    admin_client = type(client)()
    admin_client.force_login(cast.regency_admin())
    page = admin_client.get(reverse("admin:axes_accessattempt_changelist"))
    assert page.status_code == 200 and officer.username in page.content.decode()
    from axes.models import AccessAttempt

    attempt = AccessAttempt.objects.get(username=officer.username)
    url = reverse("admin:axes_accessattempt_delete", args=[attempt.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert page_sign_in(client, officer.username, PASSWORD).status_code == 302


def test_only_the_regency_admin_sees_lockouts(client, cast):
    client.force_login(cast.supervisor_mpp())
    assert client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 403


def test_the_demo_accounts_still_sign_in(client, kukar):
    from mpp.regions.demo import DEMO_PASSWORD, create_demo_accounts

    create_demo_accounts()
    response = api_sign_in(client, "kios-mpp-kukar", DEMO_PASSWORD)
    assert response.status_code == 200
    response = page_sign_in(client, "pengawas.mpp", DEMO_PASSWORD)
    assert response.status_code == 302
