"""The demo's rollout (rollout.demo): consistent with the malls' statuses, labelled, the demo
officers trained, deterministic and written once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.storage import default_storage

from mpp.malls.models import Mall
from mpp.regions.demo import create_demo_accounts
from mpp.rollout.demo import SESSION_TITLE, load_demo_rollout
from mpp.rollout.gate import gate_problems
from mpp.rollout.models import (
    Assessment,
    Assignment,
    Certificate,
    Evidence,
    ReadinessItem,
    RolloutPlan,
    StaffMember,
    TrainingSession,
    TrialDay,
)
from mpp.rollout.roster import is_local
from mpp.rollout.training import missing_modules_for_counter

Status = ReadinessItem.Status


@pytest.fixture
def demo(kukar):  # type: ignore[no-untyped-def]
    create_demo_accounts("kukar")
    made = load_demo_rollout(kukar)
    assert made is not None
    return made


def _minis(status: str) -> list[Mall]:
    return list(Mall.objects.filter(kind=Mall.Kind.MINI_MPP, region__slug="kukar", status=status))


def test_every_operating_mini_mpp_passes_the_go_live_gate_with_its_evidence(demo):
    operating = _minis(Mall.Status.OPERATING)
    assert len(operating) == 14
    for mall in operating:
        assert gate_problems(mall) == [], mall.slug
        staff = Assignment.objects.filter(mall=mall, end_date__isnull=True)
        assert 2 <= staff.count() <= 4
        assert sum(is_local(a.member, mall) for a in staff) * 2 > staff.count()
    done = ReadinessItem.objects.filter(mall__in=operating, status=Status.DONE)
    decrees = done.filter(template__evidence=Evidence.DECREE)
    assert decrees.exists()
    assert not decrees.filter(decree_number="").exists()
    assert not decrees.filter(decree_date__isnull=True).exists()
    files = done.filter(template__evidence__in=[Evidence.DOCUMENT, Evidence.PHOTO])
    assert not files.filter(evidence_file="").exists()
    pdf = files.filter(evidence_type="application/pdf").first()
    with default_storage.open(pdf.evidence_file) as stored:
        assert stored.read(5) == b"%PDF-"
    png = files.filter(evidence_type="image/png").first()
    with default_storage.open(png.evidence_file) as stored:
        assert stored.read(8) == b"\x89PNG\r\n\x1a\n"
    assert not done.filter(done_at__isnull=True).exists()
    assert not done.exclude(note__startswith="Data contoh").exists()


def test_preparing_ones_are_partly_done_and_late_at_several_agencies(demo, kukar):
    preparing = _minis(Mall.Status.PREPARING)
    assert len(preparing) == 4
    today = dt.date.today()
    for mall in preparing:
        items = ReadinessItem.objects.filter(mall=mall)
        assert 0 < items.filter(status=Status.DONE).count() < items.count()
        assert gate_problems(mall) != []
    overdue = ReadinessItem.objects.filter(mall__in=preparing, due_date__lt=today).exclude(
        status=Status.DONE
    )
    assert overdue.values("owner").distinct().count() >= 3
    blocked = ReadinessItem.objects.filter(mall__region=kukar, status=Status.BLOCKED)
    assert blocked.count() == 1
    network = blocked.get()
    assert network.template.code == "jaringan" and "satelit" in network.detail
    assert network.mall.slug == "mini-mpp-tabang"
    for mall in _minis(Mall.Status.PLANNED):
        items = ReadinessItem.objects.filter(mall=mall)
        assert items.filter(status=Status.OPEN).count() > items.count() // 2
        assert not Assignment.objects.filter(mall=mall).exists()


def test_the_demo_requires_training_and_its_officers_passed_every_module(demo, kukar):
    assert RolloutPlan.objects.get(region=kukar).training_required_to_open
    session = TrainingSession.objects.get(title=SESSION_TITLE)
    assert session.venue.slug == "mpp-kukar"
    assert session.attendance.filter(present=True).exists()
    for username, slug in (
        ("petugas.dukcapil", "mini-mpp-tenggarong-seberang"),
        ("pengawas.loakulu", "mini-mpp-loa-kulu"),
    ):
        member = StaffMember.objects.get(user__username=username)
        mall = Mall.objects.get(slug=slug)
        assert Assignment.objects.filter(member=member, mall=mall).exists()
        assert missing_modules_for_counter(member.user, mall, front_desk=True) == []
        assert Certificate.objects.filter(member=member, session=session).exists()
    trained = Assessment.objects.filter(passed=True).values("member").distinct().count()
    assert trained > StaffMember.objects.count() // 2
    assert Assessment.objects.filter(passed=False).exists()  # plausible: not everyone passes


def test_nips_are_synthetic_and_unique(demo):
    nips = list(StaffMember.objects.exclude(nip="").values_list("nip", flat=True))
    assert len(nips) == len(set(nips)) and nips
    assert all(len(n) == 18 and n.isdigit() and int(n[-3:]) >= 900 for n in nips)


def test_running_it_again_changes_nothing_and_the_seed_gives_the_same_rollout(demo, kukar):
    counts = (
        StaffMember.objects.count(),
        ReadinessItem.objects.filter(status=Status.DONE).count(),
        TrialDay.objects.count(),
        Assessment.objects.count(),
    )
    names = sorted(StaffMember.objects.values_list("full_name", flat=True))
    assert load_demo_rollout(kukar) is None
    assert counts == (
        StaffMember.objects.count(),
        ReadinessItem.objects.filter(status=Status.DONE).count(),
        TrialDay.objects.count(),
        Assessment.objects.count(),
    )
    # The same seed, from scratch: the same people.
    for model in (Certificate, Assessment, TrainingSession, Assignment, StaffMember, TrialDay):
        model.objects.all().delete()
    load_demo_rollout(kukar)
    assert sorted(StaffMember.objects.values_list("full_name", flat=True)) == names
