"""The officer's console, the supervisor's page and the daily report at 1920×1080, as an
officer works them with a keyboard: shortcuts, confirmations, focus kept over live reloads, the
transfer dialog; axe finds nothing in any state; the report prints on A4 landscape.

MPP_SCREENSHOTS=<dir> keeps each state's picture (and the printed report's PDF) for a look."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.a11y import assert_accessible
from tests.browser.conftest import sign_in
from tests.browser.test_console import COUNT_SOCKETS, listening

pytestmark = pytest.mark.django_db(transaction=True)
FULL_HD = {"width": 1920, "height": 1080}


def shot(page: Page, name: str) -> None:
    folder = os.environ.get("MPP_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{folder}/{name}.png", full_page=True)


@pytest.fixture
def screen(browser: Browser) -> BrowserContext:
    context = browser.new_context(viewport=FULL_HD, locale="id-ID")
    context.add_init_script(COUNT_SOCKETS)
    yield context
    context.close()


@pytest.fixture
def morning(kukar, settings):  # type: ignore[no-untyped-def]
    """MPP Kukar's Disdukcapil with its officer; numbers are taken by the test."""
    from mpp.accounts.tests.factories import Cast
    from mpp.catalog.models import Service
    from mpp.malls.models import Mall
    from mpp.queueing import actions
    from mpp.queueing.models import Counter

    settings.MPP_DEMO_ALWAYS_OPEN = True  # the real clock runs in the server thread
    cast = Cast()
    mall = Mall.objects.get(slug="mpp-kukar")
    akta = Service.objects.get(slug="akta-kelahiran")

    class Morning:
        officer = cast.officer_dukcapil()
        supervisor = cast.supervisor_mpp()
        counter = Counter.objects.filter(mall=mall, tenant__slug="disdukcapil").order_by("number")[
            0
        ]

        @staticmethod
        def issue():  # type: ignore[no-untyped-def]
            return actions.issue_ticket(mall=mall, service=akta, channel="kiosk").ticket

    return Morning


def test_the_officer_works_the_console_with_the_keyboard(
    asgi_server, morning, screen: BrowserContext
):  # type: ignore[no-untyped-def]
    from mpp.queueing import actions
    from mpp.queueing.models import Ticket

    # Steps taken in the test's thread reach the screens through the server's event loop,
    # which exists once the server has answered a request: sign in first.
    page = sign_in(screen, asgi_server, "petugas.dukcapil", f"/konsol/loket/{morning.counter.pk}/")
    actions.set_counter_status(counter=morning.counter, status="open", acting_user=morning.officer)
    first, second = morning.issue(), morning.issue()
    page.reload()
    call_next = page.get_by_role("button", name="Panggil berikutnya")
    expect(call_next).to_contain_text("N")
    expect(call_next).to_be_focused()  # the next step of the round has the focus
    assert_accessible(page)
    shot(page, "console-idle")

    # The console uses the screen's width: the waiting list stands beside the counter.
    grid = page.locator(".console-grid").bounding_box()
    assert grid is not None and grid["width"] > 1500

    # "n" typed in a reason field is a letter, not a call.
    page.locator(f"#reason-{second.pk}").fill("n")
    page.locator(f"#reason-{second.pk}").press("n")
    expect(page.locator("[data-current]")).to_have_count(0)
    page.locator(f"#reason-{second.pk}").fill("")

    # N calls the next number; the call is announced, "Mulai" has the focus.
    page.locator("#h-counter").click()
    page.keyboard.press("n")
    expect(page.locator("[data-current]")).to_have_attribute("data-current", first.display_number)
    expect(page.locator("#announce")).to_contain_text(first.display_number)
    expect(page.get_by_role("button", name="Mulai")).to_be_focused()
    assert_accessible(page)
    shot(page, "console-calling")

    # A queue event reloads the panel: the focus stays on "Mulai", not back at the top.
    listening(page)
    third = morning.issue()
    expect(page.locator("[data-waiting]")).to_contain_text(third.display_number)
    expect(page.get_by_role("button", name="Mulai")).to_be_focused()

    # U recalls; "Tidak hadir" is a danger step and asks first; "Batal" leaves it as it was.
    page.locator("#h-counter").click()
    page.keyboard.press("u")
    expect(page.locator("#announce")).to_contain_text("dipanggil ulang")
    page.get_by_role("button", name="Tidak hadir").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text(f"{first.display_number} tidak hadir?")
    expect(dialog.get_by_role("button", name="Batal")).to_be_focused()
    assert_accessible(page)
    dialog.get_by_role("button", name="Batal").click()
    first.refresh_from_db()
    assert first.status == Ticket.Status.CALLED and first.recall_count == 1

    # M starts the service: the timer runs, "Selesai" has the focus.
    page.locator("#h-counter").click()
    page.keyboard.press("m")
    expect(page.locator(".current")).to_contain_text("Lama layanan")
    expect(page.get_by_role("button", name="Selesai", exact=True)).to_be_focused()
    assert_accessible(page)
    shot(page, "console-serving")

    # The transfer: a dialog, nothing chosen; the search narrows 100+ services to one.
    page.get_by_role("button", name="Alihkan ke layanan lain").click()
    transfer = page.get_by_role("dialog")
    select = transfer.get_by_label("Layanan tujuan")
    expect(select).to_have_value("")
    expect(transfer.get_by_label("Cari layanan atau instansi")).to_be_focused()
    assert_accessible(page)
    shot(page, "console-transfer")
    transfer.get_by_label("Cari layanan atau instansi").fill("skck baru")
    visible = select.locator("option:not([hidden])")
    expect(visible).to_have_count(1)
    # Submitting with nothing chosen is refused by the browser and by the server.
    transfer.get_by_role("button", name="Alihkan", exact=True).click()
    first.refresh_from_db()
    assert first.status == Ticket.Status.SERVING
    select.select_option(visible.get_attribute("value"))
    transfer.get_by_role("button", name="Alihkan:").click()
    expect(page.locator("[data-message=success]")).to_contain_text(
        "(SKCK) Baru (Polres Kukar); nomor barunya"
    )
    first.refresh_from_db()
    assert first.status == Ticket.Status.TRANSFERRED


def test_the_supervisor_page_flags_a_queue_and_keeps_a_half_made_choice(
    asgi_server, morning, screen: BrowserContext
):  # type: ignore[no-untyped-def]
    from mpp.queueing.models import Counter

    page = sign_in(screen, asgi_server, "pengawas.mpp", "/pengawas/mpp-kukar/")
    for _ in range(8):
        morning.issue()
    page.reload()
    expect(page.locator("#alerts")).to_contain_text("Tidak ada loket buka")
    row = page.locator("tr[data-level=alarm]").first
    expect(row).to_contain_text("Tidak ada loket buka")
    assert page.locator("meta[http-equiv=refresh]").count() == 0
    assert_accessible(page)
    shot(page, "supervisor-alarm")

    # Half a choice: a tenant picked for counter 1, focus on the select; a new number arrives.
    listening(page)
    choice = page.locator(f"#tenant-{morning.counter.pk}")
    choice.select_option(label="Imigrasi Samarinda")
    choice.focus()
    morning.issue()
    page.locator(f"#tenant-{morning.counter.pk}").press("Tab")  # the reload waits for this
    expect(page.locator("[data-total-waiting]")).to_have_text("9")
    expect(page.locator(f"#tenant-{morning.counter.pk} option:checked")).to_have_text(
        "Imigrasi Samarinda"
    )
    # The focus stayed where the Tab put it, on this counter's button, not back at the top.
    expect(
        page.get_by_role("button", name=f"Pindahkan loket {morning.counter.number}", exact=True)
    ).to_be_focused()

    # Moving the counter asks first, and says where it went.
    page.get_by_role("button", name=f"Pindahkan loket {morning.counter.number}", exact=True).click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("akan ditutup dan dipindahkan ke Imigrasi Samarinda")
    assert_accessible(page)
    dialog.get_by_role("button", name="Ya, tutup dan pindahkan").click()
    expect(page.locator("[data-message=success]")).to_contain_text(
        f"Loket {morning.counter.number} ditutup dan dipindahkan ke Imigrasi Samarinda"
    )
    assert Counter.objects.get(pk=morning.counter.pk).tenant.slug == "imigrasi-samarinda"

    # A queue that newly needs action is announced once; Polres has no counter open.
    from mpp.catalog.models import Service
    from mpp.queueing import actions

    listening(page)
    actions.issue_ticket(
        mall=morning.counter.mall, service=Service.objects.get(slug="skck-baru"), channel="kiosk"
    )
    expect(page.locator("#alert-news")).to_contain_text("Polres Kukar: Tidak ada loket buka")
    expect(page.locator("#alert-news")).not_to_contain_text("Disdukcapil")


def test_the_daily_report_fits_the_screen_and_prints_on_a4_landscape(
    asgi_server, morning, screen: BrowserContext, tmp_path
):  # type: ignore[no-untyped-def]
    from mpp.queueing import actions

    page = sign_in(screen, asgi_server, "pengawas.mpp", "/pengawas/mpp-kukar/laporan/")
    counter = actions.set_counter_status(
        counter=morning.counter, status="open", acting_user=morning.officer
    )
    morning.issue(), morning.issue()
    actions.call_next_ticket(counter=counter, acting_user=morning.officer)
    page.reload()
    expect(page.locator("table.report")).to_contain_text("Penerbitan Akta Kelahiran")
    # Every column is in view: the table does not scroll inside its box.
    assert page.evaluate(
        "() => { const b = document.querySelector('.table-scroll');"
        " return b.scrollWidth <= b.clientWidth; }"
    )
    assert_accessible(page)
    shot(page, "report")

    page.emulate_media(media="print")
    expect(page.locator(".report-head")).to_be_visible()
    expect(page.locator(".report-head")).to_contain_text("Mal Pelayanan Publik")
    expect(page.locator("form.report-day")).to_be_hidden()
    pdf = page.pdf(prefer_css_page_size=True)
    folder = os.environ.get("MPP_SCREENSHOTS")
    (Path(folder) if folder else tmp_path).joinpath("report.pdf").write_bytes(pdf)
    # A4 landscape: the first page's MediaBox is 842 × 595 points.
    assert b"/MediaBox [0 0 841.91998 594.95996]" in pdf or b"/MediaBox [0 0 842 595]" in pdf


def test_a_local_operator_opens_the_mini_mpp_front_desk(asgi_server, kukar, screen: BrowserContext):  # type: ignore[no-untyped-def]
    """The Disdukcapil officer assigned to Mini MPP Loa Kulu finds its front desk among their
    counters and opens it (it was a 403 before; docs/adr/0029)."""
    from mpp.accounts.tests.factories import Cast
    from mpp.queueing.models import Counter

    Cast().officer_dukcapil()
    desk = Counter.objects.filter(mall__slug="mini-mpp-loa-kulu").order_by("number")[0]
    page = sign_in(screen, asgi_server, "petugas.dukcapil", "/konsol/")
    page.get_by_role("link", name=f"Mini MPP Loa Kulu · Loket {desk.number}").click()
    expect(page.locator("#h-counter")).to_contain_text("loket depan")
    page.get_by_role("button", name="Buka").click()
    expect(page.get_by_role("button", name="Panggil berikutnya")).to_be_focused()
    assert Counter.objects.get(pk=desk.pk).status == Counter.Status.OPEN
    assert_accessible(page)
