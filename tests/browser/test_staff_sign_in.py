"""An officer signs in from the footer's link, lands on the console, and signs out from it."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_officer_signs_in_from_the_footer_and_out_from_the_console(
    asgi_server, kukar, desktop: BrowserContext
):
    from mpp.accounts.tests.factories import PASSWORD, Cast

    Cast().officer_dukcapil()
    page = desktop.new_page()
    page.goto(f"{asgi_server}/")
    page.get_by_role("link", name="Masuk petugas").click()
    page.fill("#id_username", "petugas.dukcapil")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")

    expect(page).to_have_url(f"{asgi_server}/konsol/")
    footer = page.locator("footer")
    expect(footer).to_contain_text("Masuk sebagai petugas.dukcapil")
    expect(footer.get_by_role("link", name="Masuk petugas")).to_have_count(0)
    footer.get_by_role("button", name="Keluar").click()

    expect(page).to_have_url(f"{asgi_server}/admin/login/")
    page.goto(f"{asgi_server}/konsol/")
    expect(page).to_have_url(f"{asgi_server}/admin/login/?next=/konsol/")
