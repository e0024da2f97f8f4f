"""A citizen on an Android phone finds a service and reads what to bring."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import BrowserContext, expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_citizen_searches_a_service_and_reads_its_requirements(
    android: BrowserContext, live_server, kukar
):
    from mpp.catalog.models import Service

    service = Service.objects.get(slug="akta-kelahiran")
    page = android.new_page()
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", name="Urusan apa hari ini?")).to_be_visible()

    page.get_by_label("Cari layanan").fill("akta lahir")
    page.get_by_role("button", name="Cari", exact=True).tap()
    page.get_by_role("link", name="Penerbitan Akta Kelahiran").first.tap()

    expect(page).to_have_url(re.compile(rf"/layanan/{service.pk}/"))
    expect(page.get_by_role("heading", name="1. Persyaratan")).to_be_visible()
    items = page.locator("ul.checklist li")
    expect(items).to_have_count(len(service.requirements))
    expect(items.first).to_have_text(service.requirements[0])
    # The page fits the phone: nothing wider than the screen.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"]

    page.get_by_role("link", name="Cetak daftar persyaratan").tap()
    expect(page.locator(".boxes li")).to_have_count(len(service.requirements))


def test_search_results_update_while_typing(android: BrowserContext, live_server, kukar):
    page = android.new_page()
    page.goto(live_server.url + "/layanan/")
    page.get_by_label("Cari layanan").press_sequentially("paspor", delay=30)
    expect(page.locator("ol.results li").first).to_contain_text("Paspor")
    expect(page).to_have_url(re.compile(r"q=paspor"))
    # Only the count is read out (a status region), not the whole list after each pause.
    expect(page.get_by_role("status")).to_have_text(re.compile(r"^\d+ layanan ditemukan$"))
    assert page.locator("#hasil[aria-live]").count() == 0
    # The whole row is the link's touch target, at least 44 px tall (the text alone was 24 px).
    row = page.locator("ol.results li").first.bounding_box()
    assert row is not None and row["height"] >= 44
    corner = "([x, y]) => document.elementFromPoint(x, y).closest('a')?.textContent"
    name = page.locator("ol.results a").first.inner_text()
    assert (
        page.evaluate(corner, [row["x"] + row["width"] - 4, row["y"] + row["height"] - 4]) == name
    )
    # Typing replaced the address instead of adding one entry per keystroke: from the service
    # page, Back comes to the typed search, and one more Back leaves the search page.
    assert page.evaluate("history.length") == 2
    page.locator("ol.results a").first.tap()
    expect(page.get_by_role("heading", name="1. Persyaratan")).to_be_visible()
    page.go_back()
    expect(page.get_by_label("Cari layanan")).to_have_value("paspor")
    expect(page.locator("ol.results li").first).to_contain_text("Paspor")


def test_the_catalogue_works_without_javascript(android_no_js: BrowserContext, live_server, kukar):
    page = android_no_js.new_page()
    page.goto(live_server.url + "/")
    page.get_by_label("Cari layanan").fill("skck")
    page.get_by_role("button", name="Cari", exact=True).click()
    expect(page.locator("ol.results li").first).to_contain_text("SKCK")
    page.locator("ol.results a").first.click()
    expect(page.get_by_role("heading", name="1. Persyaratan")).to_be_visible()


def test_a_citizen_chooses_a_mini_mpp_and_sees_if_it_is_open(
    android: BrowserContext, live_server, kukar
):
    page = android.new_page()
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Mini MPP Loa Kulu").tap()
    expect(page.get_by_role("heading", name="Mini MPP Kecamatan Loa Kulu")).to_be_visible()
    expect(page.get_by_role("heading", name="Alamat dan jam layanan")).to_be_visible()
    expect(page.get_by_role("heading", name="Instansi yang melayani")).to_be_visible()


def test_the_english_switch_translates_the_interface(android: BrowserContext, live_server, kukar):
    page = android.new_page()
    page.goto(live_server.url + "/")
    page.get_by_label("Bahasa").select_option("en")
    page.get_by_role("button", name="Ganti").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Mini MPPs in the districts")).to_be_visible()
