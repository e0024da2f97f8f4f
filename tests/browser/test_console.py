"""The officer console in a browser: a refused "Selesai" keeps the outcome and reason, also
when a queue event reloads the panel; a transfer is confirmed to the officer, and the citizen's
phone page says at once that the number changed."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, Playwright, expect

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

# Counts the page's open websockets, so that a test sends a queue event only once the page
# listens (the server joins the socket to the mall's group before it accepts it).
COUNT_SOCKETS = """
(() => {
  const Native = window.WebSocket;
  window.openSockets = 0;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("open", () => { window.openSockets += 1; });
      this.addEventListener("close", () => { window.openSockets -= 1; });
    }
  };
})();
"""


def listening(page: Page) -> None:
    page.wait_for_function("() => window.openSockets > 0")


def test_the_console_keeps_the_officers_choices_and_the_phone_hears_of_a_transfer(
    asgi_server, kukar, browser: Browser, playwright: Playwright, settings
):
    from mpp.accounts.tests.factories import Cast
    from mpp.catalog.models import Service
    from mpp.malls.models import Mall
    from mpp.queueing import actions
    from mpp.queueing.models import Counter, Ticket

    settings.MPP_DEMO_ALWAYS_OPEN = True  # the real clock runs in the server thread
    base = asgi_server
    officer = Cast().officer_dukcapil()
    mall = Mall.objects.get(slug="mpp-kukar")
    akta = Service.objects.get(slug="akta-kelahiran")
    nib = Service.objects.get(slug="pendaftaran-nib")
    counter = Counter.objects.filter(mall=mall, tenant__slug="disdukcapil").order_by("number")[0]
    officer_context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    officer_context.add_init_script(COUNT_SOCKETS)
    console = sign_in(officer_context, base, "petugas.dukcapil", f"/konsol/loket/{counter.pk}/")
    expect(console.locator("#panel h1")).to_contain_text(f"Loket {counter.number}")

    # Steps taken here, in the test's thread, reach the screens through the server's event
    # loop, which exists once the server has answered a request (core.events.ServerLoop).
    def issue() -> Ticket:
        return actions.issue_ticket(mall=mall, service=akta, channel="kiosk").ticket

    counter = actions.set_counter_status(counter=counter, status="open", acting_user=officer)
    first = issue()
    actions.start_ticket(
        ticket=actions.call_next_ticket(counter=counter, acting_user=officer), acting_user=officer
    )
    console.reload()
    finish = console.locator("form[action$='/finish/']")
    outcome, reason = finish.locator("select[name=outcome]"), finish.locator("input[name=reason]")
    expect(outcome).to_have_value("done")

    # "Ditolak" without a reason: refused, and the form still says "Ditolak".
    outcome.select_option("rejected")
    console.get_by_role("button", name="Selesai", exact=True).click()
    expect(console.locator("[data-message=error]")).to_have_text("Sebutkan alasannya.")
    expect(outcome).to_have_value("rejected")

    # The officer types the reason, looks away; a new number reloads the panel meanwhile.
    listening(console)
    reason.fill("KK belum diperbarui")
    console.locator("#panel h1").click()  # focus leaves the form: the panel may reload
    second = issue()
    expect(console.locator("[data-waiting]")).to_contain_text(second.display_number)
    expect(outcome).to_have_value("rejected")
    expect(reason).to_have_value("KK belum diperbarui")
    console.get_by_role("button", name="Selesai", exact=True).click()
    expect(console.locator("[data-current]")).to_have_count(0)
    first.refresh_from_db()
    assert (first.status, first.outcome, first.outcome_reason) == (
        Ticket.Status.DONE,
        Ticket.Outcome.REJECTED,
        "KK belum diperbarui",
    )

    # The citizen of the second number follows it on the phone; the officer transfers it.
    phone_context = browser.new_context(**playwright.devices["Pixel 5"], locale="id-ID")
    phone_context.add_init_script(COUNT_SOCKETS)
    phone = phone_context.new_page()
    phone.goto(f"{base}/antrean/{second.code}/")
    expect(phone.locator(".big-number")).to_have_text(second.display_number)
    expect(phone.locator("[data-transferred]")).to_be_hidden()
    listening(phone)

    console.get_by_role("button", name="Panggil berikutnya").click()
    expect(console.locator("[data-current]")).to_have_attribute(
        "data-current", second.display_number
    )
    console.get_by_role("button", name="Alihkan ke layanan lain").click()
    dialog = console.get_by_role("dialog")
    expect(dialog.locator(f"option[value='{akta.pk}']")).to_be_disabled()
    dialog.get_by_label("Cari layanan atau instansi").fill("nib")
    dialog.get_by_label("Layanan tujuan").select_option(str(nib.pk))
    dialog.get_by_role("button", name=f"Alihkan: {nib.name}").click()
    expect(console.locator("[data-message=success]")).to_contain_text(
        f"Nomor {second.display_number} dialihkan ke {nib.name}"
    )
    new = Ticket.objects.get(transferred_from=second)
    expect(console.locator("[data-message=success]")).to_contain_text(
        f"nomor barunya {new.display_number}"
    )

    expect(phone.locator(".big-number")).to_have_text(new.display_number)
    expect(phone.locator("[data-transferred]")).to_have_text(
        f"Nomor Anda sekarang {new.display_number} (sebelumnya {second.display_number}) "
        f"— dialihkan ke {nib.name}."
    )
    expect(phone.locator("[data-service]")).to_have_text(nib.name)
    for context in (officer_context, phone_context):
        context.close()
