"""Floor-plan validation: each kind of error names its element; touching edges are allowed;
the front desk and where front counters stand; the scene budget; the demo plans of Kukar are
valid, and a Mini MPP's front counters stand at its front desk."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mpp.metapers.plan import Plan, PlanBooth, PlanRoom, PlanSpot, Rect, validate_plan

D = Decimal
MALL, OTHER_MALL = 1, 2
DUKCAPIL, IMIGRASI, ABSENT = 10, 11, 99


def rect(x: str, y: str, w: str, d: str) -> Rect:
    return Rect(D(x), D(y), D(w), D(d))


def booth(tenant: int, name: str, r: Rect, *spots: PlanSpot) -> PlanBooth:
    return PlanBooth(tenant_id=tenant, tenant_name=name, rect=r, spots=list(spots))


def front_desk(r: Rect, *spots: PlanSpot) -> PlanBooth:
    return PlanBooth(tenant_id=None, tenant_name="Loket Pelayanan", rect=r, spots=list(spots))


def spot(
    number: int, x: str = "1", y: str = "3", *, mall: int = MALL, tenant: int | None = DUKCAPIL
) -> PlanSpot:
    return PlanSpot(number=number, counter_mall_id=mall, counter_tenant_id=tenant, x=D(x), y=D(y))


def plan(
    *rooms: PlanRoom,
    entrance: tuple[str, str] = ("20", "30"),
    portal: bool = False,
    front_counters: bool = False,
) -> Plan:
    return Plan(
        mall_id=MALL,
        width=D("40"),
        depth=D("30"),
        entrance_x=D(entrance[0]),
        entrance_y=D(entrance[1]),
        has_portal=portal,
        rooms=list(rooms),
        tenants_at_mall=frozenset({DUKCAPIL, IMIGRASI}),
        has_front_counters=front_counters,
    )


def service_room(*booths: PlanBooth, r: Rect | None = None) -> PlanRoom:
    return PlanRoom(name="Ruang Layanan", rect=r or rect("0", "0", "40", "22"), booths=list(booths))


def messages(p: Plan) -> list[str]:
    return [str(e) for e in validate_plan(p)]


def test_a_valid_plan_has_no_errors():
    dukcapil = booth(DUKCAPIL, "Disdukcapil Kukar", rect("2", "2", "6", "3"), spot(2), spot(3, "4"))
    lobby = PlanRoom(name="Lobi", rect=rect("0", "22", "40", "8"))
    assert validate_plan(plan(service_room(dukcapil), lobby)) == []


def test_booths_and_rooms_that_only_touch_are_allowed():
    left = booth(DUKCAPIL, "Disdukcapil Kukar", rect("2", "2", "6", "3"))
    right = booth(IMIGRASI, "Imigrasi", rect("8", "2", "4", "3"), spot(6, tenant=IMIGRASI))
    # A room ending exactly where the next starts, a booth flush with its room's walls.
    corner = booth(DUKCAPIL, "Disdukcapil Kukar", rect("0", "0", "2", "2"))
    lobby = PlanRoom(name="Lobi", rect=rect("0", "22", "40", "8"))
    assert messages(plan(service_room(left, right), lobby)) == []
    assert messages(plan(service_room(corner))) == []


def test_exact_decimals_are_compared_without_float_rounding():
    # 0.1 + 0.2 == 0.3 exactly in Decimal: these booths touch, they do not overlap.
    a = booth(DUKCAPIL, "Disdukcapil Kukar", rect("0.1", "1", "0.2", "1"))
    b = booth(IMIGRASI, "Imigrasi", rect("0.3", "1", "1", "1"))
    assert messages(plan(service_room(a, b))) == []


def test_a_room_outside_the_hall_is_named():
    room = PlanRoom(name="Ruang PATEN", rect=rect("30", "0", "12", "10"))
    assert messages(plan(room)) == ["Ruang 'Ruang PATEN': berada di luar aula."]


def test_overlapping_rooms_are_named():
    a = PlanRoom(name="Ruang Layanan", rect=rect("0", "0", "40", "22"))
    b = PlanRoom(name="Lobi", rect=rect("0", "21.5", "40", "8"))
    assert messages(plan(a, b)) == ["Ruang 'Ruang Layanan': bertumpang tindih dengan Ruang 'Lobi'."]


def test_a_booth_outside_its_room_is_named():
    stray = booth(DUKCAPIL, "Disdukcapil Kukar", rect("38", "2", "3", "3"))
    assert messages(plan(service_room(stray))) == [
        "Gerai Disdukcapil Kukar: berada di luar Ruang 'Ruang Layanan'."
    ]


def test_overlapping_booths_are_named():
    a = booth(DUKCAPIL, "Disdukcapil Kukar", rect("2", "2", "6", "3"))
    b = booth(IMIGRASI, "Imigrasi", rect("7.99", "4.99", "3", "3"))
    assert messages(plan(service_room(a, b))) == [
        "Gerai Disdukcapil Kukar: bertumpang tindih dengan Gerai Imigrasi."
    ]


def test_a_counter_spot_outside_its_booth_is_named():
    a = booth(DUKCAPIL, "Disdukcapil Kukar", rect("2", "2", "6", "3"), spot(3, "6.01", "3"))
    assert messages(plan(service_room(a))) == ["Loket 3: berada di luar Gerai Disdukcapil Kukar."]


def test_a_counter_of_another_mall_is_named():
    a = booth(DUKCAPIL, "Disdukcapil Kukar", rect("2", "2", "6", "3"), spot(1, mall=OTHER_MALL))
    assert messages(plan(service_room(a))) == ["Loket 1: adalah loket mal lain."]


def test_a_counter_of_another_tenant_is_named():
    a = booth(DUKCAPIL, "Disdukcapil Kukar", rect("2", "2", "6", "3"), spot(6, tenant=IMIGRASI))
    assert messages(plan(service_room(a))) == [
        "Loket 6: adalah loket instansi lain, bukan Gerai Disdukcapil Kukar."
    ]


def test_a_front_desk_holds_the_front_counters_of_a_mall_that_has_them():
    desk = front_desk(rect("2", "2", "4", "3"), spot(1, tenant=None), spot(2, "2.5", tenant=None))
    # Beside tenant booths without counters: the front desk serves them.
    dukcapil = booth(DUKCAPIL, "Disdukcapil Kukar", rect("7", "2", "2.5", "3"))
    assert messages(plan(service_room(desk, dukcapil), front_counters=True)) == []


def test_a_front_counter_in_a_tenants_booth_is_named():
    a = booth(DUKCAPIL, "Disdukcapil Kukar", rect("2", "2", "6", "3"), spot(1, tenant=None))
    assert messages(plan(service_room(a), front_counters=True)) == [
        "Loket 1: adalah loket depan: tempatnya di Loket Pelayanan, bukan di Gerai Disdukcapil "
        "Kukar."
    ]


def test_a_tenants_counter_at_the_front_desk_is_named():
    desk = front_desk(rect("2", "2", "4", "3"), spot(1, tenant=None), spot(3, "2.5"))
    assert messages(plan(service_room(desk), front_counters=True)) == [
        "Loket 3: adalah loket instansi: tempatnya di gerai instansinya, bukan di Loket Pelayanan."
    ]


def test_a_front_desk_at_a_mall_without_front_counters_is_named():
    desk = front_desk(rect("2", "2", "4", "3"))
    assert messages(plan(service_room(desk), front_counters=False)) == [
        "Loket Pelayanan: mal ini tidak punya loket depan (loket tanpa instansi)."
    ]


def test_a_second_front_desk_is_named():
    first = front_desk(rect("2", "2", "4", "3"), spot(1, tenant=None))
    second = front_desk(rect("10", "2", "4", "3"), spot(2, tenant=None))
    assert messages(plan(service_room(first, second), front_counters=True)) == [
        "Loket Pelayanan: aula ini sudah punya Loket Pelayanan."
    ]


def test_a_front_desk_is_named_as_such_when_it_overlaps_a_booth():
    desk = front_desk(rect("2", "2", "4", "3"))
    dukcapil = booth(DUKCAPIL, "Disdukcapil Kukar", rect("5", "2", "3", "3"))
    assert messages(plan(service_room(desk, dukcapil), front_counters=True)) == [
        "Loket Pelayanan: bertumpang tindih dengan Gerai Disdukcapil Kukar."
    ]


def test_a_booth_of_a_tenant_absent_from_the_mall_is_named():
    a = booth(ABSENT, "Bank Lain", rect("2", "2", "6", "3"))
    assert messages(plan(service_room(a))) == [
        "Gerai Bank Lain: instansi ini tidak bertugas di mal ini."
    ]


def test_a_second_booth_of_the_same_tenant_is_named():
    a = booth(DUKCAPIL, "Disdukcapil Kukar", rect("2", "2", "6", "3"))
    b = booth(DUKCAPIL, "Disdukcapil Kukar", rect("10", "2", "6", "3"))
    assert messages(plan(service_room(a, b))) == [
        "Gerai Disdukcapil Kukar: instansi ini sudah punya gerai di aula ini."
    ]


@pytest.mark.parametrize("where", [("-0.01", "30"), ("20", "30.01"), ("40.5", "10")])
def test_an_entrance_outside_the_hall_is_named(where):
    assert messages(plan(service_room(), entrance=where)) == ["Pintu masuk: berada di luar aula."]


def test_every_error_is_reported_at_once():
    stray = booth(
        ABSENT, "Bank Lain", rect("38", "2", "3", "3"), spot(9, "5", "1", mall=OTHER_MALL)
    )
    found = messages(plan(service_room(stray), entrance=("50", "0")))
    assert len(found) == 5
    assert found[0] == "Pintu masuk: berada di luar aula."


def test_a_plan_over_the_scene_budget_is_refused():
    # 12 triangles per counter desk: 4,200 desks are more than a phone is asked to draw.
    desks = [spot(n) for n in range(1, 4201)]
    crowded = booth(DUKCAPIL, "Disdukcapil Kukar", rect("2", "2", "6", "3"), *desks)
    found = validate_plan(plan(service_room(crowded)))
    assert [e.element for e in found] == ["Aula"]
    assert "melebihi batas tampilan 3D" in found[0].message
    assert "paling banyak 50000" in found[0].message


def test_a_plan_just_within_the_budget_is_accepted():
    desks = [spot(n) for n in range(1, 4100)]
    crowded = booth(DUKCAPIL, "Disdukcapil Kukar", rect("2", "2", "6", "3"), *desks)
    assert validate_plan(plan(service_room(crowded))) == []


def test_every_demo_plan_of_kukar_is_valid(halls):
    from mpp.malls.models import Mall
    from mpp.metapers.models import Hall
    from mpp.metapers.plan import validate_hall

    built = list(Hall.objects.select_related("mall"))
    # Every mall has one: the MPP and all 20 Mini MPPs, operating or still in preparation.
    assert {h.mall_id for h in built} == set(Mall.objects.values_list("pk", flat=True))
    assert Mall.objects.filter(kind=Mall.Kind.MINI_MPP).count() == 20
    for hall in built:
        assert validate_hall(hall) == [], hall.mall.slug


def test_demo_halls_are_built_once(halls):
    from mpp.metapers.demo import ensure_demo_halls
    from mpp.metapers.models import Booth, Hall

    before = (Hall.objects.count(), Booth.objects.count())
    assert ensure_demo_halls(halls) == 0
    assert (Hall.objects.count(), Booth.objects.count()) == before


def test_a_mini_mpp_hall_is_its_paten_room_with_a_portal_to_the_mpp(hall_loakulu, mall_mpp):
    rooms = list(hall_loakulu.rooms.all())
    assert rooms[0].kind == "paten"
    assert rooms[0].name == hall_loakulu.mall.paten_room
    assert hall_loakulu.portal_to == mall_mpp


def test_the_demo_hall_of_a_mini_mpp_has_its_front_counters_at_the_front_desk(hall_loakulu):
    from mpp.metapers.models import Booth

    booths = list(Booth.objects.filter(room__hall=hall_loakulu).prefetch_related("spots__counter"))
    desk = booths[0]  # first in the list
    assert desk.tenant is None and desk.name == "Loket Pelayanan"
    assert [s.counter.number for s in desk.spots.all()] == [1, 2]
    assert all(s.counter.tenant_id is None for s in desk.spots.all())
    tenants = booths[1:]
    assert tenants[0].tenant.slug == "dpmptsp"
    assert all(not b.spots.all() for b in tenants)  # DPMPTSP's booth holds none either
    assert len(tenants) == hall_loakulu.mall.mall_tenants.count()
    # Straight ahead of the entrance, facing it, in the row nearest the lobby.
    assert desk.x + desk.width / 2 == hall_loakulu.entrance_x
    assert desk.facing == "S"
    assert desk.y > max(b.y for b in tenants)


def test_the_mpp_has_no_front_desk(hall_mpp):
    from mpp.metapers.models import Booth

    assert not Booth.objects.filter(room__hall=hall_mpp, tenant__isnull=True).exists()


def test_the_demo_places_every_counter_of_the_mpp(hall_mpp):
    from mpp.metapers.models import CounterSpot
    from mpp.queueing.models import Counter

    placed = set(
        CounterSpot.objects.filter(booth__room__hall=hall_mpp).values_list("counter", flat=True)
    )
    assert placed == set(Counter.objects.filter(mall=hall_mpp.mall).values_list("pk", flat=True))
