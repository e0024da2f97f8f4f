"""A citizen on an Android phone files a complaint from a service page, sees the tracking code,
and later reads the staff's reply on the complaint's page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import BrowserContext, expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_citizen_files_a_complaint_from_a_service_page_and_reads_the_reply(
    android: BrowserContext, live_server, kukar
):
    from mpp.catalog.models import Service, Tenant
    from mpp.complaints import actions
    from mpp.complaints.models import Complaint

    service = Service.objects.get(slug="akta-kelahiran")
    page = android.new_page()
    page.goto(f"{live_server.url}{service.get_absolute_url()}?mall=mpp-kukar")
    page.get_by_role("link", name="Sampaikan pengaduan tentang layanan ini").tap()

    expect(page.get_by_role("heading", name="Sampaikan pengaduan")).to_be_visible()
    expect(page.locator("[data-about]")).to_contain_text(service.name)
    expect(page.get_by_role("link", name="www.lapor.go.id").first).to_be_visible()
    page.get_by_label("Apa yang terjadi?").fill("Antrean akta lama, <b>tiga jam</b>.")
    page.get_by_role("button", name="Kirim pengaduan").tap()

    expect(page.get_by_role("heading", name="Pengaduan Anda diterima")).to_be_visible()
    complaint = Complaint.objects.get()
    expect(page.locator("[data-code]")).to_have_text(complaint.grouped_code)
    expect(page.locator("[data-verify-by]")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    assert complaint.service == service and complaint.mall.slug == "mpp-kukar"

    # The mall verifies it and Disdukcapil answers.
    complaint = actions.verify_complaint(
        complaint=complaint, tenant=Tenant.objects.get(slug="disdukcapil"), acting_user=None
    )
    actions.reply_to_complaint(
        complaint=complaint, text="Loket ditambah mulai besok.", is_internal=False, acting_user=None
    )
    page.get_by_role("link", name="Buka halaman pengaduan").tap()
    expect(page).to_have_url(re.compile(rf"/pengaduan/{complaint.code}/"))
    expect(page.locator("[data-status]")).to_have_text("Dijawab")
    expect(page.locator("[data-replies]")).to_contain_text("Loket ditambah mulai besok.")
    expect(page.locator("[data-text]")).to_contain_text("<b>tiga jam</b>")
