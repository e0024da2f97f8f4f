"""Every kind of page carries the site's Content-Security-Policy: scripts from our own files only,
never inline (issue 16, finding 1; docs/adr/0013)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from mpp.accounts.models import Role
from mpp.accounts.tests.factories import make_staff
from mpp.catalog.models import Service
from mpp.malls.models import Mall
from mpp.queueing import actions
from mpp.queueing.models import Counter, Ticket

MONDAY_9 = dt.datetime(2026, 11, 30, 9, 0, tzinfo=ZoneInfo("Asia/Makassar"))


def policy(response) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    header = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


def assert_site_policy(response) -> None:  # type: ignore[no-untyped-def]
    found = policy(response)
    assert found["script-src"] == ["'self'"], response.request["PATH_INFO"]
    assert found["default-src"] == ["'self'"]
    assert found["object-src"] == ["'none'"] and found["base-uri"] == ["'none'"]
    assert found["frame-ancestors"] == ["'none'"]
    assert found["connect-src"] == ["'self'"]  # the site's own ws:// and wss:// too (CSP 3)


@pytest.fixture
def served_ticket(kukar, cast):  # type: ignore[no-untyped-def]
    """A ticket of MPP Kukar, called, served and finished: its phone page and survey exist."""
    with time_machine.travel(MONDAY_9, tick=False):
        mall = Mall.objects.get(slug="mpp-kukar")
        officer = cast.officer_dukcapil()
        counter = Counter.objects.filter(mall=mall, tenant__slug="disdukcapil").first()
        counter = actions.set_counter_status(
            counter=counter, status=Counter.Status.OPEN, acting_user=officer
        )
        actions.issue_ticket(
            mall=mall,
            service=Service.objects.get(slug="akta-kelahiran"),
            channel=Ticket.Channel.KIOSK,
        )
        ticket = actions.call_next_ticket(counter=counter, acting_user=officer)
        assert ticket is not None
        ticket = actions.start_ticket(ticket=ticket, acting_user=officer)
        return actions.finish_ticket(
            ticket=ticket, outcome=Ticket.Outcome.DONE, acting_user=officer
        )


PUBLIC_PAGES = [
    "/",
    "/mal/mpp-kukar/",
    "/layanan/?q=ktp",  # htmx
    "/instansi/",
    "/papan/mpp-kukar/",  # the TV board
    "/metapers/mpp-kukar/",
    "/metapers/mpp-kukar/3d/",  # three.js
    "/metapers/mpp-kukar/peta/",
    "/metapers/sw.js",  # the service worker
    "/admin/login/",
    "/api/v1/docs",  # Swagger UI
    "/tidak-ada/",  # the 404 page
]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_every_public_page_sends_the_sites_policy(client, kukar, path):
    response = client.get(path)
    assert response.status_code in (200, 404), path
    assert_site_policy(response)


def test_the_api_sends_the_policy_too(client, kukar):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert_site_policy(response)


def test_the_service_checklist_prints_without_inline_script(client, kukar):
    service = Service.objects.get(slug="akta-kelahiran")
    response = client.get(reverse("catalog:service-checklist", args=[service.pk]))
    assert_site_policy(response)
    assert (
        "onclick" not in response.content.decode() and "mpp/print.js" in response.content.decode()
    )


def test_staff_pages_send_the_sites_policy(client, cast, kukar):
    client.force_login(cast.regency_admin())
    mall = Mall.objects.get(slug="mpp-kukar")
    for path in ("/admin/", reverse("admin:malls_mall_change", args=[mall.pk])):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_site_policy(response)
    client.force_login(cast.officer_dukcapil())
    counter = Counter.objects.filter(mall=mall, tenant__slug="disdukcapil").first()
    response = client.get(reverse("queueing:console", args=[counter.pk]))
    assert response.status_code == 200
    assert_site_policy(response)


def test_the_kiosk_and_its_slip_send_the_policy_and_print_without_inline_script(
    client, served_ticket
):
    client.force_login(make_staff(Role.KIOSK, mall="mpp-kukar", username="kios.csp"))
    home = client.get(reverse("queueing:kiosk", args=["mpp-kukar"]))
    assert home.status_code == 200
    assert_site_policy(home)
    slip = client.get(reverse("queueing:kiosk-slip", args=["mpp-kukar", served_ticket.code]))
    assert slip.status_code == 200
    assert_site_policy(slip)
    html = slip.content.decode()
    assert "data-print-on-load" in html and "mpp/print.js" in html
    assert not re.search(r"<script>|<script\s+(?![^>]*\bsrc=)[^>]*>", html)  # no inline script


def test_the_phone_page_and_the_survey_send_the_policy(client, served_ticket):
    # Within the survey's answer window after the visit (the fixture served it on MONDAY_9): on
    # the real clock the window closes a week later and the survey is rightly 410 Gone.
    with time_machine.travel(MONDAY_9 + dt.timedelta(hours=1), tick=False):
        page = client.get(reverse("queueing:ticket", args=[served_ticket.code]))
        survey = client.get(reverse("surveys:from-ticket", args=[served_ticket.code]), follow=True)
    assert page.status_code == 200
    assert_site_policy(page)
    assert survey.status_code == 200 and survey.redirect_chain
    assert_site_policy(survey)


TEMPLATES = Path(settings.BASE_DIR) / "mpp"
INLINE = re.compile(
    r"""\son[a-z]+\s*=|javascript:|<script(?![^>]*\bsrc=)(?![^>]*type="application/json")""",
    re.IGNORECASE,
)


def test_no_template_of_ours_holds_inline_script():
    """Event attributes, javascript: URLs and inline <script> would need 'unsafe-inline'."""
    found = [
        f"{path.relative_to(TEMPLATES)}: {match.group()}"
        for path in sorted(TEMPLATES.rglob("templates/**/*.html"))
        for match in INLINE.finditer(path.read_text())
    ]
    assert found == []
