"""The start page of each staff role: what it is for, and exactly the reports it may open."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from mpp.accounts.models import Role
from mpp.accounts.tests.factories import PASSWORD, Cast, make_staff
from mpp.malls.models import Mall

pytestmark = pytest.mark.django_db
START = "/petugas/mulai/"


@pytest.fixture
def cast(kukar):  # type: ignore[no-untyped-def]
    return Cast()


def page_of(user: object) -> str:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    response = client.get(START)
    assert response.status_code == 200
    return response.content.decode()


def hrefs(html: str) -> set[str]:
    main = html.split('<main id="isi">', 1)[1].split("</main>", 1)[0]
    return set(re.findall(r'href="([^"]+)"', main))


def test_leadership_sees_every_report_of_the_region_and_changes_nothing(cast) -> None:
    html = page_of(cast.leadership())
    links = hrefs(html)
    mall = Mall.objects.get(slug="mpp-kukar")
    assert "Pimpinan" in html and "hanya untuk membaca" in html
    assert "/survei/hasil/" in links
    assert f"/survei/hasil/?mall={mall.pk}" in links
    assert "/pengawas/mpp-kukar/laporan/" in links
    assert {"/investasi/", "/investasi/internal/"} <= links
    assert 'action="/survei/audit/unduh.zip"' in html
    # Nothing that changes data: no paper entry, no import, no supervision, no console.
    assert not any(
        part in link
        for link in links
        for part in ("/survei/kertas/", "/survei/impor/", "/investasi/impor/", "/konsol/")
    )
    assert not any(re.fullmatch(r"/pengawas/[^/]+/", link) for link in links)


def test_the_auditor_gets_the_audit_zip_for_the_region_or_any_mall(cast) -> None:
    html = page_of(cast.auditor())
    assert 'action="/survei/audit/unduh.zip"' in html
    assert '<option value="">Seluruh kabupaten</option>' in html
    select = html.split('id="audit-mall"', 1)[1].split("</select>", 1)[0]
    assert select.count("<option") == 1 + Mall.objects.filter(region__slug="kukar").count()
    assert "/investasi/impor/" not in hrefs(html)


def test_the_regency_admin_also_gets_imports_entry_and_the_admin(cast) -> None:
    links = hrefs(page_of(cast.regency_admin()))
    mall = Mall.objects.get(slug="mpp-kukar")
    assert {"/investasi/impor/", "/investasi/klasifikasi/", "/admin/"} <= links
    assert {f"/survei/kertas/{mall.pk}/", "/pengawas/mpp-kukar/"} <= links


def test_a_supervisor_sees_only_their_mall(cast) -> None:
    html = page_of(cast.supervisor_loakulu())
    links = hrefs(html)
    loakulu = Mall.objects.get(slug="mini-mpp-loa-kulu")
    assert {
        "/pengawas/mini-mpp-loa-kulu/",
        "/pengawas/mini-mpp-loa-kulu/laporan/",
        f"/survei/hasil/?mall={loakulu.pk}",
        f"/survei/kertas/{loakulu.pk}/",
        f"/janji/mal/{loakulu.pk}/",
    } <= links
    assert not any("mpp-kukar" in link for link in links)
    kukar = Mall.objects.get(slug="mpp-kukar")
    assert f"/janji/mal/{kukar.pk}/" not in links  # another mall's bookings are not theirs
    assert "/survei/hasil/" not in links  # the regency's results are not theirs
    assert "/investasi/internal/" not in links
    assert f'<option value="{loakulu.pk}">' in html and "Seluruh kabupaten" not in html


def test_an_officer_sees_the_console_chat_and_their_tenants_results(cast) -> None:
    html = page_of(cast.officer_imigrasi())
    links = hrefs(html)
    kukar = Mall.objects.get(slug="mpp-kukar")
    assert {
        "/konsol/",
        "/metapers/petugas/obrolan/",
        f"/survei/hasil/?mall={kukar.pk}",
        f"/janji/mal/{kukar.pk}/",  # the day's bookings at the mall they serve
    } <= links
    assert not any("/pengawas/" in link or "/survei/kertas/" in link for link in links)
    assert "audit/unduh.zip" not in html  # raw rows never go to a tenant's officers
    assert "/investasi/internal/" not in links


def test_a_kiosk_device_and_an_outsider_are_refused(cast) -> None:
    kiosk = make_staff(Role.KIOSK, mall="mpp-kukar", username="kios.mpp")
    for user in (kiosk, cast.outsider()):
        client = Client()
        client.force_login(user)  # type: ignore[arg-type]
        assert client.get(START).status_code == 403
    anonymous = Client().get(START)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("role", ["leadership", "auditor", "regency_admin"])
def test_reading_roles_land_on_their_start_page_after_signing_in(cast, role: str) -> None:
    user = getattr(cast, role)()
    client = Client()
    response = client.post(
        reverse("admin:login"), {"username": user.username, "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == START
    assert response.status_code == 200


def test_every_page_links_the_start_page_in_the_staff_bar(cast) -> None:
    client = Client()
    client.force_login(cast.leadership())
    assert f'href="{START}"' in client.get("/").content.decode()


def test_the_start_page_reads_a_bounded_number_of_rows(cast, django_assert_max_num_queries) -> None:
    client = Client()
    client.force_login(cast.regency_admin())
    malls = Mall.objects.count()
    with django_assert_max_num_queries(12 + 5 * malls):
        assert client.get(START).status_code == 200
