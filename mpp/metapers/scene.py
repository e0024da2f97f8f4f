"""The scene of a hall: the floor plan as the JSON the browser builds the 3D hall from, the SVG
map draws and the list page orders by, and the budget the scene must fit (issue 5: at most 30
draw calls and 50,000 triangles for the MPP hall).

How the browser draws a scene (mpp/metapers/js/hall.js), and so how `estimate` counts:
- all room floors: one merged mesh with vertex colours (1 draw call, 2 triangles per room);
- all walls: one merged mesh of boxes, four per room (1 call, 12 triangles per wall);
- all booths: one instanced box mesh (1 call, 12 triangles per booth);
- all counters (desks): one instanced box mesh (1 call, 12 triangles per counter);
- all booth signs: one merged mesh of quads over one text atlas (1 call, 2 triangles per booth);
- all live badges (waiting count, officer online): one merged quad mesh over one canvas
  texture redrawn when counts change (1 call, 2 triangles per booth);
- the portal of a Mini MPP: one box (1 call, 12 triangles);
- the visitor's marker and the tap highlight: one call each (12 triangles each).
Nothing is drawn while the visitor is idle: frames render on input, glides and count updates.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch

from mpp.metapers.models import Booth, CounterSpot, Hall, Room

# 2: a booth may be the front desk ("front_desk": true, "tenant": null).
SCENE_VERSION = 2
MAX_DRAW_CALLS = 30
MAX_TRIANGLES = 50_000

BOX = 12  # triangles of a box
QUAD = 2


@dataclass(frozen=True)
class Budget:
    draw_calls: int
    triangles: int

    @property
    def fits(self) -> bool:
        return self.draw_calls <= MAX_DRAW_CALLS and self.triangles <= MAX_TRIANGLES


def estimate(*, rooms: int, booths: int, counters: int, has_portal: bool) -> Budget:
    """Draw calls and triangles of a scene drawn as the module docstring says."""
    calls = 8 + (1 if has_portal else 0)  # the eight meshes listed above, and the portal
    triangles = (
        rooms * QUAD
        + rooms * 4 * BOX
        + booths * BOX
        + counters * BOX
        + booths * QUAD
        + booths * QUAD
        + (BOX if has_portal else 0)
        + 2 * BOX
    )
    return Budget(calls, triangles)


def _m(value: Decimal) -> float:
    return float(value)


def load_hall(mall_id: int) -> Hall | None:
    """A hall with everything its scene needs, in four queries."""
    return (
        Hall.objects.select_related("mall__region", "portal_to")
        .prefetch_related(
            Prefetch("rooms", queryset=Room.objects.order_by("position", "pk")),
            Prefetch(
                "rooms__booths",
                queryset=Booth.objects.select_related("tenant").order_by("position", "pk"),
            ),
            Prefetch(
                "rooms__booths__spots",
                queryset=CounterSpot.objects.select_related("counter").order_by("counter__number"),
            ),
        )
        .filter(mall_id=mall_id)
        .first()
    )


def scene_of(hall: Hall) -> dict[str, Any]:
    """The scene JSON (version 2) of a hall loaded by `load_hall`. No live data: waiting counts
    and officers online come from the board snapshot and the presence channel. The front desk
    is a booth like the others, drawn the same way (so the budget holds), without a tenant."""
    mall = hall.mall
    rooms, booths = [], []
    counters = 0
    for room in hall.rooms.all():
        rooms.append(
            {
                "id": room.pk,
                "name": room.name,
                "kind": room.kind,
                "x": _m(room.x),
                "y": _m(room.y),
                "w": _m(room.width),
                "d": _m(room.depth),
            }
        )
        for booth in room.booths.all():
            spots = list(booth.spots.all())
            counters += len(spots)
            tenant = booth.tenant
            booths.append(
                {
                    "id": booth.pk,
                    "room": room.pk,
                    "front_desk": tenant is None,
                    "tenant": None
                    if tenant is None
                    else {
                        "id": tenant.pk,
                        "slug": tenant.slug,
                        "name": tenant.name,
                        "short_name": tenant.short_name,
                    },
                    "x": _m(booth.x),
                    "y": _m(booth.y),
                    "w": _m(booth.width),
                    "d": _m(booth.depth),
                    "facing": booth.facing,
                    "counters": [
                        {
                            "id": s.counter_id,
                            "number": s.counter.number,
                            "x": _m(booth.x + s.x),
                            "y": _m(booth.y + s.y),
                        }
                        for s in spots
                    ],
                }
            )
    portal = None
    if hall.portal_to is not None:
        portal = {
            "to": hall.portal_to.slug,
            "name": hall.portal_to.short_name,
            "x": _m(hall.entrance_x),
            "y": _m(hall.entrance_y),
        }
    budget = estimate(
        rooms=len(rooms), booths=len(booths), counters=counters, has_portal=portal is not None
    )
    return {
        "version": SCENE_VERSION,
        "mall": {
            "id": mall.pk,
            "slug": mall.slug,
            "name": mall.name,
            "short_name": mall.short_name,
            "kind": mall.kind,
            "colors": [mall.color_primary, mall.color_secondary],
        },
        "size": {"w": _m(hall.width), "d": _m(hall.depth)},
        "entrance": {"x": _m(hall.entrance_x), "y": _m(hall.entrance_y)},
        "welcome": hall.welcome,
        "rooms": rooms,
        "booths": booths,
        "portal": portal,
        "budget": {"draw_calls": budget.draw_calls, "triangles": budget.triangles},
    }
