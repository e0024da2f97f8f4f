"""The staff roster's pages: DPMPTSP and BKPSDM see names, masked NIPs and domiciles and post
people; leadership, auditors, other liaisons and mall staff get 403; each page's 400 and 404."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from mpp.core.models import AuditEntry
from mpp.rollout import roster
from mpp.rollout.models import Assignment, StaffMember
from mpp.rollout.tests import roster_world as w

# A Monday morning in Tenggarong (WITA).
NOW = dt.datetime(2025, 6, 2, 9, 0, tzinfo=dt.UTC) - dt.timedelta(hours=8)
TODAY = dt.date(2025, 6, 2)


@pytest.fixture(autouse=True)
def frozen():  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def region(kukar):  # type: ignore[no-untyped-def]
    w.clear_roster(kukar)
    return kukar


def client_of(user: object) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def bkpsdm(region):  # type: ignore[no-untyped-def]
    return client_of(w.bkpsdm())


@pytest.fixture
def admin(region, cast):  # type: ignore[no-untyped-def]
    return client_of(cast.regency_admin())


def pages(member: StaffMember, posting: Assignment) -> list[str]:
    return [
        reverse("rollout:roster"),
        reverse("rollout:roster-mall", args=[posting.mall_id]),
        reverse("rollout:roster-member-add"),
        reverse("rollout:roster-member", args=[member.pk]),
    ]


@pytest.fixture
def posted(region, cast):  # type: ignore[no-untyped-def]
    member = w.member(name="Siti Rahmawati", nip=w.PNS_NIP, employment="pns")
    posting = roster.assign(
        member,
        w.mini("mini-mpp-loa-kulu"),
        position="Petugas loket",
        start_date=TODAY,
        actor=cast.regency_admin(),
    )
    return member, posting


def test_dpmptsp_and_bkpsdm_see_names_masked_nip_and_domicile(admin, bkpsdm, posted):
    member, posting = posted
    for client in (admin, bkpsdm):
        for url in pages(member, posting):
            response = client.get(url)
            assert response.status_code == 200, url
            html = response.content.decode()
            assert w.PNS_NIP not in html, url  # never in full, not even in the edit form
        mall_page = client.get(pages(member, posting)[1]).content.decode()
        assert "Siti Rahmawati" in mall_page and "••••••••••••••1001" in mall_page
        assert "Loa Kulu Kota" in mall_page


@pytest.mark.parametrize("who", ["leadership", "auditor", "supervisor_loakulu", "officer_dukcapil"])
def test_everybody_else_gets_403_on_every_page(region, cast, posted, who):
    member, posting = posted
    client = client_of(getattr(cast, who)())
    for url in pages(member, posting):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Siti" not in response.content.decode()
    assign = client.post(
        reverse("rollout:roster-assign", args=[member.pk]),
        {"mall": posting.mall_id, "position": "x", "start_date": "2025-06-02"},
    )
    end = client.post(reverse("rollout:roster-end", args=[posting.pk]), {"end_date": "2025-06-03"})
    assert (assign.status_code, end.status_code) == (403, 403)
    assert Assignment.objects.get(pk=posting.pk).end_date is None


def test_another_agencys_liaison_gets_403(region, posted):
    member, posting = posted
    client = client_of(w.dinas_pu())
    assert all(client.get(url).status_code == 403 for url in pages(member, posting))


def test_signed_out_visitors_are_sent_to_sign_in(region, posted):
    member, posting = posted
    for url in pages(member, posting):
        response = Client().get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_unknown_objects_are_404(bkpsdm, posted, mall_mpp, uji):
    hilir = w.mini("mini-mpp-uji-hilir")
    for url in [
        reverse("rollout:roster-mall", args=[999999]),
        reverse("rollout:roster-mall", args=[mall_mpp.pk]),  # the MPP has no roster here
        reverse("rollout:roster-mall", args=[hilir.pk]),  # another region's Mini MPP
        reverse("rollout:roster-member", args=[999999]),
        reverse("rollout:roster-assign", args=[999999]),
        reverse("rollout:roster-end", args=[999999]),
    ]:
        method = bkpsdm.post if "tugaskan" in url or "akhiri" in url else bkpsdm.get
        assert method(url).status_code == 404, url


def test_a_member_of_another_region_is_404(bkpsdm, uji):
    other = StaffMember.objects.create(
        region=uji,
        full_name="Orang Uji",
        employment="honorer",
        domicile_village=w.village("99.01.02.2001"),
    )
    assert bkpsdm.get(reverse("rollout:roster-member", args=[other.pk])).status_code == 404


def test_bkpsdm_adds_a_member(bkpsdm):
    response = bkpsdm.post(
        reverse("rollout:roster-member-add"),
        {
            "full_name": "Andi Pratama",
            "employment": "pppk",
            "nip": w.PPPK_NIP,
            "domicile_village": w.loa_kulu_village().pk,
        },
    )
    member = StaffMember.objects.get(full_name="Andi Pratama")
    assert response.status_code == 302
    assert response["Location"] == reverse("rollout:roster-member", args=[member.pk])
    assert AuditEntry.objects.filter(action="rollout.staff_added").count() == 1


def test_a_village_outside_kukar_is_400_with_a_clear_message(bkpsdm, uji):
    response = bkpsdm.post(
        reverse("rollout:roster-member-add"),
        {
            "full_name": "Andi Pratama",
            "employment": "honorer",
            "nip": "",
            "domicile_village": w.village("99.01.02.2001").pk,
        },
    )
    assert response.status_code == 400
    assert "tidak ada di wilayah ini" in response.content.decode()
    assert not StaffMember.objects.filter(full_name="Andi Pratama").exists()


@pytest.mark.parametrize(
    ("nip", "employment", "fault"),
    [
        ("12345", "pns", "tepat 18 angka"),
        ("", "pns", "NIP wajib diisi"),
        (w.PNS_NIP, "honorer", "tidak memiliki NIP"),
    ],
)
def test_a_bad_nip_is_400(bkpsdm, nip, employment, fault):
    response = bkpsdm.post(
        reverse("rollout:roster-member-add"),
        {
            "full_name": "Andi",
            "employment": employment,
            "nip": nip,
            "domicile_village": w.loa_kulu_village().pk,
        },
    )
    assert response.status_code == 400 and fault in response.content.decode()


def test_editing_with_the_nip_left_empty_keeps_it(bkpsdm, posted):
    member, _posting = posted
    url = reverse("rollout:roster-member", args=[member.pk])
    response = bkpsdm.post(
        url,
        {
            "full_name": "Siti R.",
            "employment": "pns",
            "nip": "",
            "domicile_village": w.tenggarong_village().pk,
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.full_name, member.nip) == ("Siti R.", w.PNS_NIP)
    assert member.domicile_village.code == "64.02.06.1001"
    assert bkpsdm.post(url, {"full_name": ""}).status_code == 400


def test_assign_from_the_member_page(bkpsdm):
    member = w.member(name="Andi")
    tenggarong = w.mini("mini-mpp-tenggarong")
    response = bkpsdm.post(
        reverse("rollout:roster-assign", args=[member.pk]),
        {"mall": tenggarong.pk, "position": "Operator antrean", "start_date": "2025-06-02"},
    )
    assert response.status_code == 302
    assert Assignment.objects.get(member=member).mall == tenggarong


def test_a_second_mini_mpp_is_400_naming_the_first(bkpsdm, posted):
    member, _posting = posted
    response = bkpsdm.post(
        reverse("rollout:roster-assign", args=[member.pk]),
        {
            "mall": w.mini("mini-mpp-tenggarong").pk,
            "position": "Loket",
            "start_date": "2025-06-10",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "masih bertugas di Mini MPP Loa Kulu" in html
    assert Assignment.objects.filter(member=member).count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {"mall": "", "position": "Loket", "start_date": "2025-06-02"},
        {"mall": "abc", "position": "Loket", "start_date": "2025-06-02"},
        {"position": "", "start_date": "2025-06-02"},
        {"position": "Loket", "start_date": "02/06/2025"},
        {"position": "Loket", "start_date": "2030-01-01"},
    ],
)
def test_a_bad_assign_form_is_400(bkpsdm, data):
    member = w.member()
    data = {"mall": w.mini("mini-mpp-loa-kulu").pk, **data}
    response = bkpsdm.post(reverse("rollout:roster-assign", args=[member.pk]), data)
    assert response.status_code == 400
    assert not Assignment.objects.filter(member=member).exists()


def test_the_mpp_is_no_choice_for_a_posting(bkpsdm, mall_mpp):
    member = w.member()
    response = bkpsdm.post(
        reverse("rollout:roster-assign", args=[member.pk]),
        {"mall": mall_mpp.pk, "position": "Loket", "start_date": "2025-06-02"},
    )
    assert response.status_code == 400
    assert "Pilih salah satu Mini MPP" in response.content.decode()


def test_end_a_posting(bkpsdm, posted):
    _member, posting = posted
    url = reverse("rollout:roster-end", args=[posting.pk])
    assert bkpsdm.post(url, {"end_date": "2025-06-01"}).status_code == 400  # before the start
    assert bkpsdm.post(url, {"end_date": "kemarin"}).status_code == 400
    response = bkpsdm.post(url, {"end_date": "2025-06-20"})
    assert response.status_code == 302
    assert response["Location"] == reverse("rollout:roster-mall", args=[posting.mall_id])
    posting.refresh_from_db()
    assert posting.end_date == dt.date(2025, 6, 20)
    again = bkpsdm.post(url, {"end_date": "2025-06-21"})
    assert again.status_code == 400 and "sudah berakhir" in again.content.decode()


def test_post_only_steps_refuse_get(bkpsdm, posted):
    member, posting = posted
    assert bkpsdm.get(reverse("rollout:roster-assign", args=[member.pk])).status_code == 405
    assert bkpsdm.get(reverse("rollout:roster-end", args=[posting.pk])).status_code == 405


def test_the_overview_shows_the_local_share_per_mini_mpp_and_for_the_regency(
    bkpsdm, cast, django_assert_max_num_queries
):
    loa_kulu = w.mini("mini-mpp-loa-kulu")
    for village in (w.loa_kulu_village(), w.tenggarong_village()):
        roster.assign(
            w.member(village=village),
            loa_kulu,
            position="Loket",
            start_date=TODAY,
            actor=cast.regency_admin(),
        )
    w.member(name="Belum Bertugas")
    with django_assert_max_num_queries(12):
        response = bkpsdm.get(reverse("rollout:roster"))
    rows = {mall.slug: count for mall, count in response.context["rows"]}
    assert rows["mini-mpp-loa-kulu"] == roster.StaffCount(2, 1)
    assert len(rows) == 20
    assert response.context["total"].local_percent == 50
    html = response.content.decode()
    assert "Belum Bertugas" in html
    with django_assert_max_num_queries(12):
        assert bkpsdm.get(reverse("rollout:roster-mall", args=[loa_kulu.pk])).status_code == 200


def test_bkpsdm_links_the_members_counter_account_once(bkpsdm, posted, cast):
    member, _posting = posted
    officer = cast.officer_dukcapil()
    url = reverse("rollout:roster-member", args=[member.pk])
    data = {
        "full_name": member.full_name,
        "employment": "pns",
        "nip": "",
        "domicile_village": member.domicile_village_id,
        "user": officer.pk,
    }
    assert bkpsdm.post(url, data).status_code == 302
    member.refresh_from_db()
    assert member.user == officer
    other = w.member(name="Andi")
    taken = bkpsdm.post(
        reverse("rollout:roster-member", args=[other.pk]),
        {**data, "full_name": "Andi", "nip": "", "employment": "honorer"},
    )
    assert taken.status_code == 400
    assert "sudah ditautkan ke pegawai lain" in taken.content.decode()
    leader = bkpsdm.post(url, {**data, "user": cast.leadership().pk})  # opens no counter
    assert leader.status_code == 400
    member.refresh_from_db()
    assert member.user == officer
