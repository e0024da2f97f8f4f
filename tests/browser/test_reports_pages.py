"""Leadership, auditors, the regency admin, supervisors and officers find their reports from a
start page; the survey results, the investment page and the paper entry as those people see
them, each checked with axe (WCAG 2.1 A/AA, 0 violations)."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import BrowserContext, expect

from tests.browser.a11y import assert_accessible
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)
START = "/petugas/mulai/"


@pytest.fixture
def wide(browser):  # type: ignore[no-untyped-def]
    """The office screen of leadership and DPMPTSP staff: 1920 × 1080."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="id-ID")
    yield context
    context.close()


def test_leadership_signs_in_and_finds_every_report_from_its_start_page(
    asgi_server, kukar, wide: BrowserContext
):
    from mpp.accounts.tests.factories import PASSWORD, Cast

    Cast().leadership()
    page = wide.new_page()
    page.goto(f"{asgi_server}/")
    page.get_by_role("link", name="Masuk petugas").click()
    page.fill("#id_username", "pimpinan")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")

    expect(page).to_have_url(f"{asgi_server}{START}")  # not the Django admin
    expect(page.get_by_role("heading", level=1)).to_have_text("Halaman awal petugas")
    expect(page.locator("main")).to_contain_text("Halaman ini hanya untuk membaca.")
    expect(
        page.get_by_role("link", name="Hasil survei kepuasan (IKM) seluruh kabupaten")
    ).to_be_visible()
    expect(page.get_by_role("link", name="Data investasi per perusahaan")).to_be_visible()
    expect(page.get_by_role("button", name="Siapkan ZIP audit")).to_be_visible()
    expect(page.get_by_role("link", name="Buka Laporan harian — MPP Kukar")).to_be_visible()
    expect(page.get_by_role("link", name="Impor data LKPM")).to_have_count(0)
    assert_accessible(page)

    page.get_by_role("link", name="Buka Hasil survei (IKM) — MPP Kukar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Indeks Kepuasan Masyarakat")
    page.locator("footer").get_by_role("link", name="Halaman awal petugas").click()
    expect(page).to_have_url(f"{asgi_server}{START}")


@pytest.mark.parametrize(
    ("role", "username", "sees", "not_sees"),
    [
        ("auditor", "auditor", "Siapkan ZIP audit", "Impor data LKPM"),
        ("regency_admin", "admin.kabupaten", "Impor data LKPM", None),
        (
            "supervisor_mpp",
            "pengawas.mpp",
            "Buka Pengawasan antrean — MPP Kukar",
            "Impor data LKPM",
        ),
        (
            "officer_dukcapil",
            "petugas.dukcapil",
            "Konsol loket: panggil dan layani antrean",
            "Siapkan ZIP audit",
        ),
    ],
)
def test_each_roles_start_page_is_accessible_and_shows_its_own_reports(
    asgi_server, kukar, wide: BrowserContext, role, username, sees, not_sees
):
    from mpp.accounts.tests.factories import Cast

    getattr(Cast(), role)()
    page = sign_in(wide, asgi_server, username, START)
    expect(page.get_by_role("heading", level=1)).to_have_text("Halaman awal petugas")
    expect(
        page.get_by_role("link", name=sees).or_(page.get_by_role("button", name=sees))
    ).to_be_visible()
    if not_sees:
        expect(page.get_by_text(not_sees, exact=True)).to_have_count(0)
    assert_accessible(page)


def _responses(kukar, n: int = 12) -> None:
    from mpp.catalog.models import Tenant
    from mpp.malls.models import Mall
    from mpp.surveys.models import Questionnaire, Response

    national = Questionnaire.objects.get(mall=None, tenant=None)
    mall = Mall.objects.get(slug="mpp-kukar")
    tenant = Tenant.objects.get(slug="disdukcapil")
    today = dt.date.today()
    levels = ["S1", "SD", "SMA", "D1-D3"]
    for i in range(n):
        Response.objects.create(
            questionnaire=national,
            mall=mall,
            tenant=tenant,
            answered_on=today,
            channel=Response.Channel.PAPER,
            education=levels[i % 4],
            **{f"u{k}": 3 + (i + k) % 2 for k in range(1, 10)},
        )


def test_the_survey_results_are_accessible_and_list_education_by_level(
    asgi_server, kukar, wide: BrowserContext
):
    from mpp.accounts.tests.factories import Cast

    Cast().supervisor_mpp()
    _responses(kukar)
    page = sign_in(wide, asgi_server, "pengawas.mpp", "/survei/hasil/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Indeks Kepuasan Masyarakat")
    education = page.locator("[data-profile=education] tbody th")
    expect(education).to_have_text(["SD", "SMA", "D1–D3", "S1"])
    expect(
        page.get_by_role("group", name="Laporan PDF bertanda tangan (kop dan blok tanda tangan)")
    ).to_be_visible()
    assert_accessible(page)


def test_the_paper_entry_offers_only_the_chosen_tenants_services_in_aligned_boxes(
    asgi_server, kukar, wide: BrowserContext
):
    from mpp.accounts.tests.factories import Cast
    from mpp.catalog.models import Service, Tenant
    from mpp.malls.models import Mall

    Cast().supervisor_mpp()
    mall = Mall.objects.get(slug="mpp-kukar")
    dukcapil = Tenant.objects.get(slug="disdukcapil")
    expected = Service.objects.active().offered_at(mall).filter(tenant=dukcapil).count()
    page = sign_in(wide, asgi_server, "pengawas.mpp", f"/survei/kertas/{mall.pk}/")
    all_options = page.locator("select[name=layanan] option").count()

    page.get_by_label("Instansi").select_option(str(dukcapil.pk))  # reloads the sheet
    expect(page).to_have_url(
        f"{asgi_server}/survei/kertas/{mall.pk}/?instansi={dukcapil.pk}&tanggal={mall.local_now().date().isoformat()}"
    )
    expect(page.locator("select[name=layanan] option")).to_have_count(expected + 1)  # and "—"
    assert expected + 1 < all_options
    expect(page.locator("select[name=layanan] optgroup")).to_have_count(1)

    lefts = page.locator("input.digit").evaluate_all(
        "boxes => boxes.map(b => Math.round(b.getBoundingClientRect().left))"
    )
    assert len(lefts) == 9 and len(set(lefts)) == 1, lefts  # one column of answer boxes
    assert_accessible(page)


def test_the_investment_page_is_accessible_and_labels_a_provisional_quarter(
    asgi_server, kukar, android: BrowserContext
):
    from mpp.investment.actions import import_realizations, set_final_period
    from mpp.investment.tests.conftest import HEADER, ROWS

    import_realizations(
        region=kukar,
        data="\n".join([HEADER, *ROWS]).encode(),
        file_name="uji.csv",
        source="LKPM OSS, berkas uji",
        cut_off=dt.date(2025, 7, 15),
        acting_user=None,
    )
    set_final_period(region=kukar, year=2025, through=1, acting_user=None)
    page = android.new_page()
    page.goto(f"{asgi_server}/investasi/")
    expect(page.locator("[data-provisional]")).to_have_count(0)  # opens on the final period
    expect(page.get_by_label("Sampai dengan")).to_have_value("1")
    assert_accessible(page)

    page.get_by_label("Sampai dengan").select_option("2")
    page.get_by_role("button", name="Tampilkan").tap()
    expect(page.locator("[data-provisional]")).to_contain_text("Angka sementara.")
    expect(page.locator(".inv-source")).to_have_count(1)
    expect(page.locator(".inv-source")).to_contain_text("data per 15 Juli 2025")
    assert_accessible(page)
