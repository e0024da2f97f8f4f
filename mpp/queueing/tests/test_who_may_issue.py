"""Who may issue a ticket: one rule (queueing.access.issuing_channel) on every path.

Every role of the cast on every way a number is taken — the API with a bearer token, the API
with a signed-in browser session (with its CSRF token), the kiosk pages, a service's page (the
phone) and a Metapers booth — in scope and out of scope (issue 16: an auditor's read-only token
had issued 10 of 10 tickets through the API)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.crypto import get_random_string

from mpp.accounts.models import Role
from mpp.accounts.tests.factories import bearer, make_staff, token_for
from mpp.catalog.models import Service
from mpp.malls.models import Mall
from mpp.queueing.access import issuing_channel
from mpp.queueing.exceptions import IssuingForbidden
from mpp.queueing.models import Ticket

KIOSK, ONLINE, METAPERS, STAFF = (
    Ticket.Channel.KIOSK,
    Ticket.Channel.ONLINE,
    Ticket.Channel.METAPERS,
    Ticket.Channel.STAFF,
)
PUBLIC = "public"  # the path's own public channel: online (API, phone page) or Metapers

# Who asks for a Disdukcapil number (akta kelahiran) at MPP Kukar, and what they get: the
# channel of their ticket, or the code of the 403.
AT_MPP_KUKAR: dict[str, str] = {
    "anonymous": PUBLIC,
    "outsider": PUBLIC,  # signed in without a staff role: a citizen
    "kiosk_mpp": KIOSK,
    "kiosk_loakulu": "kiosk_other_mall",
    "regency_admin": STAFF,
    "supervisor_mpp": STAFF,
    "supervisor_loakulu": "outside_scope",
    "officer_dukcapil": STAFF,  # for a walk-in at the counter
    "officer_imigrasi": "outside_scope",  # another tenant's service
    "leadership": "read_only_role",
    "auditor": "read_only_role",
}


def person(cast: Any, who: str) -> Any:
    if who == "anonymous":
        return None
    if who == "kiosk_mpp":
        return make_staff(Role.KIOSK, mall="mpp-kukar", username="kios.mpp.1")
    if who == "kiosk_loakulu":
        return make_staff(Role.KIOSK, mall="mini-mpp-loa-kulu", username="kios.loakulu.1")
    return getattr(cast, who)()


@pytest.fixture
def akta(kukar) -> Service:  # type: ignore[no-untyped-def]
    return Service.objects.get(slug="akta-kelahiran")


def build_halls(kukar: Any) -> None:
    from mpp.metapers.demo import ensure_demo_halls

    ensure_demo_halls(kukar)


def browser(user: Any) -> Client:
    """A browser that checks CSRF like a real one, signed in as `user` (or no one), with the
    CSRF cookie a page of the site would have given it."""
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    client.cookies["csrftoken"] = get_random_string(32)
    return client


def csrf(client: Client) -> dict[str, str]:
    return {"HTTP_X_CSRFTOKEN": client.cookies["csrftoken"].value}


# Each path: (client, user, mall, service) -> response. Pages answer 302 when they issued.
def via_api_token(client: Client, user: Any, mall: Mall, service: Service) -> Any:
    # Only staff get tokens: a citizen, signed in or not, calls without one.
    staff = user is not None and hasattr(user, "staff_profile")
    headers = bearer(token_for(client, user)) if staff else {}
    return client.post(
        f"/api/v1/malls/{mall.pk}/tickets",
        {"service_id": service.pk},
        content_type="application/json",
        **headers,
    )


def via_api_session(client: Client, user: Any, mall: Mall, service: Service) -> Any:
    client = browser(user)
    return client.post(
        f"/api/v1/malls/{mall.pk}/tickets",
        {"service_id": service.pk},
        content_type="application/json",
        **csrf(client),
    )


def via_phone_page(client: Client, user: Any, mall: Mall, service: Service) -> Any:
    client = browser(user)
    return client.post(
        reverse("queueing:take-number", args=[service.pk]),
        {
            "mall": mall.slug,
            "priority": "none",
            "csrfmiddlewaretoken": csrf(client)["HTTP_X_CSRFTOKEN"],
        },
    )


def via_metapers_booth(client: Client, user: Any, mall: Mall, service: Service) -> Any:
    client = browser(user)
    return client.post(
        f"/metapers/{mall.slug}/instansi/{service.tenant.slug}/",
        {
            "service": service.pk,
            "priority": "none",
            "csrfmiddlewaretoken": csrf(client)["HTTP_X_CSRFTOKEN"],
        },
    )


def via_kiosk_page(client: Client, user: Any, mall: Mall, service: Service) -> Any:
    client = browser(user)
    return client.post(
        reverse("queueing:kiosk-issue", kwargs={"slug": mall.slug, "pk": service.pk}),
        {"priority": "none", "csrfmiddlewaretoken": csrf(client)["HTTP_X_CSRFTOKEN"]},
    )


PATHS: dict[str, tuple[Callable[..., Any], str]] = {
    "api-token": (via_api_token, ONLINE),
    "api-session": (via_api_session, ONLINE),
    "phone-page": (via_phone_page, ONLINE),
    "metapers-booth": (via_metapers_booth, METAPERS),
}


def issued_ok(response: Any) -> bool:
    return response.status_code in (201, 302)


@pytest.mark.parametrize("who", sorted(AT_MPP_KUKAR))
@pytest.mark.parametrize("path", sorted(PATHS))
def test_every_role_issues_only_within_its_scope_on_every_path(
    client, monday, cast, kukar, mall_mpp, akta, who, path
):
    """Citizens through the public channel, kiosks at their mall, staff in their scope (as the
    staff channel, recorded with who took the number); read-only roles never."""
    send, public = PATHS[path]
    if path == "metapers-booth":
        build_halls(kukar)
    user = person(cast, who)
    response = send(client, user, mall_mpp, akta)
    expected = AT_MPP_KUKAR[who]
    if expected in (PUBLIC, KIOSK, STAFF):
        assert issued_ok(response), response.content.decode()[:400]
        ticket = Ticket.objects.get()
        assert ticket.channel == (public if expected == PUBLIC else expected)
        # A citizen's ticket names no one; a kiosk's or officer's names who took it.
        assert ticket.issued_by_id == (None if expected == PUBLIC else user.pk)
        return
    assert response.status_code == 403
    assert not Ticket.objects.exists()
    if path.startswith("api"):
        body = response.json()
        assert set(body) == {"detail", "code"} and body["code"] == expected
        assert REASONS[expected] in body["detail"]
    else:  # the page that took the request says why, in Indonesian
        assert REASONS[expected] in response.content.decode()


REASONS = {
    "kiosk_other_mall": "Kios ini terdaftar di mal lain.",
    "outside_scope": "Anda hanya dapat mengambilkan nomor antrean untuk layanan instansi Anda "
    "di mal tempat Anda bertugas.",
    "read_only_role": "tidak dapat mengambil nomor antrean. Keluar dari akun petugas untuk "
    "mengambil nomor sebagai warga.",
}


KIOSK_PAGE: dict[str, str | int] = {
    # The kiosk pages open for a kiosk device of the mall, its supervisor and the regency
    # administrator only; everyone else is turned away by the page (403) or sent to sign in.
    "anonymous": 302,
    "outsider": 403,
    "kiosk_mpp": KIOSK,
    "kiosk_loakulu": 403,
    "regency_admin": STAFF,
    "supervisor_mpp": STAFF,
    "supervisor_loakulu": 403,
    "officer_dukcapil": 403,
    "officer_imigrasi": 403,
    "leadership": 403,
    "auditor": 403,
}


@pytest.mark.parametrize("who", sorted(KIOSK_PAGE))
def test_the_kiosk_page_issues_for_its_kiosk_supervisor_and_administrator_only(
    client, monday, cast, mall_mpp, akta, who
):
    user = person(cast, who)
    response = via_kiosk_page(client, user, mall_mpp, akta)
    expected = KIOSK_PAGE[who]
    if isinstance(expected, int):
        assert response.status_code == expected
        if expected == 302:
            assert response["Location"].startswith(reverse("admin:login"))
        assert not Ticket.objects.exists()
        return
    assert response.status_code == 302 and "/tiket/" in response["Location"]
    ticket = Ticket.objects.get()
    assert ticket.channel == expected and ticket.issued_by_id == user.pk


@pytest.mark.parametrize(
    ("who", "mall_slug", "code"),
    [
        ("officer_dukcapil", "mini-mpp-tabang", "outside_scope"),  # a mall they do not serve
        ("officer_imigrasi", "mini-mpp-loa-kulu", "outside_scope"),
        ("supervisor_mpp", "mini-mpp-loa-kulu", "outside_scope"),
        ("kiosk_mpp", "mini-mpp-loa-kulu", "kiosk_other_mall"),
        ("auditor", "mpp-kukar", "read_only_role"),
        ("leadership", "mini-mpp-loa-kulu", "read_only_role"),
    ],
)
def test_the_rule_refuses_with_a_code_and_an_indonesian_reason(cast, akta, who, mall_slug, code):
    with pytest.raises(IssuingForbidden) as refused:
        issuing_channel(person(cast, who), Mall.objects.get(slug=mall_slug), akta)
    assert refused.value.code == code and refused.value.status == 403
    assert any(word in str(refused.value) for word in ("mal", "Peran", "Kios"))


def test_an_administrator_of_another_region_may_not_issue(cast, akta, mall_mpp):
    admin = cast.regency_admin()
    mall_mpp.region_id = admin.staff_profile.region_id + 1000  # an unsaved stranger region
    with pytest.raises(IssuingForbidden) as refused:
        issuing_channel(admin, mall_mpp, akta)
    assert refused.value.code == "outside_scope"


def test_the_auditors_refusal_through_the_api_is_403_in_indonesian(
    client, monday, cast, mall_mpp, akta
):
    """The probe's case: an auditor's token, ten requests, no ticket."""
    headers = bearer(token_for(client, cast.auditor()))
    for _ in range(10):
        response = client.post(
            f"/api/v1/malls/{mall_mpp.pk}/tickets",
            {"service_id": akta.pk},
            content_type="application/json",
            **headers,
        )
        assert response.status_code == 403
    assert response.json() == {
        "detail": "Peran Auditor hanya untuk melihat data dan tidak dapat mengambil nomor "
        "antrean. Keluar dari akun petugas untuk mengambil nomor sebagai warga.",
        "code": "read_only_role",
    }
    assert not Ticket.objects.exists()


def test_staff_in_scope_are_not_held_to_the_phones_rate_limit(client, monday, cast, mall_mpp, akta):
    """An officer taking numbers for walk-ins at the counter is not a flooding phone."""
    from mpp.queueing.issuing import PHONE_ISSUES_PER_MINUTE

    headers = bearer(token_for(client, cast.officer_dukcapil()))
    for _ in range(PHONE_ISSUES_PER_MINUTE + 2):
        response = client.post(
            f"/api/v1/malls/{mall_mpp.pk}/tickets",
            {"service_id": akta.pk},
            content_type="application/json",
            **headers,
        )
        assert response.status_code == 201
    assert Ticket.objects.filter(channel=STAFF).count() == PHONE_ISSUES_PER_MINUTE + 2
