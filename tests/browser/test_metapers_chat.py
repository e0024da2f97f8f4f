""" "Tanya petugas" in two browsers: a visitor on an Android phone asks a question, an officer
sees it arrive in the inbox, answers, and the answer appears on the phone — all live."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, BrowserContext, expect

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_visitor_asks_and_an_officer_answers_live(
    asgi_server, kukar, browser: Browser, android: BrowserContext
):
    from mpp.accounts.tests.factories import Cast

    base = asgi_server
    Cast().officer_dukcapil()

    officer_context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    inbox = sign_in(officer_context, base, "petugas.dukcapil", "/metapers/petugas/obrolan/")
    root = inbox.locator("#kotak-obrolan")
    expect(root).to_have_attribute("data-live", "1")  # connected: the officer counts as online
    expect(root.locator("[data-count]")).to_have_attribute("data-count", "0")

    phone = android.new_page()
    phone.goto(f"{base}/metapers/mpp-kukar/instansi/disdukcapil/tanya/")
    expect(phone.get_by_role("note")).to_contain_text("Jangan kirim NIK atau nomor telepon")
    phone.get_by_label("Pertanyaan Anda").fill("Syarat akta kelahiran? HP saya 081234567890")
    phone.get_by_role("button", name="Kirim").click()
    log = phone.locator("[data-messages]")
    expect(log).to_contain_text("Syarat akta kelahiran? HP saya 0••••••••890")
    expect(log).not_to_contain_text("081234567890")

    expect(root.locator("[data-count]")).to_have_attribute("data-count", "1")
    expect(inbox).to_have_title(re.compile(r"^\(1\) "))  # the new-conversation badge
    root.get_by_role("link", name=re.compile("Disdukcapil Kukar")).click()
    expect(inbox.locator("[data-messages]")).to_contain_text("Syarat akta kelahiran?")
    inbox.get_by_label("Balasan").fill("Bawa <KK> asli dan surat keterangan lahir.")
    inbox.get_by_role("button", name="Kirim balasan").click()

    expect(log).to_contain_text("Bawa <KK> asli dan surat keterangan lahir.")  # as text
    expect(log.locator("li.msg-officer")).to_have_count(1)
    expect(phone.locator("[data-status]")).to_have_text("dilayani")
    officer_context.close()
