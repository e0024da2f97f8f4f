"""The display board marks the called counter on the floor map, live."""

from __future__ import annotations

import urllib.request

import pytest
from playwright.sync_api import BrowserContext, expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_called_counter_is_marked_on_the_boards_map(asgi_server, kukar, desktop, settings):
    from mpp.accounts.tests.factories import Cast
    from mpp.catalog.models import Service
    from mpp.malls.models import Mall
    from mpp.metapers.demo import ensure_demo_halls
    from mpp.queueing import actions
    from mpp.queueing.models import Counter, Ticket

    settings.MPP_DEMO_ALWAYS_OPEN = True  # the real clock runs in the server thread
    ensure_demo_halls(kukar)
    base = asgi_server
    urllib.request.urlopen(f"{base}/healthz").read()  # noqa: S310 - the server's loop is known
    mall = Mall.objects.get(slug="mpp-kukar")
    officer = Cast().officer_dukcapil()
    counter = Counter.objects.filter(mall=mall, tenant__slug="disdukcapil").first()
    counter = actions.set_counter_status(
        counter=counter, status=Counter.Status.OPEN, acting_user=officer
    )
    board: BrowserContext = desktop
    page = board.new_page()
    page.goto(f"{base}/papan/mpp-kukar/")
    expect(page.locator("[data-link]")).to_have_text("Terhubung")
    desk = page.locator(f'[data-map] [data-counter="{counter.number}"]')
    expect(desk).to_have_class("desk")

    actions.issue_ticket(
        mall=mall, service=Service.objects.get(slug="akta-kelahiran"), channel=Ticket.Channel.KIOSK
    )
    actions.call_next_ticket(counter=counter, acting_user=officer)
    expect(desk).to_have_class("desk serving latest")
