"""The rollout board's figures (mpp/rollout/figures.py) against data built by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from mpp.malls.models import Village
from mpp.rollout.figures import percent, regency_totals, rollout_rows
from mpp.rollout.tests import board_world as w

TODAY = dt.date(2025, 10, 15)
AS_OF = dt.datetime(2025, 10, 15, 16, 30, tzinfo=dt.UTC)


@pytest.fixture
def world(kukar):  # type: ignore[no-untyped-def]
    """Loa Kulu late on two items (Dinas PU, DPMPTSP), Tenggarong done, Anggana empty; staff
    and training at Loa Kulu."""
    w.clear(kukar)
    w.plan(kukar, dt.date(2025, 12, 31))
    malls = {m.slug: m for m in w.mini_mpps(kukar)}
    loakulu, tenggarong = malls["mini-mpp-loa-kulu"], malls["mini-mpp-tenggarong"]
    dpmptsp = w.agency(kukar, "dpmptsp", "DPMPTSP")
    pu = w.agency(kukar, "dinas-pu", "Dinas PU")
    camat = w.agency(kukar, "camat", "Camat", kind="camat")
    lokasi = w.template(kukar, "lokasi", camat, due=dt.date(2025, 9, 1))
    desain = w.template(kukar, "desain", pu, due=dt.date(2025, 9, 30))
    renovasi = w.template(kukar, "renovasi", pu, due=dt.date(2025, 11, 30))
    jaringan = w.template(kukar, "jaringan", dpmptsp, due=dt.date(2025, 10, 1))
    w.item(loakulu, lokasi, status="done")
    w.item(loakulu, desain, status="blocked")  # late
    w.item(loakulu, renovasi, due=TODAY)  # due today: not late yet
    w.item(loakulu, jaringan, status="in_progress")  # late
    for tpl in (lokasi, desain, renovasi, jaringan):
        w.item(tenggarong, tpl, status="done", due=dt.date(2025, 1, 1))

    here = w.village_in(loakulu.district)
    elsewhere = w.village_in(tenggarong.district)
    start = dt.date(2025, 1, 6)
    s1, s2 = w.member(kukar, here), w.member(kukar, elsewhere)
    s3, s4, s5 = w.member(kukar, here), w.member(kukar, here), w.member(kukar, here)
    w.assign(s1, loakulu, start=start)
    w.assign(s2, loakulu, start=start)
    w.assign(s3, loakulu, start=start, end=TODAY - dt.timedelta(days=1))  # left yesterday
    w.assign(s4, loakulu, start=TODAY + dt.timedelta(days=1))  # starts tomorrow
    w.assign(s5, loakulu, start=start, end=TODAY)  # last day today: still there
    console = w.module(kukar, "konsol")
    front = w.module(kukar, "loket-depan", front_desk=True)
    optional = w.module(kukar, "pilihan", required=False)
    w.assess(s1, console), w.assess(s1, front)
    w.assess(s2, console), w.assess(s2, front, passed=False), w.assess(s2, optional)
    w.assess(s5, console), w.assess(s5, front, passed=False), w.assess(s5, front)
    w.assess(s3, console), w.assess(s3, front)  # trained, but no longer posted
    return {"loakulu": loakulu, "tenggarong": tenggarong, "anggana": malls["mini-mpp-anggana"]}


def _row(rows, mall):  # type: ignore[no-untyped-def]
    return next(r for r in rows if r.mall.pk == mall.pk)


def test_percent_is_whole_rounded_half_up_and_none_without_a_whole():
    assert percent(1, 8) == 13  # 12.5
    assert percent(2, 3) == 67
    assert percent(1, 3) == 33
    assert percent(0, 5) == 0
    assert percent(5, 5) == 100
    assert percent(0, 0) is None


def test_one_row_per_mini_mpp_by_kecamatan_code(world, kukar):
    rows = rollout_rows(kukar, today=TODAY, as_of=AS_OF)
    assert len(rows) == 20
    codes = [r.mall.district.code for r in rows]
    assert codes == sorted(codes)
    assert all(r.as_of == AS_OF for r in rows)
    assert all(r.mall.kind == "mini_mpp" for r in rows)


def test_readiness_counts_done_items_of_all_items(world, kukar):
    rows = rollout_rows(kukar, today=TODAY, as_of=AS_OF)
    loakulu = _row(rows, world["loakulu"])
    assert (loakulu.done, loakulu.total, loakulu.readiness_percent) == (1, 4, 25)
    tenggarong = _row(rows, world["tenggarong"])
    assert (tenggarong.done, tenggarong.total, tenggarong.readiness_percent) == (4, 4, 100)


def test_overdue_is_not_done_and_due_before_today_by_owner_agency(world, kukar):
    loakulu = _row(rollout_rows(kukar, today=TODAY, as_of=AS_OF), world["loakulu"])
    assert loakulu.overdue == 2
    assert loakulu.blocked == 1  # the room design, marked "terhambat"
    assert {(a.code, a.count) for a in loakulu.overdue_by_agency} == {
        ("dinas-pu", 1),
        ("dpmptsp", 1),
    }
    # Done items are never late, whatever their due date.
    assert _row(rollout_rows(kukar, today=TODAY, as_of=AS_OF), world["tenggarong"]).overdue == 0
    # A day later the item due today is late too.
    later = _row(
        rollout_rows(kukar, today=TODAY + dt.timedelta(days=1), as_of=AS_OF), world["loakulu"]
    )
    assert later.overdue == 3
    assert {(a.code, a.count) for a in later.overdue_by_agency} == {
        ("dinas-pu", 2),
        ("dpmptsp", 1),
    }


def test_staff_counts_active_assignments_and_local_by_domicile_kecamatan(world, kukar):
    loakulu = _row(rollout_rows(kukar, today=TODAY, as_of=AS_OF), world["loakulu"])
    assert (loakulu.staff_total, loakulu.staff_local, loakulu.local_percent) == (3, 2, 67)


def test_trained_means_passed_every_module_required_to_open_a_counter(world, kukar):
    loakulu = _row(rollout_rows(kukar, today=TODAY, as_of=AS_OF), world["loakulu"])
    # s1 passed both; s5 failed then passed the front desk's; s2 failed it (the optional
    # module does not count).
    assert (loakulu.trained_total, loakulu.trained_passed, loakulu.trained_percent) == (3, 2, 67)


def test_a_mini_mpp_without_items_or_staff_has_null_percentages_not_zero(world, kukar):
    anggana = _row(rollout_rows(kukar, today=TODAY, as_of=AS_OF), world["anggana"])
    assert (anggana.done, anggana.total, anggana.readiness_percent) == (0, 0, None)
    assert (anggana.staff_total, anggana.local_percent) == (0, None)
    assert (anggana.trained_total, anggana.trained_percent) == (0, None)
    assert anggana.overdue == 0 and anggana.overdue_by_agency == []


def test_days_to_target_counts_down_and_goes_negative_when_late(world, kukar):
    rows = rollout_rows(kukar, today=TODAY, as_of=AS_OF)
    assert {r.days_to_target for r in rows} == {77}
    late = rollout_rows(kukar, today=dt.date(2026, 1, 2), as_of=AS_OF)
    assert late[0].days_to_target == -2


def test_without_a_rollout_plan_days_to_target_is_none(world, kukar):
    kukar.rollout_plan.delete()
    rows = rollout_rows(kukar, today=TODAY, as_of=AS_OF)
    assert rows[0].days_to_target is None and rows[0].target_date is None


def test_regency_totals_sum_the_rows(world, kukar):
    totals = regency_totals(rollout_rows(kukar, today=TODAY, as_of=AS_OF))
    assert totals.malls == 20 and totals.as_of == AS_OF
    assert (totals.done, totals.total, totals.readiness_percent) == (5, 8, 63)  # 62.5
    assert totals.overdue == 2 and totals.blocked == 1
    # Most overdue first, then by name.
    assert [(a.code, a.count) for a in totals.overdue_by_agency] == [
        ("dpmptsp", 1),
        ("dinas-pu", 1),
    ]
    assert (totals.staff_total, totals.staff_local, totals.local_percent) == (3, 2, 67)
    assert (totals.trained_total, totals.trained_passed) == (3, 2)
    assert sum(totals.by_status.values()) == 20
    assert totals.days_to_target == 77


def test_regency_totals_of_no_rows_are_empty_with_null_percentages():
    totals = regency_totals([])
    assert totals.malls == 0 and totals.as_of is None
    assert totals.readiness_percent is None and totals.local_percent is None


def test_the_figures_take_a_fixed_number_of_queries(world, kukar, django_assert_max_num_queries):
    # More staff and assessments at every Mini MPP do not add queries.
    console = kukar.training_modules.get(code="konsol")
    for mall in w.mini_mpps(kukar):
        staff = w.member(kukar, Village.objects.filter(district=mall.district).first())
        w.assign(staff, mall, start=dt.date(2025, 1, 6))
        w.assess(staff, console)
    with django_assert_max_num_queries(7):
        rows = rollout_rows(kukar, today=TODAY, as_of=AS_OF)
    assert sum(r.staff_total for r in rows) == 23
    assert sum(r.staff_local for r in rows) == 22
