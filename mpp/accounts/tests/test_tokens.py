"""API tokens live a working day (a person's) or a season (a kiosk's), and stop working the
moment their owner's password changes, the account is deactivated, the role is removed, or
they are revoked in the admin or through `DELETE /api/v1/auth/token`."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.urls import reverse

from mpp.accounts.models import ApiToken, Role
from mpp.accounts.tests.factories import PASSWORD, bearer, make_staff, token_for
from mpp.core import clock
from mpp.core.models import AuditEntry


class CheapPBKDF2Hasher(PBKDF2PasswordHasher):
    iterations = 2  # tests only


EXPIRED = {
    "detail": "Token API sudah kedaluwarsa; masuk lagi untuk token baru.",
    "code": "token_expired",
}


def me(client, token: str):  # type: ignore[no-untyped-def]
    return client.get("/api/v1/me", **bearer(token))


@pytest.fixture
def kiosk(kukar):  # type: ignore[no-untyped-def]
    return make_staff(Role.KIOSK, mall="mpp-kukar", username="kios.uji")


def test_a_new_token_says_when_it_expires(client, cast):
    start = clock.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False):
        response = client.post(
            "/api/v1/auth/token",
            {"username": cast.officer_dukcapil().username, "password": PASSWORD},
            content_type="application/json",
        )
    body = response.json()
    assert dt.datetime.fromisoformat(body["expires_at"]) == start + dt.timedelta(hours=12)
    token = ApiToken.objects.get()
    assert token.prefix == body["token"][:8] and token.key_hash != body["token"]


def test_a_persons_token_expires_after_twelve_hours(client, cast):
    start = clock.now()
    with time_machine.travel(start, tick=False) as traveller:
        token = token_for(client, cast.officer_dukcapil())
        traveller.shift(dt.timedelta(hours=11, minutes=59))
        assert me(client, token).status_code == 200
        traveller.shift(dt.timedelta(minutes=1))
        response = me(client, token)
    assert response.status_code == 401 and response.json() == EXPIRED


def test_a_kiosks_token_lives_ninety_days(client, kiosk, mall_mpp):
    start = clock.now()
    with time_machine.travel(start, tick=False) as traveller:
        token = token_for(client, kiosk)
        traveller.shift(dt.timedelta(days=89))
        ping = {"mall_id": mall_mpp.pk, "service_id": 1}
        ok = client.post("/api/v1/ping", ping, content_type="application/json", **bearer(token))
        assert ok.status_code in {200, 400}  # the token is accepted (the body is not the point)
        traveller.shift(dt.timedelta(days=1))
        response = client.post(
            "/api/v1/ping", ping, content_type="application/json", **bearer(token)
        )
    assert response.status_code == 401 and response.json() == EXPIRED


def test_the_lifetimes_are_settings(client, cast, settings):
    settings.MPP_TOKEN_LIFETIME = dt.timedelta(minutes=30)
    start = clock.now()
    with time_machine.travel(start, tick=False) as traveller:
        token = token_for(client, cast.officer_dukcapil())
        traveller.shift(dt.timedelta(minutes=30))
        assert me(client, token).status_code == 401


def test_a_password_change_revokes_the_tokens(client, cast):
    officer = cast.officer_dukcapil()
    token = token_for(client, officer)
    assert me(client, token).status_code == 200
    officer.set_password("ganti-kata-sandi-panjang-77")
    officer.save()
    assert me(client, token).status_code == 401
    assert not ApiToken.objects.filter(user=officer).exists()
    entry = AuditEntry.objects.get(action="api_token.revoked")
    assert entry.data["reason"] == "password_changed"


def test_a_password_changed_on_the_page_revokes_the_tokens(client, cast):
    officer = cast.officer_dukcapil()
    token = token_for(client, officer)
    client.force_login(officer)
    response = client.post(
        reverse("admin:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Sungai-Mahakam-Lebar-88",
            "new_password2": "Sungai-Mahakam-Lebar-88",
        },
    )
    assert response.status_code == 302
    client.logout()
    assert me(client, token).status_code == 401


def test_a_signin_that_only_rehashes_the_password_keeps_the_tokens(client, cast, settings):
    """Django re-hashes a stored password when its hasher changes: not a new password."""
    officer = cast.officer_dukcapil()
    token = token_for(client, officer)
    settings.PASSWORD_HASHERS = [
        f"{__name__}.CheapPBKDF2Hasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    token_for(client, officer)  # checks the MD5 hash, saves it as PBKDF2
    assert get_user_model().objects.get(pk=officer.pk).password.startswith("pbkdf2_sha256$")
    assert me(client, token).status_code == 200


def test_deactivating_an_account_revokes_its_tokens(client, cast):
    officer = cast.officer_dukcapil()
    token = token_for(client, officer)
    assert me(client, token).status_code == 200
    officer.is_active = False
    officer.save()
    officer.is_active = True  # reactivated: the old token stays gone
    officer.save()
    assert me(client, token).status_code == 401
    assert not ApiToken.objects.filter(user=officer).exists()


def test_removing_the_staff_profile_revokes_the_tokens(client, cast):
    officer = cast.officer_dukcapil()
    token = token_for(client, officer)
    officer.staff_profile.delete()
    assert not ApiToken.objects.filter(user=officer).exists()
    assert me(client, token).status_code == 401


def test_signing_out_of_the_api_revokes_only_that_token(client, cast):
    officer = cast.officer_dukcapil()
    first, second = token_for(client, officer), token_for(client, officer)
    assert me(client, first).status_code == 200
    response = client.delete("/api/v1/auth/token", **bearer(first))
    assert response.status_code == 204
    assert me(client, first).status_code == 401
    assert me(client, second).status_code == 200
    entry = AuditEntry.objects.get(action="api_token.revoked")
    assert entry.actor_id == officer.pk and entry.data["reason"] == "by_hand"


def test_signing_out_without_a_token_is_a_401(client, cast):
    assert client.delete("/api/v1/auth/token").status_code == 401
    assert client.delete("/api/v1/auth/token", **bearer("tidak-ada")).status_code == 401


def test_the_regency_admin_lists_every_token_without_its_key(client, cast):
    officer_key = token_for(client, cast.officer_dukcapil())
    supervisor_key = token_for(client, cast.supervisor_mpp())
    client.force_login(cast.regency_admin())
    response = client.get(reverse("admin:accounts_apitoken_changelist"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "petugas.dukcapil" in html and "pengawas.mpp" in html
    assert officer_key[:8] in html and supervisor_key[:8] in html
    assert officer_key not in html and supervisor_key not in html
    assert officer_key[:12] not in html


def test_a_person_sees_and_revokes_only_their_own_tokens(client, cast):
    officer = cast.officer_dukcapil()
    own = token_for(client, officer)
    other = token_for(client, cast.supervisor_mpp())
    client.force_login(officer)
    html = client.get(reverse("admin:accounts_apitoken_changelist")).content.decode()
    assert own[:8] in html and other[:8] not in html
    other_row = ApiToken.objects.get(user__username="pengawas.mpp")
    url = reverse("admin:accounts_apitoken_change", args=[other_row.pk])
    assert client.get(url).status_code in {302, 403, 404}
    response = client.post(
        reverse("admin:accounts_apitoken_changelist"),
        {
            "action": "revoke_selected",
            "_selected_action": list(ApiToken.objects.values_list("pk", flat=True)),
        },
    )
    assert response.status_code == 302
    assert list(ApiToken.objects.values_list("user__username", flat=True)) == ["pengawas.mpp"]
    client.logout()
    assert me(client, own).status_code == 401
    assert me(client, other).status_code == 200


def test_the_admin_cannot_add_or_edit_a_token(client, cast):
    token_for(client, cast.officer_dukcapil())
    client.force_login(cast.regency_admin())
    assert client.get(reverse("admin:accounts_apitoken_add")).status_code == 403
    row = ApiToken.objects.get()
    html = client.get(reverse("admin:accounts_apitoken_change", args=[row.pk])).content.decode()
    assert 'name="expires_at"' not in html and 'name="user"' not in html
