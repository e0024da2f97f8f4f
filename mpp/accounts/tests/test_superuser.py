"""The first administrator, made with `mpp createsuperuser` as docs/operations.md says, has no
staff profile: they act as the regency administrator everywhere, pages and API."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from mpp.accounts.access import staff_profile
from mpp.accounts.models import Role, StaffProfile
from mpp.accounts.tests.factories import bearer, make_staff
from mpp.malls.access import malls_editable_by
from mpp.malls.models import Mall

ROOT_PASSWORD = "Pohon-Ulin-Tua-1947"  # noqa: S105 - tests only


@pytest.fixture
def root(kukar, monkeypatch):  # type: ignore[no-untyped-def]
    """A superuser made as the documentation says (non-interactively, as an installer would)."""
    from django.contrib.auth import get_user_model

    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", ROOT_PASSWORD)
    call_command("createsuperuser", interactive=False, username="akar", email="akar@example.org")
    user = get_user_model().objects.get(username="akar")
    assert not StaffProfile.objects.filter(user=user).exists()
    return user


def test_the_first_administrator_gets_an_api_token(client, root):
    response = client.post(
        "/api/v1/auth/token",
        {"username": "akar", "password": ROOT_PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 200
    me = client.get("/api/v1/me", **bearer(response.json()["token"])).json()
    assert me["role"] == Role.REGENCY_ADMIN
    every_mall = sorted(Mall.objects.values_list("pk", flat=True))
    assert me["visible_mall_ids"] == me["editable_mall_ids"] == every_mall
    assert not StaffProfile.objects.filter(user=root).exists()  # nothing was written


@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/accounts/staffprofile/",
        "/pengawas/mpp-kukar/",
        "/pengawas/mini-mpp-loa-kulu/laporan/",
        "/kios/mpp-kukar/",
    ],
)
def test_the_first_administrator_opens_the_regency_administrators_pages(client, root, url):
    client.force_login(root)
    assert client.get(url).status_code == 200


def test_a_superuser_with_a_narrower_role_still_acts_as_the_regency_administrator(kukar):
    officer = make_staff(Role.TENANT_OFFICER, tenant="disdukcapil", username="petugas.akar")
    officer.is_superuser = True
    officer.save()
    profile = staff_profile(officer)
    assert profile is not None and profile.role == Role.REGENCY_ADMIN
    assert malls_editable_by(officer).count() == Mall.objects.count()
    assert officer.staff_profile.role == Role.TENANT_OFFICER  # their own row is untouched


def test_a_deactivated_superuser_is_nobody(root):
    root.is_active = False
    assert staff_profile(root) is None
