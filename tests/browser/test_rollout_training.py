"""DPMPTSP runs a training session in the browser: ticks attendance, records the scores
(one out of range first), issues the certificate and downloads its PDF; every page passes axe."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import BrowserContext, expect

from tests.browser.a11y import assert_accessible
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_record_scores_and_download_the_certificate(
    desktop: BrowserContext, live_server, kukar, cast
):
    from mpp.malls.models import Mall, Village
    from mpp.rollout import training
    from mpp.rollout.models import Certificate, StaffMember, TrainingModule

    TrainingModule.objects.filter(region=kukar).delete()
    modules = [
        TrainingModule.objects.create(region=kukar, code="konsol", title="Konsol", order=1),
        TrainingModule.objects.create(
            region=kukar, code="data", title="Pelindungan data", order=2, pass_mark=80
        ),
    ]
    member = StaffMember.objects.create(
        region=kukar,
        full_name="Siti Rahmawati",
        employment=StaffMember.Employment.PPPK,
        domicile_village=Village.objects.filter(district__region=kukar).first(),
    )
    today = dt.date.today()
    session = training.create_session(
        region=kukar,
        title="Pelatihan operator angkatan 1",
        venue=Mall.objects.get(slug="mpp-kukar"),
        start_date=today,
        end_date=today + dt.timedelta(days=2),
        modules=modules,
        actor=None,
    )
    training.add_participants(session, [member], actor=None)
    admin = cast.regency_admin()

    page = sign_in(desktop, live_server.url, admin.username, "/persiapan/pelatihan/")
    expect(page.get_by_role("heading", name="Pelatihan operator Mini MPP")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Pelatihan operator angkatan 1").click()
    assert_accessible(page)

    page.get_by_role("link", name="Kehadiran", exact=True).click()
    page.get_by_label(f"Siti Rahmawati hadir {today.day}", exact=False).first.check()
    assert_accessible(page)
    page.get_by_role("button", name="Simpan kehadiran").click()
    expect(page.get_by_role("status")).to_contain_text("Kehadiran disimpan (1 perubahan)")

    page.get_by_role("link", name="Kembali ke sesi").click()
    page.get_by_role("link", name="Nilai", exact=True).click()
    page.get_by_label("Nilai Siti Rahmawati, Konsol").fill("90")
    page.get_by_label("Nilai Siti Rahmawati, Pelindungan data").fill("101")
    page.get_by_role("button", name="Simpan nilai").click()
    expect(page.get_by_role("alert")).to_contain_text("100")
    assert_accessible(page)
    page.get_by_label("Nilai Siti Rahmawati, Pelindungan data").fill("84")
    page.get_by_role("button", name="Simpan nilai").click()
    expect(page.get_by_role("status")).to_contain_text("Nilai disimpan (2 perubahan)")

    page.get_by_role("link", name="Kembali ke sesi").click()
    page.get_by_role("button", name="Terbitkan sertifikat Siti Rahmawati").click()
    number = Certificate.objects.get().number
    expect(page.get_by_role("status")).to_contain_text(f"Sertifikat {number} diterbitkan")
    assert_accessible(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name=number).click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    page.goto(f"{live_server.url}/sertifikat/{Certificate.objects.get().code}/")
    expect(page.locator("[data-name]")).to_have_text("Si•• Ra•••••••")
    assert_accessible(page)
