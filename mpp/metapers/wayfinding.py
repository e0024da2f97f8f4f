"""The floor map as a list, for a phone (issue 18, item 6): on a 360 px screen the drawn map's
booths are 18 px and its labels 3–10 px, so a narrow screen shows each room's booths in the order a
visitor meets them walking in from the entrance, each with where it stands ("di kiri, dekat pintu
masuk") and its counters, as full-width links. Read from the same scene as the drawn map."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from mpp.metapers.models import FRONT_DESK
from mpp.metapers.svg import counters_text


@dataclass(frozen=True)
class MapBooth:
    name: str
    tenant_slug: str | None  # None: the front desk, which links to the hall's list
    counters: str  # "Loket 2, 3"
    where: str  # "di kiri, dekat pintu masuk"


@dataclass(frozen=True)
class MapRoom:
    name: str
    booths: list[MapBooth]


def _where(booth: dict[str, Any], scene: dict[str, Any]) -> tuple[float, str]:
    """How far into the hall the booth stands from the entrance (0 at the door, 1 at the far
    wall) and the words for it, as seen by a visitor walking in."""
    width, depth = scene["size"]["w"], scene["size"]["d"]
    door_x, door_y = scene["entrance"]["x"], scene["entrance"]["y"]
    x = booth["x"] + booth["w"] / 2
    y = booth["y"] + booth["d"] / 2
    # The entrance is in the front or the back wall; walking in, "left" is the smaller x when
    # the door is at the bottom of the plan (walking towards y = 0), the larger x otherwise.
    from_bottom = door_y > depth / 2
    into = (door_y - y if from_bottom else y - door_y) / depth if depth else 0.0
    side = (door_x - x if from_bottom else x - door_x) / width if width else 0.0
    if abs(side) < 0.12:
        across = _("lurus dari pintu masuk")
    elif side > 0:
        across = _("di kiri")
    else:
        across = _("di kanan")
    if into < 1 / 3:
        far = _("dekat pintu masuk")
    elif into < 2 / 3:
        far = _("di tengah")
    else:
        far = _("di bagian belakang")
    return into, f"{across}, {far}"


def map_list(scene: dict[str, Any]) -> list[MapRoom]:
    """Each room of the scene with its booths, nearest to the entrance first."""
    rooms = []
    for room in scene["rooms"]:
        placed = []
        for booth in scene["booths"]:
            if booth["room"] != room["id"]:
                continue
            into, where = _where(booth, scene)
            tenant = booth["tenant"]
            placed.append(
                (
                    into,
                    booth["x"],
                    MapBooth(
                        name=tenant["short_name"] if tenant else str(FRONT_DESK),
                        tenant_slug=tenant["slug"] if tenant else None,
                        counters=counters_text([c["number"] for c in booth["counters"]]),
                        where=where,
                    ),
                )
            )
        placed.sort(key=lambda p: (p[0], p[1]))
        if placed:
            rooms.append(MapRoom(name=room["name"], booths=[p[2] for p in placed]))
    return rooms
