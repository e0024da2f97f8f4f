"""DPMPTSP marks a readiness item done with a PDF on a preparing Mini MPP's page, then asks
for "operating" and sees the go-live gate refuse, naming the items still open (issue 19).
The page's layout: the checklist is the overview, each item's forms folded below it; a
thirteen-item checklist stays short on a desktop and nothing scrolls sideways on a phone."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.a11y import assert_accessible
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

LONG_FILE = "berita-acara-serah-terima-lokasi-mini-mpp-kenohan-dari-camat-kepada-dpmptsp.pdf"
LONG_DECREE = "800.1.11/149/BKPSDM/KEPEGAWAIAN-DAN-PENGEMBANGAN-SUMBER-DAYA-MANUSIA/2026"


def test_dpmptsp_marks_an_item_done_with_a_pdf_and_the_gate_refuses(
    desktop: BrowserContext, live_server, kukar, cast
):
    from mpp.rollout.models import ReadinessItem
    from mpp.rollout.tests import readiness_world as w

    world = w.build(kukar)
    admin = cast.regency_admin()
    lokasi = world.items["lokasi"]
    page = sign_in(desktop, live_server.url, admin.username, f"/persiapan/kesiapan/{w.PREPARING}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kesiapan Mini MPP Kenohan")
    assert_accessible(page)

    # Every form is folded; the item's title in the table opens its own.
    details = page.locator('details[data-item-details="lokasi"]')
    form = page.locator('form[data-item-form="lokasi"]')
    expect(form).to_be_hidden()
    page.locator('tr[data-item="lokasi"]').get_by_role("link", name="Lokasi disepakati").click()
    expect(details).to_have_attribute("open", "")
    expect(form).to_be_visible()
    expect(page.locator('form[data-item-form="renovasi"]')).to_be_hidden()

    form.get_by_label("Status").select_option("done")
    form.get_by_label("Berkas bukti (PDF, JPEG, atau PNG)").set_input_files(
        {"name": "berita-acara.pdf", "mimeType": "application/pdf", "buffer": w.PDF_BYTES}
    )
    form.get_by_role("button", name="Simpan butir").click()
    saved = details.get_by_role("status")
    expect(saved).to_have_text("“Lokasi disepakati” disimpan.")
    expect(saved).to_be_in_viewport()
    row = page.locator('tr[data-item="lokasi"]')
    expect(row.locator("[data-status]")).to_have_text("Selesai")
    expect(row.get_by_role("link", name="berita-acara.pdf")).to_be_visible()
    assert ReadinessItem.objects.get(pk=lokasi.pk).done_by == admin

    status = page.locator("form[data-status-form]")
    status.get_by_label("Status baru").select_option("operating")
    status.get_by_role("button", name="Ubah status").click()
    refusal = page.get_by_role("alert")
    expect(refusal).to_contain_text("belum dapat beroperasi")
    expect(refusal).to_be_in_viewport()
    expect(refusal.locator("[data-open-item]")).to_have_count(3)  # renovasi, perbup, listrik
    expect(refusal).not_to_contain_text("Lokasi disepakati")
    expect(page.locator("[data-mall-status]")).to_have_text("Persiapan")
    assert_accessible(page)


def _thirteen_items(world, admin) -> None:  # type: ignore[no-untyped-def]
    """The test world's five items and eight more (as many as Kukar's checklist), one with a long
    file name and one with a long decree number."""
    from mpp.rollout import models as m
    from mpp.rollout.readiness import ensure_items, mark_item
    from mpp.rollout.tests import readiness_world as w

    for n in range(8):
        m.ChecklistTemplateItem.objects.create(
            region=world.region, code=f"tambahan-{n}", title=f"Butir tambahan ke-{n + 1}",
            owner=world.pu if n % 2 else world.dpmptsp, evidence=m.Evidence.DOCUMENT,
            description="Uraian butir tambahan: apa yang diserahkan dan kepada siapa.",
            mandatory=True, due_date=dt.date(2026, 12, 31), order=10 + n,
        )  # fmt: skip
    ensure_items(world.mall)
    done = m.ReadinessItem.Status.DONE
    mark_item(world.items["lokasi"], actor=admin, status=done, evidence_upload=w.pdf(LONG_FILE))
    mark_item(
        world.items["perbup"], actor=admin, status=done,
        decree_number=LONG_DECREE, decree_date=dt.date(2026, 11, 2),
    )  # fmt: skip


def _fits(page: Page) -> None:
    """Nothing wider than the window: not the page, not the checklist inside its column."""
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, innerWidth,"
        " document.querySelector('[data-readiness-items]').getBoundingClientRect().right,"
        " document.querySelector('main').getBoundingClientRect().right]"
    )
    scroll_width, inner_width, table_right, main_right = widths
    assert scroll_width <= inner_width, widths
    assert table_right <= main_right + 0.5, widths


def test_thirteen_items_stay_short_on_a_desktop_and_fit_a_360_px_phone(
    browser: Browser, desktop: BrowserContext, live_server, kukar, cast
):
    from mpp.rollout.tests import readiness_world as w

    world = w.build(kukar)
    admin = cast.regency_admin()
    _thirteen_items(world, admin)
    url = f"/persiapan/kesiapan/{w.PREPARING}/"

    page = sign_in(desktop, live_server.url, admin.username, url)
    expect(page.locator("details[data-item-details]")).to_have_count(13)
    expect(page.locator("details[data-item-details][open]")).to_have_count(0)
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 4000, height
    _fits(page)
    evidence = page.locator('tr[data-item="lokasi"] [data-evidence]')
    expect(evidence).to_have_text(LONG_FILE)
    expect(evidence).to_be_in_viewport()

    # A Dinas PU liaison on a 360 px phone without JavaScript: only Dinas PU's items have a
    # form; one opens with a tap on its summary, and a refusal comes back open at its item.
    pu = w.liaison(world.pu, "pu.ponsel")
    phone = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="id-ID", java_script_enabled=False
    )
    try:
        page = sign_in(phone, live_server.url, pu.username, url)
        _fits(page)
        expect(page.locator("details[data-item-details]")).to_have_count(5)  # renovasi + 4
        row = page.locator('tr[data-item="perbup"]')
        expect(row.get_by_role("link")).to_have_count(0)  # no form of theirs to lead to
        expect(row).to_contain_text(LONG_DECREE)
        extra = page.locator('details[data-item-details="tambahan-1"]')
        extra.get_by_text("Perbarui: Butir tambahan ke-2").click()
        form = extra.locator("form[data-item-form]")
        form.get_by_label("Status").select_option("done")
        form.get_by_role("button", name="Simpan butir").click()
        reopened = page.locator('details[data-item-details="tambahan-1"]')
        expect(reopened).to_have_attribute("open", "")
        expect(reopened.get_by_role("alert")).to_contain_text("dokumen PDF")
        expect(page.locator("details[data-item-details][open]")).to_have_count(1)
        _fits(page)
    finally:
        phone.close()

    # The same phone width with JavaScript, for axe.
    phone = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID")
    try:
        page = sign_in(phone, live_server.url, admin.username, url)
        _fits(page)
        assert_accessible(page)
    finally:
        phone.close()
