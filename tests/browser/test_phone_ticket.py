"""The citizen's phone page on a Pixel 5 (issue 18, items 1, 3, 22, 24, 26): it asks once for the
tap that lets it ring and vibrate, keeps the screen awake while the number waits, says what the
browser refuses, announces the call to a screen reader, and after the service gives next steps
instead of promising a ring. axe-core finds nothing in any state."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import BrowserContext, expect

from tests.browser.a11y import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

# The browser's own sound, vibration and wake lock, observed (not replaced): each vibrate() call
# and each wake lock taken or released is recorded on window.seen.
OBSERVE = """
(() => {
  window.seen = { vibrations: [], locks: 0, released: 0 };
  const vibrate = navigator.vibrate && navigator.vibrate.bind(navigator);
  if (vibrate) navigator.vibrate = (p) => { window.seen.vibrations.push(p); return vibrate(p); };
  if (navigator.wakeLock) {
    const request = navigator.wakeLock.request.bind(navigator.wakeLock);
    navigator.wakeLock.request = async (type) => {
      const lock = await request(type);
      window.seen.locks += 1;
      lock.addEventListener("release", () => { window.seen.released += 1; });
      return lock;
    };
  }
})();
"""

# A browser that refuses: no vibration API (as on an iPhone) and a wake lock it will not give.
REFUSING = """
(() => {
  delete Navigator.prototype.vibrate;
  Object.defineProperty(navigator, "wakeLock", { value: { request: () =>
    Promise.reject(new DOMException("battery saver", "NotAllowedError")) } });
})();
"""


class Morning:
    """An officer of Disdukcapil at the first counter of MPP Kukar. Steps taken in the test's
    thread reach the screens through the server's event loop, which exists once the server has
    answered a request (core.events.ServerLoop): each step here comes after a page load."""

    def __init__(self) -> None:
        from mpp.accounts.tests.factories import Cast
        from mpp.catalog.models import Service
        from mpp.malls.models import Mall
        from mpp.queueing import actions
        from mpp.queueing.models import Counter

        self.actions = actions
        self.officer = Cast().officer_dukcapil()
        self.mall = Mall.objects.get(slug="mpp-kukar")
        self.service = Service.objects.get(slug="akta-kelahiran")
        self.counter = Counter.objects.filter(mall=self.mall, tenant__slug="disdukcapil").order_by(
            "number"
        )[0]

    def issue(self):  # type: ignore[no-untyped-def]
        return self.actions.issue_ticket(
            mall=self.mall, service=self.service, channel="online"
        ).ticket

    def open_counter(self) -> None:
        self.counter = self.actions.set_counter_status(
            counter=self.counter, status="open", acting_user=self.officer
        )

    def call(self):  # type: ignore[no-untyped-def]
        self.open_counter()
        return self.actions.call_next_ticket(counter=self.counter, acting_user=self.officer)


@pytest.fixture
def morning(kukar, settings) -> Morning:  # type: ignore[no-untyped-def]
    settings.MPP_DEMO_ALWAYS_OPEN = True  # the real clock runs in the server thread
    return Morning()


def open_ticket(android: BrowserContext, base: str, morning: Morning):  # type: ignore[no-untyped-def]
    """A number taken on the phone and its page, once the page follows it live."""
    page = android.new_page()
    page.goto(f"{base}/mal/mpp-kukar/")
    ticket = morning.issue()
    page.goto(f"{base}/antrean/{ticket.code}/")
    # Listening: the socket's first open loads the snapshot from the API.
    page.wait_for_function(
        "() => performance.getEntriesByType('resource')"
        ".some((e) => e.name.includes('/api/v1/tickets/'))"
    )
    return page, ticket


def test_the_phone_asks_once_for_sound_keeps_awake_and_announces_the_call(
    asgi_server, morning, android: BrowserContext
) -> None:
    android.add_init_script(OBSERVE)
    page, ticket = open_ticket(android, asgi_server, morning)

    # The number is the page's heading; nothing is promised yet that the browser has not allowed.
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Nomor antrean {ticket.display_number}"
    )
    assert page.locator("p[aria-label]").count() == 0
    enable = page.get_by_role("button", name="Aktifkan suara & getar")
    expect(enable).to_be_visible()
    tips = page.locator(".tips")
    expect(tips).to_contain_text("Bila suara & getar sudah Anda aktifkan")
    assert enable.bounding_box()["height"] >= 44
    assert_accessible(page)

    enable.click()
    note = page.locator("[data-alert-note]")
    expect(note).to_contain_text("Suara dan getar aktif")
    expect(enable).to_be_hidden()
    assert page.evaluate("window.seen.vibrations") == [120]  # a short buzz: this is how it feels
    # Screen Wake Lock: taken while the number waits, and the page says which way it went.
    # (Headless Chromium grants it on a page of 127.0.0.1, a secure context.)
    assert page.evaluate("window.seen.locks") == 1
    expect(note).to_contain_text("Layar tetap menyala")
    assert page.evaluate("localStorage.getItem('mpp.ticket.alerts')") == "1"

    # Remembered on the device: a reload does not ask with a new prompt; the first touch re-arms.
    page.reload()
    page.locator(".ticket-heading").tap()
    expect(note).to_contain_text("Suara dan getar aktif")

    called = morning.call()
    assert called.pk == ticket.pk
    expect(page.locator("[data-turn]")).to_contain_text(f"loket {morning.counter.number}")
    expect(page.locator("[data-announce]")).to_have_attribute("aria-live", "assertive")
    expect(page.locator("[data-announce]")).to_have_text(
        f"Nomor {ticket.display_number} dipanggil. Silakan ke loket {morning.counter.number}."
    )
    expect(page.locator("[data-state]")).to_have_text(
        f"Status nomor {ticket.display_number}: Dipanggil."
    )
    assert [300, 150, 300, 150, 300] in page.evaluate("window.seen.vibrations")
    assert_accessible(page)

    # Served and done: no more promise of a ring, the next steps instead; the screen may sleep.
    actions = morning.actions
    actions.start_ticket(ticket=called, acting_user=morning.officer)
    actions.finish_ticket(ticket=called, outcome="done", acting_user=morning.officer)
    expect(page.locator("[data-state]")).to_have_text(
        f"Status nomor {ticket.display_number}: Selesai."
    )
    expect(tips.locator("div[data-tips~=done]")).to_be_visible()
    expect(tips.locator("div[data-tips~=waiting]")).to_be_hidden()
    assert "berbunyi" not in tips.inner_text()
    assert "Layanan Anda sudah selesai" in tips.inner_text()
    expect(page.get_by_role("link", name="Nilai pelayanan kami (survei kepuasan)")).to_be_visible()
    expect(page.get_by_role("link", name="Ambil nomor baru di MPP Kukar")).to_be_visible()
    expect(enable).to_be_hidden()
    expect(page.locator("[data-alert]")).to_be_hidden()
    page.wait_for_function(
        "() => window.seen.locks >= 1 && window.seen.released === window.seen.locks"
    )
    assert_accessible(page)


def test_a_browser_that_refuses_is_named_and_a_no_show_gets_next_steps(
    asgi_server, morning, android: BrowserContext
) -> None:
    android.add_init_script(REFUSING)
    page, ticket = open_ticket(android, asgi_server, morning)
    page.get_by_role("button", name="Aktifkan suara & getar").click()
    note = page.locator("[data-alert-note]")
    expect(note).to_contain_text("Browser ini tidak mengizinkan getar")
    expect(note).to_contain_text("Browser tidak dapat menjaga layar tetap menyala")

    called = morning.call()
    expect(page.locator("[data-turn]")).to_be_visible()
    # Called again (the status stays "called"): said again, louder than a state change.
    morning.actions.recall_ticket(ticket=called, acting_user=morning.officer)
    expect(page.locator("[data-announce]")).to_have_text(
        f"Nomor {ticket.display_number} dipanggil lagi. Silakan segera ke loket "
        f"{morning.counter.number}."
    )
    morning.actions.recall_ticket(ticket=called, acting_user=morning.officer)
    morning.actions.mark_no_show(ticket=called, acting_user=morning.officer)
    tips = page.locator(".tips")
    expect(tips.locator("div[data-tips~=no_show]")).to_be_visible()
    expect(tips.locator("div[data-tips~=waiting]")).to_be_hidden()
    assert "Nomor ini dilewati karena Anda tidak hadir" in tips.inner_text()
    assert "berbunyi" not in tips.inner_text()
    new_number = page.get_by_role("link", name="Ambil nomor baru di MPP Kukar")
    expect(new_number).to_be_visible()
    assert new_number.bounding_box()["height"] >= 44
    assert_accessible(page)


def test_a_citizen_sees_when_and_gives_up_a_number_after_a_confirmation(
    asgi_server, morning, android: BrowserContext
) -> None:
    page, ticket = open_ticket(android, asgi_server, morning)
    waiting = page.locator("[data-waiting]")
    expect(waiting).to_contain_text("0 orang di depan Anda")
    expect(page.locator("[data-estimate]")).to_be_hidden()  # no counter staffed: no guess
    morning.open_counter()
    page.reload()
    expect(page.locator("[data-estimate]")).to_have_text(
        re.compile(r"Perkiraan dipanggil sekitar \d\d\.\d\d–\d\d\.\d\d")
    )

    summary = page.locator("summary", has_text="Batalkan nomor")
    assert summary.bounding_box()["height"] >= 44
    summary.click()
    confirm = page.get_by_role("button", name="Ya, batalkan nomor ini")
    expect(confirm).to_be_visible()
    expect(page.locator("[data-cancel]")).to_contain_text("tidak dapat dipakai lagi")
    assert_accessible(page)
    confirm.click()

    expect(page.locator("[data-state]")).to_have_text(
        f"Status nomor {ticket.display_number}: Dibatalkan."
    )
    expect(page.locator("div[data-tips~=cancelled]")).to_be_visible()
    expect(page.get_by_role("link", name="Ambil nomor baru di MPP Kukar")).to_be_visible()
    expect(page.locator("[data-cancel]")).to_have_count(0)
    expect(page.locator("[data-alert]")).to_be_hidden()
    assert "berbunyi" not in page.locator(".tips").inner_text()
    assert_accessible(page)


def test_the_ticket_page_has_no_timed_refresh_without_scripts(
    asgi_server, morning, android_no_js: BrowserContext
) -> None:
    page = android_no_js.new_page()
    page.goto(f"{asgi_server}/mal/mpp-kukar/")
    ticket = morning.issue()
    page.goto(f"{asgi_server}/antrean/{ticket.code}/")
    assert page.locator("meta[http-equiv=refresh]").count() == 0
    refresh = page.get_by_role("link", name="Perbarui halaman")
    expect(refresh).to_be_visible()
    assert refresh.bounding_box()["height"] >= 44
