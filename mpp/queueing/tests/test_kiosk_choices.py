"""The kiosk's choices for an elderly citizen (issue 18, item 7): one button per service, the most
used first; the priority question on its own step; a search; tenants not serving today marked on
their tile and refused on every issuing path; no blind timed reload; the page's language."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import translation

from mpp.accounts.models import Role
from mpp.accounts.tests.factories import bearer, make_staff, token_for
from mpp.catalog.models import Service
from mpp.queueing.models import Ticket

NOT_TODAY = "Imigrasi Samarinda hari ini tidak melayani di MPP Kukar; buka Rabu, 2 Desember."


@pytest.fixture
def kiosk_user(kukar):  # type: ignore[no-untyped-def]
    return make_staff(Role.KIOSK, mall="mpp-kukar", username="kios.pilih")


@pytest.fixture
def kiosk_client(client, kiosk_user):  # type: ignore[no-untyped-def]
    client.force_login(kiosk_user)
    return client


def services_page(client, tenant="disdukcapil", **params):  # type: ignore[no-untyped-def]
    return client.get(reverse("queueing:kiosk-tenant", args=["mpp-kukar", tenant]), params)


def service_buttons(html: str) -> list[str]:
    """The services' names in the page's order, one link each to the priority step."""
    return re.findall(r'<a class="service-button" href="[^"]+/prioritas/">([^<]+)</a>', html)


def test_one_button_per_service_in_the_tenants_order_when_nothing_was_issued(kiosk_client, monday):
    html = services_page(kiosk_client).content.decode()
    names = service_buttons(html)
    offered = Service.objects.active().filter(
        tenant__slug="disdukcapil", offerings__mall__slug="mpp-kukar"
    )
    assert len(names) == offered.count() == 16
    assert names[0] == "Perekaman KTP Elektronik (KTP-el)"  # the data's curated order, not A-Z
    assert 'name="priority"' not in html  # the priority question is the next step


def test_the_most_used_services_of_the_last_weeks_come_first(kiosk_client, monday, issue):
    for _ in range(3):
        issue("aktivasi-ikd")
    issue("akta-kematian")
    names = service_buttons(services_page(kiosk_client).content.decode())
    assert names[:3] == [
        "Aktivasi Identitas Kependudukan Digital (IKD)",
        "Penerbitan Akta Kematian",
        "Perekaman KTP Elektronik (KTP-el)",
    ]


def test_tickets_older_than_four_weeks_do_not_count(kiosk_client, monday, issue):
    old = issue("aktivasi-ikd").ticket
    Ticket.objects.filter(pk=old.pk).update(service_day=old.service_day - dt.timedelta(days=29))
    names = service_buttons(services_page(kiosk_client).content.decode())
    assert names[0] == "Perekaman KTP Elektronik (KTP-el)"


def test_the_search_keeps_the_tenants_services_that_match(kiosk_client, monday):
    html = services_page(kiosk_client, q="akta kematian").content.decode()
    assert service_buttons(html)[0] == "Penerbitan Akta Kematian"
    assert all("KTP" not in name for name in service_buttons(html))
    assert "Tampilkan semua layanan" in html
    nothing = services_page(kiosk_client, q="qxzqxz").content.decode()
    assert service_buttons(nothing) == []
    assert "Tidak ada layanan yang cocok" in nothing


def test_the_priority_step_asks_for_every_group_of_the_law_tied_to_the_service(
    kiosk_client, monday
):
    akta = Service.objects.get(slug="akta-kelahiran")
    html = kiosk_client.get(
        reverse("queueing:kiosk-priority", args=["mpp-kukar", akta.pk])
    ).content.decode()
    assert "Apakah Anda termasuk salah satu kelompok ini?" in html
    groups = re.findall(
        r'<button type="submit" name="priority" value="([a-z_]+)" class="group" '
        r'aria-describedby="chosen-service">([^<]+)</button>',
        html,
    )
    assert groups == [
        (value, str(label)) for value, label in Ticket.Priority.choices if value != "none"
    ]
    assert ("anak", "Anak-anak") in groups and (
        "bencana",
        "Korban bencana alam atau sosial",
    ) in groups
    assert 'value="none" class="no"' in html
    assert f'<p class="chosen" id="chosen-service"><span>Layanan:</span> {akta.name}</p>' in html


def test_a_child_gets_a_priority_number_and_its_slip_says_so(kiosk_client, monday):
    akta = Service.objects.get(slug="akta-kelahiran")
    issued = kiosk_client.post(
        reverse("queueing:kiosk-issue", args=["mpp-kukar", akta.pk]),
        {"priority": "anak", "idempotency_key": "anak-1"},
    )
    ticket = Ticket.objects.get()
    assert ticket.priority == "anak" and ticket.is_priority
    slip = kiosk_client.get(issued["Location"]).content.decode()
    assert '<p class="slip-priority" data-priority="anak">PRIORITAS: Anak-anak</p>' in slip
    assert "Senin, 30 November 2026 09.00" in slip  # the mall's zone, the Indonesian way


def test_a_tenant_not_serving_today_is_marked_on_its_tile(kiosk_client, monday):
    html = kiosk_client.get(reverse("queueing:kiosk", args=["mpp-kukar"])).content.decode()
    tile = re.search(r'<a class="tile closed-today"[^>]*imigrasi-samarinda/">(.*?)</a>', html)
    assert tile is not None
    assert "Hari ini tidak melayani; buka Rabu, 2 Desember" in tile.group(1)
    served = re.search(r'<a class="tile" href="[^"]*disdukcapil/">(.*?)</a>', html)
    assert served is not None
    assert "Dinas Kependudukan dan Pencatatan Sipil" in served.group(1)  # the acronym, spelled out
    assert "Kutai Kartanegara" not in served.group(1)  # not the regency on every tile


@pytest.mark.parametrize("demo", [False, True], ids=["hours", "demo-always-open"])
def test_a_tenant_not_serving_today_is_refused_at_the_kiosk(kiosk_client, monday, settings, demo):
    """The demo's round-the-clock switch replaces the mall's hours, not Imigrasi's Wednesday."""
    settings.MPP_DEMO_ALWAYS_OPEN = demo
    page = services_page(kiosk_client, tenant="imigrasi-samarinda")
    assert NOT_TODAY in page.content.decode() and "service-button" not in page.content.decode()
    paspor = Service.objects.filter(tenant__slug="imigrasi-samarinda").first()
    assert paspor is not None
    step = kiosk_client.get(reverse("queueing:kiosk-priority", args=["mpp-kukar", paspor.pk]))
    assert NOT_TODAY in step.content.decode() and 'name="priority"' not in step.content.decode()
    refused = kiosk_client.post(
        reverse("queueing:kiosk-issue", args=["mpp-kukar", paspor.pk]),
        {"priority": "none", "idempotency_key": "paspor-1"},
    )
    assert refused.status_code == 409 and NOT_TODAY in refused.content.decode()
    assert not Ticket.objects.exists()


def test_a_tenant_not_serving_today_is_refused_through_the_api(
    client, monday, settings, kiosk_user, mall_mpp
):
    settings.MPP_DEMO_ALWAYS_OPEN = True
    paspor = Service.objects.filter(tenant__slug="imigrasi-samarinda").first()
    assert paspor is not None
    refused = client.post(
        f"/api/v1/malls/{mall_mpp.pk}/tickets",
        {"service_id": paspor.pk},
        content_type="application/json",
        **bearer(token_for(client, kiosk_user)),
    )
    assert refused.json() == {"detail": NOT_TODAY, "code": "not_today"}
    assert refused.status_code == 400  # the API's status of every TicketRefused
    assert not Ticket.objects.exists()


def test_on_a_day_the_mall_is_closed_the_demo_lets_every_tenant_serve(client, monday, settings):
    """A demo on a Sunday is played as an ordinary day (no tenant roster to follow)."""
    settings.MPP_DEMO_ALWAYS_OPEN = True
    monday.shift(6 * 24 * 3600)  # Sunday 6 December
    client.force_login(make_staff(Role.KIOSK, mall="mpp-kukar", username="kios.minggu"))
    html = client.get(reverse("queueing:kiosk", args=["mpp-kukar"])).content.decode()
    assert "closed-today" not in html


def test_refusals_and_slips_wait_for_the_person_not_for_a_timer(kiosk_client, monday):
    akta = Service.objects.get(slug="akta-kelahiran")
    issued = kiosk_client.post(
        reverse("queueing:kiosk-issue", args=["mpp-kukar", akta.pk]),
        {"priority": "none", "idempotency_key": "k-1"},
    )
    refused = services_page(kiosk_client, tenant="imigrasi-samarinda")
    for page in (kiosk_client.get(issued["Location"]), refused):
        html = page.content.decode()
        assert 'http-equiv="refresh"' not in html
        assert "data-idle-after" in html and "Saya masih di sini" in html


def test_the_kiosk_in_english_says_so_to_the_browser(kiosk_client, monday, settings):
    kiosk_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    # The middleware activates English in this thread: the tests after this one get Indonesian.
    with translation.override(settings.LANGUAGE_CODE):
        html = kiosk_client.get(reverse("queueing:kiosk", args=["mpp-kukar"])).content.decode()
        step = services_page(kiosk_client).content.decode()
    assert '<html lang="en">' in html
    assert '<html lang="en">' in step and "I am still here" in step
