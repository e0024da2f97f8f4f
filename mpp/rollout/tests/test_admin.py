"""The rollout's admin: every model registered and scoped; DPMPTSP alone changes; the roster
and per-person training records only for DPMPTSP and BKPSDM, never with a full NIP; changes
with rules go through their actions (a readiness item is not done without its evidence, a
person is not posted twice), and what the actions write is read-only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from mpp.core.models import AuditEntry
from mpp.rollout import models as m
from mpp.rollout import roster
from mpp.rollout.tests import roster_world as w

ROLLOUT_MODELS = [
    m.RolloutPlan,
    m.Agency,
    m.AgencyMember,
    m.ChecklistTemplateItem,
    m.ReadinessItem,
    m.MallStatusChange,
    m.TrialDay,
    m.StaffMember,
    m.Assignment,
    m.TrainingModule,
    m.TrainingSession,
    m.Attendance,
    m.Assessment,
    m.Certificate,
]


def url(model: type, view: str = "changelist", *args: object) -> str:
    meta = model._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=args)


def client_of(user: object) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def region(kukar):  # type: ignore[no-untyped-def]
    w.clear_roster(kukar)
    return kukar


@pytest.fixture
def admin_client(region, cast):  # type: ignore[no-untyped-def]
    return client_of(cast.regency_admin())


@pytest.fixture
def member(region):  # type: ignore[no-untyped-def]
    return w.member(name="Siti Rahmawati", nip=w.PNS_NIP, employment="pns")


@pytest.fixture
def item(region, mall_loakulu):  # type: ignore[no-untyped-def]
    """A readiness item of Loa Kulu whose template asks for a PDF document."""
    owner = w.agency(region, "dinas-pu", "Dinas PU")
    template = m.ChecklistTemplateItem.objects.create(
        region=region,
        code="uji-desain-ruang",
        title="Desain ruang (uji)",
        owner=owner,
        evidence=m.Evidence.DOCUMENT,
        due_date=dt.date(2030, 9, 30),
    )
    return m.ReadinessItem.objects.create(
        mall=mall_loakulu, template=template, owner=owner, due_date=dt.date(2030, 9, 30)
    )


def test_every_rollout_model_has_an_admin():
    assert all(model in admin.site._registry for model in ROLLOUT_MODELS)


@pytest.mark.parametrize(
    "who", ["leadership", "auditor", "supervisor_loakulu", "officer_dukcapil", "pu"]
)
def test_the_roster_and_personal_training_records_are_403_for_others(cast, member, who):
    user = w.dinas_pu() if who == "pu" else getattr(cast, who)()
    client = client_of(user)
    for model in (m.StaffMember, m.Assignment, m.Attendance, m.Assessment, m.Certificate):
        assert client.get(url(model)).status_code == 403, model
    assert client.get(url(m.StaffMember, "change", member.pk)).status_code in (302, 403)
    response = client.post(url(m.StaffMember, "change", member.pk), {"full_name": "X"})
    assert response.status_code in (302, 403)
    member.refresh_from_db()
    assert member.full_name == "Siti Rahmawati"


def test_bkpsdm_reads_the_roster_with_a_masked_nip_and_changes_nothing(member):
    client = client_of(w.bkpsdm())
    listed = client.get(url(m.StaffMember))
    assert listed.status_code == 200
    html = listed.content.decode()
    assert "Siti Rahmawati" in html and "••••••••••••••1001" in html
    assert w.PNS_NIP not in html
    shown = client.get(url(m.StaffMember, "change", member.pk))
    assert shown.status_code == 200 and w.PNS_NIP not in shown.content.decode()
    assert client.post(url(m.StaffMember, "change", member.pk), {}).status_code == 403
    assert client.get(url(m.StaffMember, "add")).status_code == 403
    assert client.get(url(m.Agency, "add")).status_code == 403


def test_leadership_reads_the_plan_and_agencies_but_changes_nothing(region, cast):
    office = w.agency(region, "dinas-pu", "Dinas PU")
    client = client_of(cast.leadership())
    assert client.get(url(m.Agency)).status_code == 200
    assert client.post(url(m.Agency, "change", office.pk), {"name": "X"}).status_code == 403
    assert client.get(url(m.Agency, "add")).status_code == 403


def test_dpmptsp_adds_an_agency_of_its_own_region(admin_client, region):
    response = admin_client.post(
        url(m.Agency, "add"),
        {"code": "diskominfo-uji", "name": "Diskominfo", "short_name": "Kominfo", "kind": "office"},
    )
    assert response.status_code == 302
    assert m.Agency.objects.get(code="diskominfo-uji").region == region


def test_dpmptsp_changes_a_member_through_the_roster_rules(admin_client, member, uji):
    change = url(m.StaffMember, "change", member.pk)
    shown = admin_client.get(change)
    assert shown.status_code == 200 and w.PNS_NIP not in shown.content.decode()
    data = {
        "full_name": "Siti R.",
        "employment": "pns",
        "nip": "",  # left empty: kept
        "domicile_village": w.tenggarong_village().pk,
        "user": "",
    }
    assert admin_client.post(change, data).status_code == 302
    member.refresh_from_db()
    assert (member.full_name, member.nip) == ("Siti R.", w.PNS_NIP)
    assert AuditEntry.objects.filter(
        action="rollout.staff_changed", object_id=str(member.pk)
    ).exists()
    outside = {**data, "domicile_village": w.village("99.01.02.2001").pk}
    refused = admin_client.post(change, outside)
    assert refused.status_code == 200  # the form again, with its error
    assert refused.context["adminform"].form.errors["domicile_village"]
    bad_nip = admin_client.post(change, {**data, "nip": "123"})
    assert "tepat 18 angka" in str(bad_nip.context["adminform"].form.errors["nip"])
    member.refresh_from_db()
    assert member.domicile_village.code == "64.02.06.1001"


def test_dpmptsp_adds_a_member_in_the_admin(admin_client, region):
    response = admin_client.post(
        url(m.StaffMember, "add"),
        {
            "full_name": "Andi",
            "employment": "honorer",
            "nip": "",
            "domicile_village": w.loa_kulu_village().pk,
            "user": "",
        },
    )
    assert response.status_code == 302
    added = m.StaffMember.objects.get(full_name="Andi")
    assert added.region == region
    assert AuditEntry.objects.filter(action="rollout.staff_added").count() == 1


def test_a_posting_in_the_admin_obeys_one_mini_mpp_at_a_time(admin_client, member, mall_mpp):
    data = {"member": member.pk, "position": "Loket", "start_date": "2025-06-02"}
    loa_kulu, tenggarong = w.mini("mini-mpp-loa-kulu"), w.mini("mini-mpp-tenggarong")
    made = admin_client.post(url(m.Assignment, "add"), {**data, "mall": loa_kulu.pk})
    assert made.status_code == 302
    posting = m.Assignment.objects.get(member=member)
    assert posting.assigned_by is not None
    refused = admin_client.post(
        url(m.Assignment, "add"), {**data, "mall": tenggarong.pk}, follow=True
    )
    assert "masih bertugas di Mini MPP Loa Kulu" in refused.content.decode()
    assert m.Assignment.objects.filter(member=member).count() == 1
    # The MPP is no choice: only a Mini MPP takes staff.
    offered = admin_client.get(url(m.Assignment, "add")).context["adminform"].form
    assert mall_mpp not in offered.fields["mall"].queryset
    # The end date goes through roster.end_assignment; the rest is read-only.
    change = url(m.Assignment, "change", posting.pk)
    ended = admin_client.post(
        change, {"end_date": "2025-06-30", "mall": tenggarong.pk, "position": "X"}
    )
    assert ended.status_code == 302
    posting.refresh_from_db()
    assert (posting.end_date, posting.mall, posting.position) == (
        dt.date(2025, 6, 30),
        loa_kulu,
        "Loket",
    )
    assert AuditEntry.objects.filter(action="rollout.staff_assignment_ended").count() == 1


def test_a_readiness_item_is_not_done_in_the_admin_without_its_evidence(admin_client, item):
    change = url(m.ReadinessItem, "change", item.pk)
    shown = admin_client.get(change)
    assert shown.status_code == 200
    form = shown.context["adminform"].form
    assert "done_by" not in form.fields and "evidence_file" not in form.fields
    data = {
        "owner": item.owner_id,
        "due_date": "2030-09-30",
        "status": "done",
        "note": "",
        "detail": "",
        "decree_number": "",
        "decree_date": "",
        "done_by": "1",
    }
    refused = admin_client.post(change, data, follow=True)
    item.refresh_from_db()
    assert item.status == "open" and item.done_by is None
    assert refused.status_code == 200
    assert any(msg.level_tag == "error" for msg in refused.context["messages"])
    progress = admin_client.post(change, {**data, "status": "in_progress", "note": "Gambar"})
    assert progress.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.note) == ("in_progress", "Gambar")
    assert AuditEntry.objects.filter(action="rollout.item_marked").count() == 1


def test_a_due_date_before_the_items_creation_is_refused_in_the_admin(admin_client, item):
    change = url(m.ReadinessItem, "change", item.pk)
    data = {
        "owner": item.owner_id,
        "due_date": "2000-01-01",
        "status": "open",
        "note": "",
        "detail": "",
        "decree_number": "",
        "decree_date": "",
    }
    admin_client.post(change, data)
    item.refresh_from_db()
    assert item.due_date == dt.date(2030, 9, 30)


def test_readiness_items_and_status_changes_are_never_added_in_the_admin(admin_client):
    assert admin_client.get(url(m.ReadinessItem, "add")).status_code == 403
    assert admin_client.get(url(m.MallStatusChange, "add")).status_code == 403
    assert admin_client.get(url(m.TrialDay, "add")).status_code == 403


def test_a_status_change_is_read_only(admin_client, cast, mall_loakulu):
    change = m.MallStatusChange.objects.create(
        mall=mall_loakulu, from_status="preparing", to_status="operating", actor=None
    )
    page = url(m.MallStatusChange, "change", change.pk)
    assert admin_client.get(page).status_code == 200
    assert admin_client.post(page, {"to_status": "planned"}).status_code == 403
    change.refresh_from_db()
    assert change.to_status == "operating"


def test_a_mall_supervisor_sees_their_mini_mpps_items_and_changes_nothing(cast, item, mall_mpp):
    client = client_of(cast.supervisor_loakulu())
    shown = client.get(url(m.ReadinessItem, "change", item.pk))
    assert shown.status_code == 200
    assert "/persiapan/kesiapan/" not in shown.content.decode()  # DPMPTSP's page, not theirs
    assert (
        "/persiapan/kesiapan/"
        in client_of(cast.leadership())
        .get(url(m.ReadinessItem, "change", item.pk))
        .content.decode()
    )
    assert client.post(url(m.ReadinessItem, "change", item.pk), {}).status_code == 403
    other = client_of(cast.supervisor_mpp())
    assert other.get(url(m.ReadinessItem, "change", item.pk)).status_code == 302  # not found


def test_a_trial_days_counts_are_read_only(admin_client, mall_loakulu):
    trial = m.TrialDay.objects.create(
        mall=mall_loakulu, day=dt.date(2025, 6, 2), tickets_issued=3, tickets_called=2
    )
    response = admin_client.post(
        url(m.TrialDay, "change", trial.pk),
        {"note": "Uji coba pertama", "tickets_issued": 99, "tickets_called": 99},
    )
    assert response.status_code == 302
    trial.refresh_from_db()
    assert (trial.note, trial.tickets_issued, trial.tickets_called) == ("Uji coba pertama", 3, 2)


def test_nothing_of_the_rollout_is_deleted_in_the_admin(admin_client, member, item):
    assert admin_client.get(url(m.StaffMember, "delete", member.pk)).status_code == 403
    assert admin_client.get(url(m.ReadinessItem, "delete", item.pk)).status_code == 403


def test_another_regions_rows_are_not_found(admin_client, uji):
    other = m.StaffMember.objects.create(
        region=uji,
        full_name="Orang Uji",
        employment="honorer",
        domicile_village=w.village("99.01.02.2001"),
    )
    response = admin_client.get(url(m.StaffMember, "change", other.pk))
    assert response.status_code == 302  # the admin's "does not exist" redirect
    assert "Orang Uji" not in admin_client.get(url(m.StaffMember)).content.decode()


def test_the_roster_admin_lists_with_a_masked_nip_for_dpmptsp(admin_client, member, cast):
    roster.assign(
        member,
        w.mini("mini-mpp-loa-kulu"),
        position="Loket",
        start_date=dt.date(2025, 6, 2),
        actor=cast.regency_admin(),
    )
    for model in (m.StaffMember, m.Assignment):
        response = admin_client.get(url(model))
        assert response.status_code == 200 and w.PNS_NIP not in response.content.decode()
