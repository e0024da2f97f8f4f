"""Migration 0004: halls built before the front desk existed get one, holding the front counters
that stood in the first tenant's booth."""

from __future__ import annotations

from importlib import import_module
from typing import Any

import pytest
from django.apps import apps

from mpp.metapers.models import Booth, CounterSpot, Hall
from mpp.metapers.plan import validate_hall

pytestmark = pytest.mark.django_db

migration = import_module("mpp.metapers.migrations.0004_front_counters_to_front_desk")


def as_first_built(hall: Hall) -> Booth:
    """The hall as the demo built it before 2026-11-29: the front counters' spots in the first
    tenant's booth (DPMPTSP's), no front desk. Returns that booth."""
    desk = Booth.objects.get(room__hall=hall, tenant__isnull=True)
    dpmptsp = Booth.objects.get(room__hall=hall, tenant__slug="dpmptsp")
    spots = list(desk.spots.order_by("counter__number"))
    for i, spot in enumerate(spots):
        CounterSpot.objects.filter(pk=spot.pk).update(booth=dpmptsp, x=0.5 + 1.5 * i, y=3)
    desk.delete()
    return dpmptsp


def spots_of(booth: Booth) -> list[int]:
    return list(booth.spots.order_by("counter__number").values_list("counter__number", flat=True))


def test_front_counters_move_to_a_new_front_desk_nearest_the_entrance(hall_loakulu: Hall) -> None:
    dpmptsp = as_first_built(hall_loakulu)
    assert spots_of(dpmptsp) == [1, 2]
    assert validate_hall(hall_loakulu)  # the old layout is refused now

    migration.move_front_counters(apps, None)

    desk = Booth.objects.get(room__hall=hall_loakulu, tenant__isnull=True)
    assert spots_of(desk) == [1, 2]
    assert spots_of(dpmptsp) == []
    assert Booth.objects.filter(pk=dpmptsp.pk).exists()  # the tenant keeps its booth
    assert desk.room_id == dpmptsp.room_id and desk.facing == dpmptsp.facing
    assert (desk.width, desk.depth) == (4, 3)
    # Centred on the entrance, as near the lobby as the aisle in front of it allows.
    assert desk.x + desk.width / 2 == hall_loakulu.entrance_x
    assert desk.y + desk.depth + 2 == desk.room.y + desk.room.depth
    # Desks on its front edge, side by side.
    assert [(s.x, s.y) for s in desk.spots.order_by("counter__number")] == [(1.25, 3), (2.75, 3)]
    assert Booth.objects.filter(room=desk.room).first() == desk  # listed first
    assert validate_hall(hall_loakulu) == []


def test_every_mini_mpp_hall_is_mended_and_valid_and_a_rerun_changes_nothing(halls: Any) -> None:
    minis = list(Hall.objects.filter(mall__kind="mini_mpp"))
    for hall in minis:
        as_first_built(hall)
    migration.move_front_counters(apps, None)
    for hall in minis:
        assert validate_hall(hall) == [], hall.mall.slug
    before = list(Booth.objects.order_by("pk").values_list("pk", "x", "y", "position"))
    migration.move_front_counters(apps, None)
    assert list(Booth.objects.order_by("pk").values_list("pk", "x", "y", "position")) == before


def test_a_hall_without_a_free_place_is_left_for_the_admin(hall_loakulu: Hall) -> None:
    dpmptsp = as_first_built(hall_loakulu)
    Booth.objects.filter(room=dpmptsp.room).exclude(pk=dpmptsp.pk).delete()
    room = dpmptsp.room
    type(room).objects.filter(pk=room.pk).update(width=6, depth=8)  # DPMPTSP's booth fills it

    migration.move_front_counters(apps, None)

    assert not Booth.objects.filter(room__hall=hall_loakulu, tenant__isnull=True).exists()
    assert spots_of(dpmptsp) == [1, 2]


def test_reversing_removes_the_front_desks(hall_loakulu: Hall) -> None:
    migration.remove_front_desks(apps, None)
    assert not Booth.objects.filter(tenant__isnull=True).exists()
    assert Booth.objects.filter(room__hall=hall_loakulu).count() == 21
