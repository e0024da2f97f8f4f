"""The staff roster's rules (rollout.roster): the NIP, the domicile inside the region, one Mini
MPP at a time, the local share, and the audit trail without personal data."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from mpp.core.models import AuditEntry
from mpp.rollout import roster
from mpp.rollout.exceptions import RolloutRefused
from mpp.rollout.models import Assignment, StaffMember
from mpp.rollout.tests import roster_world as w

TODAY = dt.date(2025, 6, 2)


@pytest.fixture
def region(kukar):  # type: ignore[no-untyped-def]
    w.clear_roster(kukar)
    return kukar


@pytest.fixture
def actor(cast):  # type: ignore[no-untyped-def]
    return cast.regency_admin()


def test_mask_nip_shows_only_the_last_four_digits():
    assert roster.mask_nip(w.PNS_NIP) == "••••••••••••••1001"
    assert roster.mask_nip("") == ""


@pytest.mark.parametrize(
    ("nip", "employment"),
    [(w.PNS_NIP, "pns"), (w.PPPK_NIP, "pppk"), ("198503122010121001", "pppk"), ("", "honorer")],
)
def test_check_nip_accepts_plausible_numbers(nip, employment):
    roster.check_nip(nip, employment, today=TODAY)


@pytest.mark.parametrize(
    ("nip", "employment", "code"),
    [
        ("", "pns", "required"),
        ("19850312201001100", "pns", "nip_format"),  # 17 digits
        ("1985031220100110011", "pns", "nip_format"),  # 19 digits
        ("19850312201001100A", "pns", "nip_format"),
        ("１９８５０３１２２０１００１１００１", "pns", "nip_format"),  # full-width digits
        ("198513122010011001", "pns", "nip_birth_date"),  # month 13
        ("198502302010011001", "pns", "nip_birth_date"),  # 30 February
        ("202001012010011001", "pns", "nip_birth_date"),  # a child
        ("198503122000011001", "pns", "nip_tmt"),  # CPNS at 14
        ("198503122010131001", "pns", "nip_tmt"),  # month 13
        (w.PPPK_NIP, "pns", "nip_tmt"),  # "21" is a PPPK's, not a PNS's
        ("198503122010013001", "pns", "nip_sex_digit"),
        (w.PNS_NIP, "honorer", "nip_honorer"),
    ],
)
def test_check_nip_refuses_what_cannot_be_a_nip(nip, employment, code):
    with pytest.raises(ValidationError) as refused:
        roster.check_nip(nip, employment, today=TODAY)
    assert refused.value.code == code


def test_save_member_adds_a_member_and_audits_without_personal_data(region, actor):
    member = roster.save_member(
        region=region,
        actor=actor,
        full_name="  Siti   Rahmawati ",
        nip=w.PNS_NIP,
        employment="pns",
        domicile_village=w.loa_kulu_village(),
    )
    assert member.full_name == "Siti Rahmawati"
    entry = AuditEntry.objects.get(action="rollout.staff_added", object_id=str(member.pk))
    assert entry.actor_id == actor.pk
    assert w.PNS_NIP not in str(entry.data) and "Siti" not in str(entry.data)


def test_a_domicile_outside_kukar_is_refused_with_the_region_named(region, actor, uji):
    outside = w.village("99.01.02.2001")  # Desa Hilir, Kabupaten Uji
    with pytest.raises(ValidationError) as refused:
        roster.save_member(
            region=region,
            actor=actor,
            full_name="Budi",
            nip="",
            employment="honorer",
            domicile_village=outside,
        )
    message = refused.value.message_dict["domicile_village"][0]
    assert "Kabupaten Kutai Kartanegara" in message and "Hilir" in message
    assert not StaffMember.objects.filter(full_name="Budi").exists()


def test_a_nip_is_registered_once(region, actor):
    w.member(nip=w.PNS_NIP, employment="pns")
    with pytest.raises(ValidationError) as refused:
        roster.save_member(
            region=region,
            actor=actor,
            full_name="Kembar",
            nip=w.PNS_NIP,
            employment="pns",
            domicile_village=w.loa_kulu_village(),
        )
    assert refused.value.error_dict["nip"][0].code == "nip_taken"


def test_save_member_changes_a_record_and_names_the_changed_fields(region, actor):
    member = w.member()
    roster.save_member(
        region=region,
        actor=actor,
        member=member,
        full_name=member.full_name,
        nip=w.PPPK_NIP,
        employment="pppk",
        domicile_village=w.tenggarong_village(),
    )
    member.refresh_from_db()
    assert (member.nip, member.domicile_village.code) == (w.PPPK_NIP, "64.02.06.1001")
    entry = AuditEntry.objects.get(action="rollout.staff_changed", object_id=str(member.pk))
    assert entry.data == {"fields": ["domicile_village", "employment", "nip"]}


def test_assign_posts_a_member_and_audits_it(region, actor):
    member = w.member()
    loa_kulu = w.mini("mini-mpp-loa-kulu")
    posting = roster.assign(
        member, loa_kulu, position=" Petugas  loket ", start_date=TODAY, actor=actor
    )
    assert (posting.position, posting.assigned_by_id, posting.end_date) == (
        "Petugas loket",
        actor.pk,
        None,
    )
    entry = AuditEntry.objects.get(action="rollout.staff_assigned")
    assert entry.mall_id == loa_kulu.pk and entry.object_id == str(posting.pk)


def test_a_second_mini_mpp_at_once_is_refused_naming_the_first(region, actor):
    member = w.member(name="Siti")
    roster.assign(
        member, w.mini("mini-mpp-loa-kulu"), position="Loket", start_date=TODAY, actor=actor
    )
    with pytest.raises(RolloutRefused) as refused:
        roster.assign(
            member,
            w.mini("mini-mpp-tenggarong"),
            position="Loket",
            start_date=TODAY + dt.timedelta(days=30),
            actor=actor,
        )
    assert refused.value.code == "already_assigned"
    assert "Mini MPP Loa Kulu" in refused.value.message
    assert Assignment.objects.filter(member=member).count() == 1


def test_a_new_posting_starts_after_the_last_day_of_the_previous_one(region, actor):
    member = w.member()
    first = roster.assign(
        member, w.mini("mini-mpp-loa-kulu"), position="Loket", start_date=TODAY, actor=actor
    )
    end = TODAY + dt.timedelta(days=10)
    roster.end_assignment(first, end_date=end, actor=actor)
    tenggarong = w.mini("mini-mpp-tenggarong")
    with pytest.raises(RolloutRefused) as refused:  # the last day is still served at Loa Kulu
        roster.assign(member, tenggarong, position="Loket", start_date=end, actor=actor)
    assert refused.value.code == "already_assigned"
    later = roster.assign(
        member, tenggarong, position="Loket", start_date=end + dt.timedelta(days=1), actor=actor
    )
    assert later.mall == tenggarong


def test_only_a_mini_mpp_takes_staff(region, actor, mall_mpp):
    with pytest.raises(RolloutRefused) as refused:
        roster.assign(w.member(), mall_mpp, position="Loket", start_date=TODAY, actor=actor)
    assert refused.value.code == "not_mini_mpp"


def test_a_mini_mpp_of_another_region_takes_no_kukar_staff(region, actor, uji):
    hilir = w.mini("mini-mpp-uji-hilir")
    with pytest.raises(RolloutRefused) as refused:
        roster.assign(w.member(), hilir, position="Loket", start_date=TODAY, actor=actor)
    assert refused.value.code == "other_region"


def test_a_posting_needs_a_position(region, actor):
    with pytest.raises(RolloutRefused) as refused:
        roster.assign(
            w.member(), w.mini("mini-mpp-loa-kulu"), position=" ", start_date=TODAY, actor=actor
        )
    assert refused.value.code == "position_required"


def test_end_assignment_refuses_twice_and_before_the_start(region, actor):
    posting = roster.assign(
        w.member(), w.mini("mini-mpp-loa-kulu"), position="Loket", start_date=TODAY, actor=actor
    )
    with pytest.raises(RolloutRefused) as early:
        roster.end_assignment(posting, end_date=TODAY - dt.timedelta(days=1), actor=actor)
    assert early.value.code == "ends_before_start"
    roster.end_assignment(posting, end_date=TODAY, actor=actor)
    with pytest.raises(RolloutRefused) as again:
        roster.end_assignment(posting, end_date=TODAY, actor=actor)
    assert again.value.code == "already_ended"
    assert AuditEntry.objects.filter(action="rollout.staff_assignment_ended").count() == 1


def test_local_means_living_in_the_mini_mpps_kecamatan(region, actor):
    loa_kulu = w.mini("mini-mpp-loa-kulu")
    local = w.member(village=w.loa_kulu_village())
    commuter = w.member(village=w.tenggarong_village())
    assert roster.is_local(local, loa_kulu) and not roster.is_local(commuter, loa_kulu)
    for person in (local, commuter):
        roster.assign(person, loa_kulu, position="Loket", start_date=TODAY, actor=actor)
    counts = roster.staff_counts(on=TODAY)
    assert counts[loa_kulu.pk] == roster.StaffCount(total=2, local=1)
    assert counts[loa_kulu.pk].local_percent == 50
    assert roster.regency_count(counts).local_percent == 50
    assert roster.StaffCount(0, 0).local_percent is None


def test_active_assignments_follow_the_day(region, actor):
    loa_kulu = w.mini("mini-mpp-loa-kulu")
    posting = roster.assign(w.member(), loa_kulu, position="Loket", start_date=TODAY, actor=actor)
    roster.end_assignment(posting, end_date=TODAY + dt.timedelta(days=5), actor=actor)
    on = [TODAY - dt.timedelta(days=1), TODAY, TODAY + dt.timedelta(days=5)]
    assert [list(roster.active_assignments([loa_kulu.pk], d)) for d in on] == [
        [],
        [posting],
        [posting],
    ]
    assert list(roster.active_assignments([loa_kulu.pk], TODAY + dt.timedelta(days=6))) == []


def test_a_members_account_is_of_the_region_and_of_one_member(region, actor, uji):
    from mpp.accounts.models import Role
    from mpp.accounts.tests.factories import make_staff

    stranger = make_staff(Role.TENANT_OFFICER, tenant="disdukcapil", region="uji")
    values = {
        "region": region,
        "actor": actor,
        "full_name": "Andi",
        "nip": "",
        "employment": "honorer",
        "domicile_village": w.loa_kulu_village(),
    }
    with pytest.raises(ValidationError) as refused:
        roster.save_member(**values, user=stranger)
    assert refused.value.error_dict["user"][0].code == "user_other_region"
    roster.save_member(**values, user=actor)
    with pytest.raises(ValidationError) as taken:
        roster.save_member(**{**values, "full_name": "Budi"}, user=actor)
    assert taken.value.error_dict["user"][0].code == "user_taken"
