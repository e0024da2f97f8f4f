"""The pages that link to the complaint form pass what they know (`sumber`, `layanan`, `mal`,
`kode`), and the form opens prefilled from them; the staff list's queries are bounded."""

from __future__ import annotations

import datetime as dt
import html
from urllib.parse import parse_qs, urlparse

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from mpp.complaints.tests import world

pytestmark = pytest.mark.django_db
MONDAY_9 = dt.datetime(2026, 11, 30, 9, 0, tzinfo=world.WITA)


def _complaint_link(page: str) -> dict[str, list[str]]:
    start = page.index('href="/pengaduan/baru/?')
    href = html.unescape(page[start + 6 : page.index('"', start + 6)])
    return parse_qs(urlparse(href).query)


def test_the_service_page_links_with_the_service_and_the_mall(client: Client, kukar):
    service, mall = world.akta(), world.mpp()
    page = client.get(f"{service.get_absolute_url()}?mall=mpp-kukar").content.decode()
    assert _complaint_link(page) == {
        "sumber": ["layanan"],
        "layanan": [str(service.pk)],
        "mal": [str(mall.pk)],
    }


def test_the_ticket_page_links_with_the_ticket_number_not_its_secret_code(client: Client, kukar):
    service, mall = world.akta(), world.mpp()
    with time_machine.travel(MONDAY_9, tick=False):
        taken = client.post(
            reverse("queueing:take-number", args=[service.pk]),
            {"mall": "mpp-kukar", "priority": "none"},
        )
        page = client.get(taken["Location"]).content.decode()
    link = _complaint_link(page)
    assert link["sumber"] == ["antrean"] and link["mal"] == [str(mall.pk)]
    assert link["layanan"] == [str(service.pk)]
    assert taken["Location"].split("/")[2] not in link["kode"][0]  # the slip's secret code
    form = client.get("/pengaduan/baru/", {k: v[0] for k, v in link.items()}).content.decode()
    assert link["kode"][0] in form and service.name in form


def test_the_metapers_booth_links_with_its_mall(client: Client, kukar):
    from mpp.metapers.demo import ensure_demo_halls

    ensure_demo_halls(kukar)
    page = client.get("/metapers/mpp-kukar/instansi/disdukcapil/")
    assert page.status_code == 200
    link = _complaint_link(page.content.decode())
    assert link == {"sumber": ["metapers"], "mal": [str(world.mpp().pk)]}


def test_the_surveys_thank_you_page_links_with_its_mall(rf, kukar):
    from django.template.loader import render_to_string

    page = render_to_string("surveys/thanks.html", {"mall": world.mpp()}, request=rf.get("/"))
    assert _complaint_link(page) == {"sumber": ["survei"], "mal": [str(world.mpp().pk)]}


def test_the_staff_list_takes_a_bounded_number_of_queries(cast, django_assert_max_num_queries):
    with time_machine.travel(world.THURSDAY_9, tick=False):
        for _ in range(12):
            world.verified()
        client = Client()
        client.force_login(cast.regency_admin())
        client.get("/petugas/pengaduan/")  # warm the caches (region, profile)
        with django_assert_max_num_queries(12):
            page = client.get("/petugas/pengaduan/")
    assert page.status_code == 200 and page.content.decode().count("data-complaint=") == 12


def test_the_demo_makes_its_complaints_once(kukar):
    from mpp.complaints.demo import load_demo_complaints
    from mpp.complaints.models import Complaint, Status

    assert load_demo_complaints(kukar) == 4
    assert load_demo_complaints(kukar) == 0
    statuses = sorted(Complaint.objects.values_list("status", flat=True))
    assert statuses == sorted([Status.VERIFIED, Status.ANSWERED, Status.RECEIVED, Status.DISMISSED])


def test_every_public_page_s_footer_leads_to_the_form_and_the_lookup(client, kukar):
    html = client.get("/").content.decode()
    assert f'href="{reverse("complaints:new")}" data-footer-complaint' in html
    assert f'href="{reverse("complaints:lookup")}"' in html
    assert 'href="https://www.lapor.go.id"' in html
