"""The scene JSON of the demo MPP and of a Mini MPP: its shape, counts, counters' absolute
positions, the front desk, the budget."""

from __future__ import annotations

from decimal import Decimal

from mpp.metapers.scene import MAX_DRAW_CALLS, MAX_TRIANGLES, estimate, load_hall, scene_of


def test_the_mpp_scene_has_every_tenant_and_counter(client, hall_mpp):
    from mpp.catalog.models import MallTenant
    from mpp.queueing.models import Counter

    response = client.get(f"/metapers/{hall_mpp.mall.slug}/scene.json")
    assert response.status_code == 200
    scene = response.json()
    assert scene["version"] == 2
    assert scene["mall"]["slug"] == "mpp-kukar"
    assert scene["portal"] is None
    assert [r["kind"] for r in scene["rooms"]] == ["service", "lobby"]
    assert len(scene["booths"]) == MallTenant.objects.filter(mall=hall_mpp.mall).count()
    assert not any(b["front_desk"] for b in scene["booths"])
    numbers = sorted(c["number"] for b in scene["booths"] for c in b["counters"])
    expected = Counter.objects.filter(mall=hall_mpp.mall).values_list("number", flat=True)
    assert numbers == sorted(expected)


def test_counters_are_placed_at_absolute_positions_inside_their_booth(hall_mpp):
    from mpp.metapers.models import CounterSpot

    scene = scene_of(load_hall(hall_mpp.mall_id))
    dukcapil = next(b for b in scene["booths"] if b["tenant"]["slug"] == "disdukcapil")
    assert [c["number"] for c in dukcapil["counters"]] == [2, 3, 4, 5]
    spot = CounterSpot.objects.select_related("booth").get(counter__number=2, booth=dukcapil["id"])
    first = dukcapil["counters"][0]
    assert (first["x"], first["y"]) == (
        float(spot.booth.x + spot.x),
        float(spot.booth.y + spot.y),
    )
    for c in dukcapil["counters"]:
        assert dukcapil["x"] <= c["x"] <= dukcapil["x"] + dukcapil["w"]
        assert dukcapil["y"] <= c["y"] <= dukcapil["y"] + dukcapil["d"]
        # The desks stand on the booth's front edge, the side it faces (south).
        assert dukcapil["facing"] == "S"
        assert c["y"] == dukcapil["y"] + dukcapil["d"]


def test_the_mpp_scene_fits_the_budget_of_a_phone(hall_mpp):
    scene = scene_of(load_hall(hall_mpp.mall_id))
    counters = sum(len(b["counters"]) for b in scene["booths"])
    budget = estimate(
        rooms=len(scene["rooms"]), booths=len(scene["booths"]), counters=counters, has_portal=False
    )
    assert scene["budget"] == {"draw_calls": budget.draw_calls, "triangles": budget.triangles}
    assert budget.fits
    assert budget.draw_calls <= MAX_DRAW_CALLS
    assert budget.triangles <= MAX_TRIANGLES


def test_a_mini_mpp_scene_has_its_portal_to_the_mpp(hall_loakulu):
    scene = scene_of(load_hall(hall_loakulu.mall_id))
    assert scene["mall"]["kind"] == "mini_mpp"
    assert scene["mall"]["colors"] == ["#1f4e79", "#f2b705"]  # the Mini MPP's own branding
    assert scene["portal"]["to"] == "mpp-kukar"
    assert (scene["portal"]["x"], scene["portal"]["y"]) == (
        float(hall_loakulu.entrance_x),
        float(hall_loakulu.entrance_y),
    )
    assert scene["rooms"][0]["kind"] == "paten"
    counters = sum(len(b["counters"]) for b in scene["booths"])
    sizes = {"rooms": len(scene["rooms"]), "booths": len(scene["booths"]), "counters": counters}
    with_portal = estimate(**sizes, has_portal=True)
    assert scene["budget"]["draw_calls"] == with_portal.draw_calls
    assert with_portal.draw_calls == estimate(**sizes, has_portal=False).draw_calls + 1
    assert with_portal.fits


def test_a_mini_mpp_scene_has_its_front_desk_with_the_front_counters(hall_loakulu):
    from mpp.catalog.models import MallTenant

    scene = scene_of(load_hall(hall_loakulu.mall_id))
    desk, *tenants = scene["booths"]
    assert desk["front_desk"] is True
    assert desk["tenant"] is None
    assert [c["number"] for c in desk["counters"]] == [1, 2]
    assert all(b["front_desk"] is False and b["tenant"] for b in tenants)
    assert all(b["counters"] == [] for b in tenants)
    assert tenants[0]["tenant"]["slug"] == "dpmptsp"
    assert len(tenants) == MallTenant.objects.filter(mall=hall_loakulu.mall).count()
    # The front desk is drawn as a booth: the budget counts it with the others.
    counted = estimate(
        rooms=len(scene["rooms"]), booths=len(tenants) + 1, counters=2, has_portal=True
    )
    assert scene["budget"] == {"draw_calls": counted.draw_calls, "triangles": counted.triangles}


def test_the_scene_is_loaded_in_a_fixed_number_of_queries(hall_mpp, django_assert_num_queries):
    with django_assert_num_queries(4):
        scene_of(load_hall(hall_mpp.mall_id))


def test_the_hall_size_is_given_in_metres(hall_mpp):
    scene = scene_of(load_hall(hall_mpp.mall_id))
    assert scene["size"] == {"w": float(hall_mpp.width), "d": float(hall_mpp.depth)}
    assert hall_mpp.width == Decimal("40")
