"""Leadership opens the Mini MPP rollout board from its start page: twenty kecamatan, the
regency's totals, the late items named by agency, the schematic (said to be no map), each
block with its cut-off; a liaison lands on its own agency's list. axe: 0 violations."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import BrowserContext, expect

from tests.browser.a11y import assert_accessible
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def rollout(kukar):  # type: ignore[no-untyped-def]
    """Some progress: Loa Kulu half done with Dinas PU late; Tenggarong done and staffed."""
    from mpp.rollout.tests import board_world as w

    w.clear(kukar)
    w.plan(kukar, dt.date.today() + dt.timedelta(days=30))
    malls = {m.slug: m for m in w.mini_mpps(kukar)}
    loakulu, tenggarong = malls["mini-mpp-loa-kulu"], malls["mini-mpp-tenggarong"]
    pu = w.agency(kukar, "dinas-pu", "Dinas PU")
    camat = w.agency(kukar, "camat", "Camat", kind="camat")
    long_ago = dt.date.today() - dt.timedelta(days=20)
    desain = w.template(kukar, "desain", pu, due=long_ago, title="Desain ruang")
    lokasi = w.template(kukar, "lokasi", camat, due=long_ago, title="Lokasi disepakati")
    w.item(loakulu, desain)
    w.item(loakulu, lokasi, status="done")
    w.item(tenggarong, desain, status="done")
    w.item(tenggarong, lokasi, status="done")
    staff = w.member(kukar, w.village_in(tenggarong.district))
    w.assign(staff, tenggarong, start=long_ago)
    return {"pu": pu}


def test_leadership_reads_the_rollout_board(asgi_server, kukar, rollout, desktop: BrowserContext):
    from mpp.accounts.tests.factories import Cast

    Cast().leadership()
    page = sign_in(desktop, asgi_server, "pimpinan", "/petugas/mulai/")
    page.get_by_role("link", name="Persiapan Mini MPP per kecamatan").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Persiapan Mini MPP per kecamatan")
    expect(page.locator("[data-rollout-rows] tbody tr")).to_have_count(20)
    expect(page.locator("[data-tiles] li")).to_have_count(20)
    expect(page.get_by_role("heading", name=re.compile("skematik, bukan peta"))).to_be_visible()
    expect(page.locator(".as-of").first).to_contain_text(re.compile(r"^Data per \d+ \w+ \d{4}"))
    assert page.locator(".as-of").count() >= 4  # the page and each figure block

    loakulu = page.locator('tr[data-mall="mini-mpp-loa-kulu"]')
    expect(loakulu).to_contain_text("50%")
    expect(loakulu).to_contain_text("1 butir lewat tenggat")
    expect(loakulu.get_by_role("link", name="Dinas PU")).to_be_visible()
    expect(page.locator('tr[data-mall="mini-mpp-tenggarong"]')).to_contain_text("100% (1/1)")
    expect(page.locator("[data-totals]")).to_contain_text("3 dari 4 butir selesai")
    expect(page.get_by_role("link", name="Unduh laporan mingguan (PDF)")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"]
    assert_accessible(page)

    # The weekly PDF: its background job (run at once here, core/jobs.py) offers the file.
    page.get_by_role("link", name="Unduh laporan mingguan (PDF)").click()
    expect(page.get_by_role("heading", level=2)).to_contain_text("Laporan mingguan persiapan")
    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh hasil").click()
    assert re.fullmatch(
        r"persiapan-mini-mpp-kukar-\d{4}-\d\d-\d\d\.pdf", download.value.suggested_filename
    )
    page.go_back()

    loakulu = page.locator('tr[data-mall="mini-mpp-loa-kulu"]')
    loakulu.get_by_role("link", name="Dinas PU").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Butir terbuka Dinas PU")
    expect(page.locator("[data-items] tbody tr")).to_have_count(1)
    expect(page.locator("[data-items]")).to_contain_text("lewat 20 hari")
    assert_accessible(page)


def test_a_liaison_lands_on_its_own_list_from_the_board(
    asgi_server, kukar, rollout, android: BrowserContext
):
    from mpp.accounts.models import Role
    from mpp.accounts.tests.factories import make_staff
    from mpp.rollout.models import AgencyMember

    user = make_staff(Role.AGENCY_LIAISON, username="pu.uji")
    AgencyMember.objects.create(user=user, agency=rollout["pu"])
    page = sign_in(android, asgi_server, "pu.uji", "/persiapan/")
    expect(page.locator("[data-rollout-rows] tbody tr")).to_have_count(20)
    # On a phone the table scrolls inside its box; the page itself does not widen.
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Butir terbuka Dinas PU")).first.tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Butir terbuka Dinas PU")
    expect(page.locator("[data-summary]")).to_contain_text("1 butir terbuka, 1 lewat tenggat")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"]
    assert_accessible(page)
