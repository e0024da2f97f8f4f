"""The counter's survey tablet (800 × 1280) and the citizen's survey on a phone (issue 18, items
14, 21 and 24): the tablet is locked, in large type, waits on the live events (no timed reload),
opens the survey when its counter finishes a ticket and returns to waiting after the answer;
question titles are plain words inside their border; every state passes axe-core."""

from __future__ import annotations

import urllib.request
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.a11y import assert_accessible
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

TABLET = {"width": 800, "height": 1280}

# Geometry of the questions: a title inside its border, the sizes a finger and an eye meet.
QUESTIONS = """() => [...document.querySelectorAll("fieldset.q")].map((f) => {
  const box = f.getBoundingClientRect();
  const legend = f.querySelector("legend").getBoundingClientRect();
  const choices = [...f.querySelectorAll("label.choice")].map((c) => c.getBoundingClientRect());
  return {
    text: f.querySelector("legend").textContent,
    inside: legend.left >= box.left - 0.5 && legend.right <= box.right + 0.5,
    font: parseFloat(getComputedStyle(f.querySelector("legend")).fontSize),
    choiceHeight: Math.min(...choices.map((c) => c.height)),
    pageWidth: document.documentElement.scrollWidth,
  };
})"""


def serving_counter(base: str) -> tuple[Any, Any, Any]:
    """MPP Kukar's first Disdukcapil counter, open, serving a number: (counter, ticket, officer)."""
    from mpp.accounts.tests.factories import Cast
    from mpp.catalog.models import Service
    from mpp.malls.models import Mall
    from mpp.queueing import actions
    from mpp.queueing.models import Counter, Ticket

    # One request first: the server's loop is then known to the actions called from this thread.
    urllib.request.urlopen(f"{base}/healthz").read()  # noqa: S310 - the local test server
    mall = Mall.objects.get(slug="mpp-kukar")
    officer = Cast().officer_dukcapil()
    counter = Counter.objects.filter(mall=mall, tenant__slug="disdukcapil").first()
    counter = actions.set_counter_status(
        counter=counter, status=Counter.Status.OPEN, acting_user=officer
    )
    actions.issue_ticket(
        mall=mall, service=Service.objects.get(slug="akta-kelahiran"), channel=Ticket.Channel.KIOSK
    )
    ticket = actions.call_next_ticket(counter=counter, acting_user=officer)
    assert ticket is not None
    ticket = actions.start_ticket(ticket=ticket, acting_user=officer)
    return counter, ticket, officer


def assert_locked(page: Page) -> None:
    """Nothing leads a citizen away: no site menu, no link, no language switcher."""
    expect(page.locator("nav")).to_have_count(0)
    expect(page.locator("a")).to_have_count(0)
    expect(page.locator("select#lang")).to_have_count(0)
    expect(page.locator('meta[http-equiv="refresh"]')).to_have_count(0)


def answer_all(page: Page) -> None:
    for code in ("U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9"):
        page.locator(f"#q-{code} label.choice").nth(3).click()
    page.get_by_role("button", name="Kirim jawaban").click()


def test_the_tablet_opens_the_survey_when_its_counter_finishes_and_waits_again(
    asgi_server, kukar, browser, settings
):
    from mpp.queueing import actions
    from mpp.queueing.models import Ticket
    from mpp.surveys.models import Response

    settings.MPP_DEMO_ALWAYS_OPEN = True  # the real clock runs in the server thread
    counter, ticket, officer = serving_counter(asgi_server)
    context: BrowserContext = browser.new_context(viewport=TABLET, locale="id-ID", has_touch=True)
    url = f"/survei/tablet/loket/{counter.pk}/"
    tablet = sign_in(context, asgi_server, officer.username, url)
    heading = tablet.get_by_role("heading", name=f"Nilai pelayanan loket {counter.number}")
    expect(heading).to_be_visible()
    assert_locked(tablet)
    expect(tablet.locator("body")).to_have_attribute("data-live", "on")
    assert_accessible(tablet)

    actions.finish_ticket(ticket=ticket, outcome=Ticket.Outcome.DONE, acting_user=officer)
    survey = tablet.get_by_role("heading", name="Bagaimana pelayanan kami?")
    expect(survey).to_be_visible()  # opened by the live event, not by a timer
    assert_locked(tablet)
    questions = tablet.evaluate(QUESTIONS)
    assert len(questions) == 9
    for q in questions:
        assert "U1" not in q["text"] and "·" not in q["text"], q  # no element codes
        assert q["inside"] and q["font"] >= 24 and q["choiceHeight"] >= 64, q
        assert q["pageWidth"] <= TABLET["width"], q
    expect(tablet.get_by_role("button", name="Kirim jawaban")).to_be_visible()
    assert_accessible(tablet)

    answer_all(tablet)
    thanks = tablet.get_by_role("heading", name="Terima kasih atas penilaian Anda")
    expect(thanks).to_be_visible()
    expect(heading).to_be_visible()  # back to waiting for the next citizen
    assert Response.objects.get().channel == Response.Channel.TABLET
    assert_locked(tablet)
    assert_accessible(tablet)
    context.close()


def test_the_phone_survey_shows_plain_titles_inside_their_border(
    asgi_server, kukar, android: BrowserContext, settings
):
    from mpp.queueing import actions
    from mpp.queueing.models import Ticket

    settings.MPP_DEMO_ALWAYS_OPEN = True
    _, ticket, officer = serving_counter(asgi_server)
    phone = android.new_page()
    phone.goto(f"{asgi_server}/antrean/{ticket.code}/survei/")
    expect(phone.get_by_role("heading", name="Survei belum dapat diisi")).to_be_visible()
    assert_accessible(phone)

    actions.finish_ticket(ticket=ticket, outcome=Ticket.Outcome.DONE, acting_user=officer)
    phone.goto(f"{asgi_server}/antrean/{ticket.code}/survei/")
    expect(phone.get_by_role("heading", name="Bagaimana pelayanan kami?")).to_be_visible()
    for q in phone.evaluate(QUESTIONS):
        assert "U1" not in q["text"] and "·" not in q["text"], q
        assert q["inside"] and q["pageWidth"] <= 393, q
    assert_accessible(phone)
    answer_all(phone)
    expect(phone.get_by_role("heading", name="Terima kasih atas penilaian Anda")).to_be_visible()
    assert_accessible(phone)
