"""Metapers without 3D: the hall as a list on an Android phone with JavaScript off (rooms →
tenants → a booth → a real number), and an accessibility check of the pages with axe-core."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, expect

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture
def halls(kukar):  # type: ignore[no-untyped-def]
    from mpp.metapers.demo import ensure_demo_halls

    ensure_demo_halls(kukar)
    return kukar


def test_the_list_works_without_javascript_and_issues_a_number(
    asgi_server, halls, android_no_js: BrowserContext, settings
):
    from mpp.queueing.models import Ticket

    settings.MPP_DEMO_ALWAYS_OPEN = True  # the real clock runs in the server thread
    page = android_no_js.new_page()
    page.goto(f"{asgi_server}/metapers/")
    page.get_by_role("main").get_by_role("link", name="MPP Kukar", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("MPP Kukar virtual")
    expect(page.get_by_role("heading", level=2, name="Ruang Layanan")).to_be_visible()
    dukcapil = page.get_by_role("heading", level=3, name=re.compile("Kependudukan"))
    expect(dukcapil).to_be_visible()
    expect(page.locator("li", has=dukcapil)).to_contain_text("Loket 2, 3, 4, 5")
    expect(page.get_by_role("link", name="Masuk aula 3D")).to_have_attribute(
        "href", "/metapers/mpp-kukar/3d/"
    )
    # Rooms come before their tenants in the reading order.
    headings = page.locator("h2, h3").all_inner_texts()
    assert headings.index("Ruang Layanan") < headings.index(dukcapil.inner_text())

    dukcapil.get_by_role("link").click()
    expect(page.get_by_role("link", name="Tanya petugas")).to_be_visible()
    service = page.locator("article", has_text="Penerbitan Akta Kelahiran").first
    service.get_by_role("button", name="Ambil nomor antrean").click()

    expect(page).to_have_url(re.compile(r"/antrean/[\w-]+/$"))
    ticket = Ticket.objects.get()
    assert ticket.channel == Ticket.Channel.METAPERS
    expect(page.locator(".big-number")).to_have_text(ticket.display_number)


@pytest.mark.parametrize(
    "path",
    [
        "/metapers/mpp-kukar/",
        "/metapers/mini-mpp-loa-kulu/",  # with its front desk
        "/metapers/mini-mpp-loa-kulu/peta/",
        "/metapers/mpp-kukar/instansi/disdukcapil/",
    ],
)
def test_metapers_pages_have_no_serious_accessibility_violations(
    asgi_server, halls, android: BrowserContext, path
):
    page = android.new_page()
    page.goto(f"{asgi_server}{path}")
    # axe-core comes from the page's own origin: the site's CSP (script-src 'self') refuses the
    # inline script `add_script_tag(path=...)` would write, and the check runs with CSP on.
    page.route("**/__axe.min.js", lambda route: route.fulfill(path=AXE))
    page.add_script_tag(url=f"{asgi_server}/__axe.min.js")
    result = page.evaluate("() => axe.run()")
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
    assert result["passes"], "axe ran no checks"
