"""BKPSDM adds a person who lives in Loa Kulu, posts them at Mini MPP Loa Kulu, and sees the
Mini MPP's and the regency's local share go from 0 % to 50 %; the roster's pages pass axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import BrowserContext, expect

from tests.browser.a11y import assert_accessible
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_bkpsdm_posts_a_local_person_and_sees_the_local_share_rise(
    desktop: BrowserContext, live_server, kukar, cast
):
    from mpp.rollout import roster
    from mpp.rollout.tests import roster_world as w

    w.clear_roster(kukar)
    bkpsdm = w.bkpsdm()
    loa_kulu = w.mini("mini-mpp-loa-kulu")
    commuter = w.member(village=w.tenggarong_village(), name="Pegawai Tenggarong")
    roster.assign(
        commuter,
        loa_kulu,
        position="Operator antrean",
        start_date=roster.today_in(kukar),
        actor=cast.regency_admin(),
    )

    page = sign_in(desktop, live_server.url, bkpsdm.username, "/persiapan/pegawai/")
    row = page.locator("tr[data-mall='mini-mpp-loa-kulu']")
    expect(row.locator("[data-local-percent]")).to_have_text("0%")
    assert_accessible(page)

    page.get_by_role("link", name="Tambah pegawai").click()
    page.get_by_label("Nama lengkap").fill("Rina Wulandari")
    page.get_by_label("Status kepegawaian").select_option("pppk")
    page.get_by_label("NIP").fill(w.PPPK_NIP)
    page.get_by_label("Desa/kelurahan domisili").select_option(label="Loa Kulu Kota — Loa Kulu")
    assert_accessible(page)
    page.get_by_role("button", name="Simpan").click()

    expect(page).to_have_url(re.compile(r"/persiapan/pegawai/\d+/$"))
    expect(page.locator("[data-masked-nip]")).to_have_text("••••••••••••••2002")
    page.locator("#id_mall").select_option(label="Mini MPP Loa Kulu")
    page.get_by_label("Jabatan/tugas").fill("Petugas loket depan")
    assert_accessible(page)
    page.get_by_role("button", name="Tugaskan", exact=True).click()
    expect(page.locator("ul.notice")).to_contain_text(
        "Rina Wulandari ditugaskan di Mini MPP Loa Kulu"
    )

    page.get_by_role("link", name="Pegawai Mini MPP").first.click()
    expect(row.locator("[data-local-percent]")).to_have_text("50%")
    regency = page.locator("tr[data-regency] [data-local-percent]")
    expect(regency).to_have_text("50%")

    row.get_by_role("link", name="Mini MPP Loa Kulu").click()
    expect(page.locator("[data-local-share]")).to_contain_text("1 dari 2 pegawai")
    staff = page.locator("table[data-roster-staff]")
    expect(staff).to_contain_text("Rina Wulandari")
    expect(staff).to_contain_text("••••••••••••••2002")
    assert w.PPPK_NIP not in page.content()
    assert_accessible(page)
