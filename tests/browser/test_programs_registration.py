"""A couple registers for the mass wedding on a 360 px phone (issue 20): the eligibility check
says what is wrong with a NIK as they type, in the live region under the bride's section; a
good couple is registered and lands on their own page with the code, the masked NIKs and the
document checklist. Nothing scrolls sideways; axe-core finds nothing."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import time_machine
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.a11y import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

WIDTH = 360


def shot(page: Page, name: str) -> None:
    folder = os.environ.get("MPP_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{folder}/{name}.png", full_page=True)


@pytest.fixture
def small_phone(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(
        viewport={"width": WIDTH, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="id-ID",
    )
    yield context
    context.close()


def test_a_couple_sees_a_bad_nik_as_they_type_then_registers(
    live_server, kukar, small_phone: BrowserContext
) -> None:
    from mpp.malls.models import Village
    from mpp.programs.models import Registration
    from mpp.programs.tests import world

    # Registration is open between 1 and 25 March 2026; the server thread reads this clock too.
    with time_machine.travel(world.REGISTRATION_TIME, tick=True):
        found = world.programme()
        village = Village.objects.filter(district__code="64.02.06").order_by("name").first()
        assert village is not None
        groom_birth, bride_birth = dt.date(1998, 5, 17), dt.date(2000, 8, 7)
        good_groom = world.nik(female=False, birth=groom_birth)

        page = small_phone.new_page()
        page.goto(f"{live_server.url}/program/{found.slug}/")
        expect(page.locator("[data-fee]")).to_contain_text("ditanggung Pemerintah Kabupaten")
        shot(page, "programs-programme-360")
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
        assert_accessible(page)
        page.get_by_role("link", name="Daftar sekarang").click()
        page.wait_for_url("**/daftar/")
        expect(page.locator("[data-deadline]")).to_have_text(
            "Pendaftaran paling lambat Rabu, 25 Maret 2026"
        )
        groom = page.locator('fieldset[data-section="groom"]')
        bride = page.locator('fieldset[data-section="bride"]')
        groom.get_by_label("Nama lengkap").fill("Ahmad Fauzi")
        groom.get_by_label("Tanggal lahir").fill(groom_birth.isoformat())
        groom.get_by_label("Alamat (jalan, RT)").fill("Jl. Mulawarman No. 5")
        groom.get_by_label("Desa/kelurahan domisili").select_option(str(village.pk))
        bride.get_by_label("Nama lengkap").fill("Siti Rahmawati")
        bride.get_by_label("Tanggal lahir").fill(bride_birth.isoformat())
        bride.get_by_label("Alamat (jalan, RT)").fill("Jl. Pesut No. 12")
        bride.get_by_label("Desa/kelurahan domisili").select_option(str(village.pk))
        bride.get_by_label("NIK").fill(world.nik(female=True, birth=bride_birth))
        # A groom's NIK with the serial 0000: said as soon as its 16 digits are typed.
        groom.get_by_label("NIK").fill(good_groom[:12] + "0000")
        result = page.locator("[data-eligibility-result]")
        expect(result).to_contain_text(
            "NIK calon suami: Empat angka terakhir NIK tidak boleh 0000."
        )
        expect(result).to_have_attribute("role", "status")
        shot(page, "programs-register-360-bad-nik")
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
        assert_accessible(page)

        groom.get_by_label("NIK").fill(good_groom)
        expect(result).to_contain_text("keduanya sesuai syarat")
        page.get_by_label("Nama wali").fill("H. Abdul Rahman")
        page.get_by_label("NIK wali").fill(world.nik(female=False, birth=dt.date(1968, 2, 3)))
        page.get_by_label("Hubungan dengan calon istri").select_option("Ayah kandung")
        page.get_by_label("Nama saksi 1").fill("Budi Santoso")
        page.get_by_label("Nama saksi 2").fill("Rudi Hartono")
        page.get_by_label("Nomor HP (WhatsApp)").fill("0812 3456 7890")
        page.get_by_role("button", name="Kirim pendaftaran").click()

        page.wait_for_url("**/program/pendaftaran/**")
        registration = Registration.objects.get()
        expect(page.locator("[data-code]")).to_have_text(registration.code)
        expect(page.locator("[data-status]")).to_have_text("Menunggu pemeriksaan KUA")
        expect(page.locator("[data-nik]").first).to_have_text(
            good_groom[:4] + "••••••••" + good_groom[-4:]
        )
        expect(page.locator("[data-documents] > li").first).to_be_visible()
        shot(page, "programs-registration-360")
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
        assert_accessible(page)
