"""The kiosk's pages and the Back button: no page with a used idempotency key comes back."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from mpp.accounts.models import Role
from mpp.accounts.tests.factories import make_staff
from mpp.catalog.models import Service
from mpp.queueing.models import Ticket


@pytest.fixture
def kiosk_client(client, kukar):  # type: ignore[no-untyped-def]
    client.force_login(make_staff(Role.KIOSK, mall="mpp-kukar", username="kios.uji"))
    return client


@pytest.fixture
def akta(kukar) -> Service:  # type: ignore[no-untyped-def]
    return Service.objects.get(slug="akta-kelahiran")


def issue_at_kiosk(client, service, **data):  # type: ignore[no-untyped-def]
    return client.post(reverse("queueing:kiosk-issue", args=["mpp-kukar", service.pk]), data)


def priority_page(client, service):  # type: ignore[no-untyped-def]
    return client.get(reverse("queueing:kiosk-priority", args=["mpp-kukar", service.pk]))


def page_key(client, service) -> str:  # type: ignore[no-untyped-def]
    """The key of the priority step's form: the page that takes the number."""
    page = priority_page(client, service)
    form = re.search(
        rf'<form[^>]*kios/mpp-kukar/layanan/{service.pk}/"[^>]*>.*?</form>',
        page.content.decode(),
        re.S,
    )
    assert form is not None
    match = re.search(r'name="idempotency_key" value="([^"]+)"', form.group(0))
    assert match is not None
    return match.group(1)


def test_kiosk_pages_are_never_kept_by_the_browser(kiosk_client, monday, akta):
    """no-store: Back fetches the page again, with a fresh key, instead of the cached one."""
    issued = issue_at_kiosk(kiosk_client, akta, priority="none", idempotency_key="k-1")
    pages = [
        reverse("queueing:kiosk", args=["mpp-kukar"]),
        reverse("queueing:kiosk-tenant", args=["mpp-kukar", "disdukcapil"]),
        reverse("queueing:kiosk-priority", args=["mpp-kukar", akta.pk]),
        issued["Location"],
    ]
    for response in [issued, *(kiosk_client.get(url) for url in pages)]:
        assert "no-store" in response["Cache-Control"], response


def test_each_priority_step_carries_its_own_key_and_the_script_that_renews_it(
    kiosk_client, monday, akta
):
    first, second = page_key(kiosk_client, akta), page_key(kiosk_client, akta)
    assert first != second and first.endswith(f"-{akta.pk}")
    html = priority_page(kiosk_client, akta).content.decode()
    assert "mpp/idempotent.js" in html
    assert f'data-idempotent data-service="{akta.pk}"' in html


@pytest.mark.parametrize(
    ("slug", "priority"),
    [("akta-kelahiran", "none"), ("akta-kelahiran", "ibu_hamil"), ("akta-kematian", "lansia")],
)
def test_a_page_sent_again_for_someone_elses_choice_gets_no_earlier_ticket(
    kiosk_client, monday, akta, slug, priority
):
    """QA on `make demo`: Lansia B002, Back, "Ambil nomor": B002 (Lansia) came back."""
    key = page_key(kiosk_client, akta)
    first = issue_at_kiosk(kiosk_client, akta, priority="lansia", idempotency_key=key)
    ticket = Ticket.objects.get()
    assert first.status_code == 302 and ticket.code in first["Location"]
    double_tap = issue_at_kiosk(kiosk_client, akta, priority="lansia", idempotency_key=key)
    assert double_tap["Location"] == first["Location"]

    other = Service.objects.get(slug=slug)
    refused = issue_at_kiosk(kiosk_client, other, priority=priority, idempotency_key=key)
    assert refused.status_code == 409
    html = refused.content.decode()
    assert "Halaman ini sudah dipakai untuk nomor lain. Silakan ambil nomor lagi." in html
    assert ticket.code not in html and ticket.display_number not in html
    assert list(Ticket.objects.all()) == [ticket]

    fresh = issue_at_kiosk(
        kiosk_client, other, priority=priority, idempotency_key=page_key(kiosk_client, other)
    )
    assert fresh.status_code == 302
    new = Ticket.objects.exclude(pk=ticket.pk).get()
    assert (new.service, new.priority) == (other, priority) and new.code in fresh["Location"]


def test_the_kiosk_speaks_indonesian_whatever_its_browser_is_set_to(kiosk_client, monday, akta):
    # LocaleMiddleware leaves English active in this thread: the tests after this one get
    # Indonesian back when the override ends.
    with translation.override("id"):
        home = kiosk_client.get(
            reverse("queueing:kiosk", args=["mpp-kukar"]), HTTP_ACCEPT_LANGUAGE="en-US,en"
        )
        assert home["Content-Language"] == "id"
        assert "Sentuh instansi yang Anda tuju" in home.content.decode()
        issued = kiosk_client.post(
            reverse("queueing:kiosk-issue", args=["mpp-kukar", akta.pk]),
            {"priority": "none"},
            HTTP_ACCEPT_LANGUAGE="en",
        )
        assert issued.status_code == 302
        slip = kiosk_client.get(issued["Location"], HTTP_ACCEPT_LANGUAGE="en")
        assert slip["Content-Language"] == "id"
