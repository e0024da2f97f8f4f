"""A citizen rates the service on the phone: the finished ticket's page offers the survey, the
answers go in with taps, the thank-you page leads to the mall's public results, which count the
new response."""

from __future__ import annotations

import urllib.request

import pytest
from playwright.sync_api import BrowserContext, expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_from_the_phone_page_through_the_survey_to_the_public_page(
    asgi_server, kukar, android: BrowserContext, settings
):
    from mpp.accounts.tests.factories import Cast
    from mpp.catalog.models import Service
    from mpp.malls.models import Mall
    from mpp.queueing import actions
    from mpp.queueing.models import Counter, Ticket
    from mpp.surveys.models import Response

    settings.MPP_DEMO_ALWAYS_OPEN = True  # the real clock runs in the server thread
    base = asgi_server
    # One request first: the server's loop is then known, and the actions called below from
    # this thread (where Playwright runs its own loop) hand their events to it.
    urllib.request.urlopen(f"{base}/healthz").read()  # noqa: S310 - the local test server
    mall = Mall.objects.get(slug="mpp-kukar")
    officer = Cast().officer_dukcapil()
    counter = Counter.objects.filter(mall=mall, tenant__slug="disdukcapil").first()
    counter = actions.set_counter_status(
        counter=counter, status=Counter.Status.OPEN, acting_user=officer
    )
    issued = actions.issue_ticket(
        mall=mall,
        service=Service.objects.get(slug="akta-kelahiran"),
        channel=Ticket.Channel.KIOSK,
    )
    ticket = actions.call_next_ticket(counter=counter, acting_user=officer)
    assert ticket is not None and ticket.pk == issued.ticket.pk
    ticket = actions.start_ticket(ticket=ticket, acting_user=officer)

    phone = android.new_page()
    phone.goto(f"{base}/antrean/{ticket.code}/")
    survey_link = phone.get_by_role("link", name="Nilai pelayanan kami (survei kepuasan)")
    expect(survey_link).to_be_hidden()
    expect(phone.locator("[data-connection]")).to_have_text("")

    actions.finish_ticket(ticket=ticket, outcome=Ticket.Outcome.DONE, acting_user=officer)
    expect(survey_link).to_be_visible()  # the page follows the ticket live
    survey_link.tap()

    expect(phone.get_by_role("heading", name="Bagaimana pelayanan kami?")).to_be_visible()
    for code in ("U1", "U2", "U3", "U5", "U6", "U7", "U8", "U9"):
        phone.locator(f"#q-{code} label.choice").nth(3).tap()  # "4": the best answer
    phone.locator("#q-U4 label.choice").nth(2).tap()  # "Murah" (3)
    phone.get_by_role("button", name="Kirim jawaban").tap()

    expect(phone.get_by_role("heading", name="Terima kasih atas penilaian Anda")).to_be_visible()
    response = Response.objects.get()
    assert (response.u4, response.u8, response.u9) == (3, 4, 4)

    phone.get_by_role("link", name="Lihat hasil survei MPP Kukar").tap()
    expect(phone.locator("[data-running] [data-respondents]")).to_have_text("1")
    # (8 × 4 + 3) / 9 × 25 = 97.22…: the converted value with a decimal comma.
    expect(phone.locator("[data-running] [data-score]")).to_have_text("97,22")
