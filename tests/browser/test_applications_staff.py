"""An officer works an application in a browser (issue 22): from the list of open applications
to its page, diterima → diverifikasi → dikembalikan (with what is missing: the clock stops, and
the page and the list say since when) → diterima (the clock runs again). The list, the page
and the opening form pass axe (WCAG 2.1 A/AA)."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, expect

from tests.browser.a11y import assert_accessible
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_officer_returns_an_application_and_takes_it_back(
    asgi_server, kukar, android: BrowserContext
):
    from mpp.accounts.tests.factories import Cast
    from mpp.applications.actions import open_application
    from mpp.catalog.models import Service
    from mpp.malls.models import Mall

    base = asgi_server
    officer = Cast().officer_dukcapil()
    Service.objects.filter(slug="akta-kelahiran").update(
        duration_value=5, duration_unit="hari_kerja"
    )
    application = open_application(
        mall=Mall.objects.get(slug="mpp-kukar"),
        service=Service.objects.get(slug="akta-kelahiran"),
        acting_user=officer,
        phone="0812 3456 7890",
    )
    page = sign_in(android, base, "petugas.dukcapil", "/petugas/permohonan/")
    row = page.locator(f'tr[data-code="{application.code}"]')
    expect(row).to_contain_text("Akta Kelahiran")
    expect(row).to_contain_text("Diterima")
    assert_accessible(page)
    row.get_by_role("link", name=application.grouped_code).click()

    expect(page.locator("[data-status]")).to_have_text("Diterima")
    expect(page.locator("[data-phone]")).to_have_text("0812****890")
    page.locator('form[data-step="diverifikasi"] button').click()
    expect(page.locator("[data-status]")).to_have_text("Diverifikasi")
    expect(page.locator("[data-messages]")).to_contain_text("Diverifikasi")

    returned = page.locator('form[data-step="dikembalikan"]')
    returned.locator("textarea").fill("Surat keterangan lahir dari bidan, asli")
    returned.get_by_role("button").click()
    stopped = page.locator("[data-clock-stopped]")
    expect(stopped).to_contain_text("Jam berhenti sejak")
    expect(stopped).to_contain_text("Surat keterangan lahir dari bidan, asli")
    expect(page.locator("[data-pauses]")).to_contain_text("masih berhenti")
    expect(page.locator("form[data-step]")).to_have_count(1)  # only: files complete again
    assert_accessible(page)

    page.goto(f"{base}/petugas/permohonan/?tab=dikembalikan")
    expect(page.locator(f'tr[data-code="{application.code}"] [data-stopped]')).to_contain_text(
        "jam berhenti sejak"
    )
    page.locator(f'tr[data-code="{application.code}"] a').click()

    page.locator('form[data-step="diterima"] button').click()
    expect(page.locator("[data-status]")).to_have_text("Diterima")
    expect(page.locator("[data-clock-stopped]")).to_have_count(0)
    expect(page.locator("[data-pauses]")).not_to_contain_text("masih berhenti")
    expect(page.locator("[data-steps] li")).to_have_count(4)

    page.goto(f"{base}/petugas/permohonan/baru/")
    expect(page.locator("[data-open-form]")).to_contain_text("Akta Kelahiran")
    assert_accessible(page)
