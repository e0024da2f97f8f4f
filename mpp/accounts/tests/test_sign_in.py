"""Staff sign in on one page, land on their own work, and sign out from every staff page."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from mpp.accounts.models import Role
from mpp.accounts.tests.factories import PASSWORD, UserFactory, make_staff
from mpp.queueing.models import Counter


def sign_in(client, user, next_url: str | None = None):  # type: ignore[no-untyped-def]
    """What a browser does: open the sign-in page, send its form back with the password."""
    login = reverse("admin:login") + (f"?next={next_url}" if next_url else "")
    page = client.get(login).content.decode()
    hidden = re.search(r'name="next" value="([^"]*)"', page)
    assert hidden is not None
    return client.post(
        login,
        {"username": user.username, "password": PASSWORD, "next": hidden.group(1)},
        follow=True,
    )


def landed(response) -> str:  # type: ignore[no-untyped-def]
    return response.redirect_chain[-1][0]


@pytest.mark.parametrize(
    ("person", "page"),
    [
        ("officer_dukcapil", "/konsol/"),
        ("supervisor_loakulu", "/pengawas/mini-mpp-loa-kulu/"),
        # The roles that read reports land on their start page, not the Django admin (ADR 0030).
        ("regency_admin", "/petugas/mulai/"),
        ("leadership", "/petugas/mulai/"),
        ("auditor", "/petugas/mulai/"),
    ],
)
def test_each_role_lands_on_its_own_page(client, cast, person, page):
    response = sign_in(client, getattr(cast, person)())
    assert landed(response) == page and response.status_code == 200


def test_a_kiosk_lands_on_its_kiosk(client, kukar):
    response = sign_in(client, make_staff(Role.KIOSK, mall="mpp-kukar", username="kios.uji"))
    assert landed(response) == "/kios/mpp-kukar/" and response.status_code == 200


def test_a_superuser_without_a_role_lands_on_the_regency_admins_start_page(client, kukar):
    root = UserFactory(username="root", is_superuser=True)
    assert landed(sign_in(client, root)) == "/petugas/mulai/"


def test_a_given_next_wins(client, cast, mall_mpp):
    counter = Counter.objects.filter(mall=mall_mpp, tenant__slug="disdukcapil").first()
    console = reverse("queueing:console", args=[counter.pk])
    assert landed(sign_in(client, cast.officer_dukcapil(), console)) == console
    client.logout()
    assert landed(sign_in(client, cast.regency_admin(), "/konsol/")) == "/konsol/"


def test_a_sign_in_without_next_lands_on_the_role_page(client, cast):
    """A form posted without `next` (an old page, a script) still avoids the admin."""
    officer = cast.officer_dukcapil()
    response = client.post(
        reverse("admin:login"), {"username": officer.username, "password": PASSWORD}, follow=True
    )
    assert landed(response) == "/konsol/"


def test_the_footer_offers_sign_in_to_visitors(client, kukar):
    html = client.get(reverse("malls:home")).content.decode()
    assert f'<a href="{reverse("accounts:staff-home")}">Masuk petugas</a>' in html
    assert "Keluar" not in html and "/admin/" not in html
    response = client.get(reverse("accounts:staff-home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:login") + "?next=/petugas/"


@pytest.mark.parametrize(
    ("person", "url"),
    [
        ("officer_dukcapil", "/konsol/"),
        ("supervisor_loakulu", "/pengawas/mini-mpp-loa-kulu/"),
        ("supervisor_loakulu", "/survei/hasil/"),
    ],
)
def test_staff_pages_say_who_is_signed_in_and_offer_to_sign_out(client, cast, person, url):
    user = getattr(cast, person)()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    form = re.search(
        r'<form action="/keluar/" method="post" class="signed-in">.*?</form>', html, re.S
    )
    assert form is not None
    assert "csrfmiddlewaretoken" in form.group(0) and ">Keluar</button>" in form.group(0)
    assert f">{user.username}</a>" in form.group(0)
    assert "Masuk petugas" not in html


def test_signing_out_ends_the_session_and_offers_the_sign_in_page(client, cast):
    client.force_login(cast.officer_dukcapil())
    assert client.get(reverse("accounts:logout")).status_code == 405  # Django 5: POST only
    assert client.get("/konsol/").status_code == 200
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302 and response["Location"] == reverse("admin:login")
    assert "_auth_user_id" not in client.session
    assert client.get("/konsol/")["Location"].startswith(reverse("admin:login"))
    page = client.get(response["Location"]).content.decode()
    assert 'name="next" value="/petugas/"' in page


def test_signing_out_needs_the_csrf_token(cast):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(cast.officer_dukcapil())
    assert browser.post(reverse("accounts:logout")).status_code == 403
    assert get_user_model().objects.filter(username="petugas.dukcapil").exists()
    assert browser.get("/konsol/").status_code == 200
