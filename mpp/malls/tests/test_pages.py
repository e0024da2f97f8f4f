"""Public mall pages: choose a mall, a mall's page, its logo; Indonesian 404."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import time_machine
from django.urls import reverse

from mpp.malls.models import Mall

MONDAY_10 = dt.datetime(2026, 11, 30, 10, 0, tzinfo=ZoneInfo("Asia/Makassar"))


@time_machine.travel(MONDAY_10, tick=False)
def test_home_lists_the_mpp_first_then_every_mini_mpp_with_status_and_open_now(
    client, kukar, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        response = client.get(reverse("malls:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("MPP Kukar") < html.index("Mini MPP Muara Muntai")
    for mall in Mall.objects.all():
        assert mall.short_name in html
    assert "Buka sekarang" in html
    assert "Hari ini 08.00–16.00" in html  # the MPP
    assert "Hari ini 08.00–15.00" in html  # the Mini MPPs
    assert "Persiapan" in html and "Direncanakan" in html
    assert "sejak 5 Desember 2022" in html  # the MPP's opening, the Indonesian way
    # every Mini MPP's status is a placeholder of the region data, and says so
    assert html.count('<span class="sample"') == Mall.objects.filter(kind="mini_mpp").count()


@time_machine.travel(dt.datetime(2026, 12, 5, 10, 0, tzinfo=ZoneInfo("Asia/Makassar")), tick=False)
def test_on_a_saturday_the_home_page_says_when_malls_open_again(client, kukar):
    html = client.get(reverse("malls:home")).content.decode()
    assert "Tutup hari ini · buka Senin 08.00" in html


@time_machine.travel(MONDAY_10, tick=False)
def test_mall_page_shows_hours_break_tenants_and_their_days(
    client, mall_mpp, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):  # 7, and one for the queue lengths (issue 18)
        response = client.get(mall_mpp.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "istirahat 11.30–13.30" in html
    assert "Imigrasi" in html and "Rabu" in html
    assert mall_mpp.address in html


def test_a_preparing_mini_mpp_sends_citizens_to_the_mpp(client, kukar):
    preparing = Mall.objects.filter(status=Mall.Status.PREPARING).first()
    html = client.get(preparing.get_absolute_url()).content.decode()
    assert "sedang dipersiapkan" in html


def test_an_unknown_mall_is_an_indonesian_404(client, kukar):
    response = client.get("/mal/tidak-ada/")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()


def test_the_logo_is_an_svg_badge_in_the_malls_colours(client, mall_loakulu):
    response = client.get(reverse("malls:mall-logo", args=[mall_loakulu.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    svg = response.content.decode()
    assert mall_loakulu.color_primary in svg and ">LK<" in svg
    assert client.get("/mal/tidak-ada/logo.svg").status_code == 404


def test_the_mall_page_is_branded_with_the_malls_colours(client, mall_loakulu):
    html = client.get(mall_loakulu.get_absolute_url()).content.decode()
    assert f"--brand:{mall_loakulu.color_primary}" in html
    assert "Mini MPP Kecamatan Loa Kulu" in html


def test_pages_refuse_other_methods(client, kukar):
    assert client.post(reverse("malls:home")).status_code == 405


def test_the_mpp_comes_first_in_every_list_of_malls(kukar):
    from mpp.malls.models import MALL_ORDER, Mall

    # MALL_ORDER sorts the kind descending: "mpp" must be the greatest kind there is.
    assert max(Mall.Kind.values) == Mall.Kind.MPP
    assert MALL_ORDER[0] == "-kind"
    malls = list(Mall.objects.all())
    assert malls[0].kind == Mall.Kind.MPP
    codes = [m.district.code for m in malls[1:]]
    assert len(codes) > 1 and codes == sorted(codes)  # the Mini MPPs, by kecamatan code
