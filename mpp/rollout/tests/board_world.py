"""Hand-built rollout data for the board's tests (test_figures, test_api_board, test_board and
the browser test): Kukar's twenty Mini MPPs with agencies, items, staff and training made here,
after clearing whatever rollout data the region loader or the demo put on Kukar, so the
figures asserted are the ones these builders made."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from mpp.malls.models import District, Mall, Region, Village
from mpp.rollout import models as m

_seq = itertools.count(1)


def clear(region: Region) -> None:
    """Remove the region's rollout data (inside the test's transaction)."""
    m.Certificate.objects.filter(member__region=region).delete()
    m.Assessment.objects.filter(module__region=region).delete()
    m.Attendance.objects.filter(session__region=region).delete()
    m.TrainingSession.objects.filter(region=region).delete()
    m.Assignment.objects.filter(mall__region=region).delete()
    m.StaffMember.objects.filter(region=region).delete()
    m.TrainingModule.objects.filter(region=region).delete()
    m.AgencyMember.objects.filter(agency__region=region).delete()
    m.ReadinessItem.objects.filter(mall__region=region).delete()
    m.ChecklistTemplateItem.objects.filter(region=region).delete()
    m.Agency.objects.filter(region=region).delete()
    m.RolloutPlan.objects.filter(region=region).delete()


def plan(region: Region, target: dt.date) -> m.RolloutPlan:
    return m.RolloutPlan.objects.create(region=region, target_date=target)


def agency(region: Region, code: str, name: str, *, kind: str = m.Agency.Kind.OFFICE) -> m.Agency:
    return m.Agency.objects.create(region=region, code=code, name=name, short_name=name, kind=kind)


def template(
    region: Region, code: str, owner: m.Agency, *, due: dt.date, title: str = ""
) -> m.ChecklistTemplateItem:
    return m.ChecklistTemplateItem.objects.create(
        region=region, code=code, title=title or code.replace("-", " ").capitalize(),
        owner=owner, due_date=due, order=next(_seq),
    )  # fmt: skip


def item(
    mall: Mall, tpl: m.ChecklistTemplateItem, *, status: str = "open", due: dt.date | None = None
) -> m.ReadinessItem:
    done = status == m.ReadinessItem.Status.DONE
    return m.ReadinessItem.objects.create(
        mall=mall, template=tpl, owner=tpl.owner, due_date=due or tpl.due_date, status=status,
        done_at=timezone.now() if done else None,
    )  # fmt: skip


def village_in(district: District) -> Village:
    return Village.objects.filter(district=district).order_by("code")[0]


def member(region: Region, village: Village, name: str = "") -> m.StaffMember:
    n = next(_seq)
    return m.StaffMember.objects.create(
        region=region, full_name=name or f"Pegawai Uji {n}", employment="pns",
        domicile_village=village,
    )  # fmt: skip


def assign(
    staff: m.StaffMember, mall: Mall, *, start: dt.date, end: dt.date | None = None
) -> m.Assignment:
    return m.Assignment.objects.create(
        member=staff, mall=mall, position="Petugas loket depan", start_date=start, end_date=end
    )


def module(
    region: Region, code: str, *, required: bool = True, front_desk: bool = False
) -> m.TrainingModule:
    return m.TrainingModule.objects.create(
        region=region, code=code, title=code.capitalize(), required_to_open_counter=required,
        for_front_desk_only=front_desk, order=next(_seq),
    )  # fmt: skip


def assess(staff: m.StaffMember, mod: m.TrainingModule, *, passed: bool = True) -> m.Assessment:
    return m.Assessment.objects.create(
        member=staff, module=mod, score=85 if passed else 40, passed=passed,
        assessed_at=timezone.now(),
    )  # fmt: skip


def mini_mpps(region: Region) -> list[Mall]:
    return list(
        Mall.objects.filter(region=region, kind=Mall.Kind.MINI_MPP)
        .select_related("district")
        .order_by("district__code")
    )
