"""A Mini MPP's front counters move from the first tenant's booth to the hall's front desk.

Until now the demo halls put the front counters (queueing Counter without a tenant) in the first
tenant's booth (DPMPTSP's), so the hall showed them as that tenant's. A booth without a tenant is
now the front desk, "Loket Pelayanan". For every hall with front counters in tenants' booths,
this adds a front desk in the room of the first such booth, at the free place nearest the hall's
entrance, facing as that booth does, clear of every booth and of the aisle in front of each; and
moves the front counters' spots there, along its front edge. The tenants keep their booths. A
hall with no such free place is left as it is: its plan now fails validation (plan.py), and the
admin names the counters to move.

Reversing deletes the front desks (their counters lose their place on the plan): the earlier
schema has no booth without a tenant.

The geometry is written here, not imported from demo.py, so that this migration keeps doing the
same thing whatever the demo builder becomes.
"""

from decimal import Decimal

from django.db import migrations
from django.db.models import F

D = Decimal
DESK = D("1.5")  # width of one counter's desk, as the demo builder lays them
MIN_ALONG = D("2.5")  # narrowest booth front (the demo's Mini MPP booths)
GAP = D("1")  # kept free beside and behind a booth
FRONT = D("2")  # kept free in front of a booth: where its visitors stand
STEP = D("0.5")  # grid of the places tried


def _front_zone(x, y, w, d, facing, reach):
    """The rectangle (x0, y0, x1, y1) of the booth grown by `reach` on the side it faces."""
    x0, y0, x1, y1 = x, y, x + w, y + d
    if facing == "N":
        y0 -= reach
    elif facing == "S":
        y1 += reach
    elif facing == "E":
        x1 += reach
    else:
        x0 -= reach
    return x0, y0, x1, y1


def _overlap(a, b):
    """Strict: rectangles that only share an edge do not overlap (as plan.py decides)."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _free_place(room, others, w, d, facing, entrance):
    """The (x, y) of the free w x d place in `room` nearest `entrance`, or None."""
    taken = [_front_zone(o.x, o.y, o.width, o.depth, o.facing, FRONT) for o in others]
    places = []
    for i in range(int((room.width - w) / STEP) + 1):
        for j in range(int((room.depth - d) / STEP) + 1):
            x, y = room.x + i * STEP, room.y + j * STEP
            grown = _front_zone(x - GAP, y - GAP, w + 2 * GAP, d + 2 * GAP, facing, FRONT - GAP)
            inside = (
                grown[0] >= room.x
                and grown[1] >= room.y
                and grown[2] <= room.x + room.width
                and grown[3] <= room.y + room.depth
            )
            if inside and not any(_overlap(grown, t) for t in taken):
                dx, dy = x + w / 2 - entrance[0], y + d / 2 - entrance[1]
                places.append((dx * dx + dy * dy, -j, i, x, y))
    return min(places)[3:] if places else None


def _spot_at(i, n, w, d, along, facing):
    """Where the i-th of n desks stands on the front edge, from the booth's north-west corner."""
    offset = DESK / 2 + DESK * i + (along - DESK * n) / 2
    return {"N": (offset, D(0)), "S": (offset, d), "E": (w, offset), "W": (D(0), offset)}[facing]


def move_front_counters(apps, schema_editor):
    Booth = apps.get_model("metapers", "Booth")
    CounterSpot = apps.get_model("metapers", "CounterSpot")
    misplaced = (
        CounterSpot.objects.filter(counter__tenant__isnull=True, booth__tenant__isnull=False)
        .filter(counter__mall_id=F("booth__room__hall__mall_id"))
        .select_related("booth__room__hall")
        .order_by("booth__room__hall_id", "booth__position", "booth_id", "counter__number")
    )
    by_hall = {}
    for spot in misplaced:
        by_hall.setdefault(spot.booth.room.hall_id, []).append(spot)
    for spots in by_hall.values():
        host = spots[0].booth
        room, hall = host.room, host.room.hall
        if Booth.objects.filter(room__hall=hall, tenant__isnull=True).exists():
            continue
        n = len(spots)
        along = max(MIN_ALONG, DESK * n + 1)
        across_ns = host.facing in ("N", "S")
        w, d = (along, host.depth) if across_ns else (host.width, along)
        others = list(Booth.objects.filter(room=room))
        place = _free_place(
            room, others, w, d, host.facing, (hall.entrance_x, hall.entrance_y)
        )
        if place is None:
            continue
        # The front desk comes first in the room's order (the list page shows it first).
        Booth.objects.filter(room=room).update(position=F("position") + 1)
        desk = Booth.objects.create(
            room=room,
            tenant=None,
            x=place[0],
            y=place[1],
            width=w,
            depth=d,
            facing=host.facing,
            position=0,
        )
        for i, spot in enumerate(spots):
            spot.booth = desk
            spot.x, spot.y = _spot_at(i, n, w, d, along, host.facing)
            spot.save(update_fields=["booth", "x", "y"])


def remove_front_desks(apps, schema_editor):
    apps.get_model("metapers", "Booth").objects.filter(tenant__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("metapers", "0003_booth_front_desk")]

    operations = [migrations.RunPython(move_front_counters, remove_front_desks)]
