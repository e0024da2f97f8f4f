"""The floor map as a list for a phone (issue 18, item 6): every booth once, in its room, the
nearest to the entrance first, each with where it stands and its counters."""

from __future__ import annotations

from mpp.metapers.scene import load_hall, scene_of
from mpp.metapers.wayfinding import map_list


def test_every_booth_is_listed_once_nearest_the_entrance_first(hall_mpp):
    scene = scene_of(load_hall(hall_mpp.mall_id))
    rooms = map_list(scene)
    listed = [b.name for room in rooms for b in room.booths]
    assert sorted(listed) == sorted(
        b["tenant"]["short_name"] if b["tenant"] else "Loket Pelayanan" for b in scene["booths"]
    )
    service_room = next(r for r in rooms if r.name == "Ruang Layanan")
    door_y = scene["entrance"]["y"]
    by_name = {(b["tenant"] or {}).get("short_name", "Loket Pelayanan"): b for b in scene["booths"]}
    gaps = [
        abs(door_y - (by_name[b.name]["y"] + by_name[b.name]["d"] / 2)) for b in service_room.booths
    ]
    assert gaps == sorted(gaps)


def test_a_booth_says_where_it_stands_and_its_counters(hall_mpp):
    rooms = map_list(scene_of(load_hall(hall_mpp.mall_id)))
    dukcapil = next(b for r in rooms for b in r.booths if b.tenant_slug == "disdukcapil")
    assert dukcapil.counters == "Loket 2, 3, 4, 5"
    side, depth = dukcapil.where.split(", ")
    assert side in {"di kiri", "di kanan", "lurus dari pintu masuk"}
    assert depth in {"dekat pintu masuk", "di tengah", "di bagian belakang"}
