"""Demo floor plans: the MPP's service hall and every operating Mini MPP's PATEN room, laid out
from the catalogue (which tenants are at the mall) and the queue (which counters they staff).

The layouts are plausible, not surveyed: booths in rows facing south, one 1.5 m desk per
counter, 3 m aisles, a lobby by the south entrance. A mall with front counters (every Mini MPP)
gets its front desk, "Loket Pelayanan", in a row of its own nearest the lobby, facing the
entrance: the first thing a visitor meets. A hall that exists is left alone, so admin edits
survive `mpp demo` reruns (halls built before the front desk existed got theirs from migration
0004).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from mpp.catalog.models import MallTenant, Tenant
from mpp.malls.models import Mall, Region
from mpp.metapers.models import Booth, CannedAnswer, CounterSpot, Facing, Hall, Room
from mpp.metapers.plan import validate_hall
from mpp.queueing.models import Counter

D = Decimal
DESK = D("1.5")  # width of one counter's desk
BOOTH_DEPTH = D("3")
AISLE = D("3")
GAP = D("1")  # between neighbouring booths
MARGIN = D("2")  # between the walls and the booths
LOBBY_DEPTH = D("8")


@dataclass(frozen=True)
class Layout:
    hall_width: Decimal
    room_name: str
    room_kind: str
    min_booth_width: Decimal


MPP_LAYOUT = Layout(D("40"), "Ruang Layanan", Room.Kind.SERVICE, D("3"))
MINI_LAYOUT = Layout(D("28"), "", Room.Kind.PATEN, D("2.5"))


class InvalidDemoPlan(Exception):
    """A generated plan broke a rule: a bug in this module, never a visitor's problem."""


def ensure_demo_halls(region: Region) -> int:
    """Build the halls of the region's MPP and of every Mini MPP that has none (issue 5: part of
    every Mini MPP — one still in preparation shows its hall, and the queue itself refuses
    numbers until it operates); the number built. Every plan built is validated, and an
    invalid one is rolled back and raised."""
    malls = Mall.objects.filter(region=region, hall__isnull=True).select_related("region")
    mpp = Mall.objects.filter(region=region, kind=Mall.Kind.MPP).first()
    built = 0
    for mall in malls.order_by("pk"):
        if mall.kind == Mall.Kind.MPP:
            _build(mall, MPP_LAYOUT, portal_to=None)
        else:
            layout = Layout(
                MINI_LAYOUT.hall_width,
                mall.paten_room or _("Ruang PATEN"),
                MINI_LAYOUT.room_kind,
                MINI_LAYOUT.min_booth_width,
            )
            _build(mall, layout, portal_to=mpp)
        built += 1
    return built


def _build(mall: Mall, layout: Layout, *, portal_to: Mall | None) -> Hall:
    tenants = [
        mt.tenant
        for mt in MallTenant.objects.filter(mall=mall)
        .select_related("tenant")
        .order_by("tenant__sort_order", "tenant__short_name")
    ]
    counters = list(Counter.objects.filter(mall=mall).order_by("number"))
    own: dict[int, list[Counter]] = {}
    for counter in counters:
        if counter.tenant_id is not None:
            own.setdefault(counter.tenant_id, []).append(counter)
    # A Mini MPP's front counters serve every tenant there: they stand at the front desk.
    front = [c for c in counters if c.tenant_id is None]
    desks = {t.pk: own.get(t.pk, []) for t in tenants}
    rows = _rows(tenants, desks, layout)
    booth_rows = len(rows) + (1 if front else 0)
    room_depth = MARGIN * 2 + booth_rows * BOOTH_DEPTH + max(booth_rows - 1, 0) * AISLE
    room_depth = max(room_depth, D("6"))
    depth = room_depth + LOBBY_DEPTH
    with transaction.atomic():
        hall = Hall.objects.create(
            mall=mall,
            width=layout.hall_width,
            depth=depth,
            welcome=_("Selamat datang di %(m)s.") % {"m": mall.short_name},
            portal_to=portal_to,
            entrance_x=layout.hall_width / 2,
            entrance_y=depth,
        )
        room = Room.objects.create(
            hall=hall,
            name=layout.room_name,
            kind=layout.room_kind,
            x=D(0),
            y=D(0),
            width=layout.hall_width,
            depth=room_depth,
            position=0,
        )
        Room.objects.create(
            hall=hall,
            name=_("Lobi dan ruang tunggu"),
            kind=Room.Kind.LOBBY,
            x=D(0),
            y=room_depth,
            width=layout.hall_width,
            depth=LOBBY_DEPTH,
            position=1,
        )
        position = 0
        if front:
            width = _booth_width(len(front), layout)
            _place(
                room,
                None,
                front,
                x=hall.entrance_x - width / 2,  # straight ahead of a visitor coming in
                y=MARGIN + len(rows) * (BOOTH_DEPTH + AISLE),
                width=width,
                position=position,
            )
            position += 1
        for r, row in enumerate(rows):
            y = MARGIN + r * (BOOTH_DEPTH + AISLE)
            x = MARGIN
            for tenant, width in row:
                _place(room, tenant, desks[tenant.pk], x=x, y=y, width=width, position=position)
                position += 1
                x += width + GAP
        errors = validate_hall(hall)
        if errors:
            raise InvalidDemoPlan("; ".join(str(e) for e in errors))
    return hall


def _booth_width(desks: int, layout: Layout) -> Decimal:
    return max(layout.min_booth_width, DESK * desks + D("1"))


def _place(
    room: Room,
    tenant: Tenant | None,
    counters: list[Counter],
    *,
    x: Decimal,
    y: Decimal,
    width: Decimal,
    position: int,
) -> Booth:
    """A booth facing south (a front desk without `tenant`), its desks on the front edge."""
    booth = Booth.objects.create(
        room=room,
        tenant=tenant,
        x=x,
        y=y,
        width=width,
        depth=BOOTH_DEPTH,
        facing=Facing.SOUTH,
        position=position,
    )
    CounterSpot.objects.bulk_create(
        CounterSpot(
            booth=booth,
            counter=counter,
            x=DESK / 2 + DESK * i + (width - DESK * len(counters)) / 2,
            y=BOOTH_DEPTH,  # at the front edge, facing the aisle
        )
        for i, counter in enumerate(counters)
    )
    return booth


def _rows(
    tenants: list[Tenant], desks: dict[int, list[Counter]], layout: Layout
) -> list[list[tuple[Tenant, Decimal]]]:
    """Booths filled into rows left to right, a new row when the next would reach the wall."""
    usable = layout.hall_width - MARGIN * 2
    rows: list[list[tuple[Tenant, Decimal]]] = [[]]
    used = D(0)
    for tenant in tenants:
        width = _booth_width(len(desks[tenant.pk]), layout)
        needed = width if not rows[-1] else used + GAP + width
        if rows[-1] and needed > usable:
            rows.append([])
            used = D(0)
            needed = width
        rows[-1].append((tenant, width))
        used = needed
    return rows if rows[0] else []


# Two ready answers per tenant, in the officers' own words; edited in the admin afterwards.
CANNED = (
    (
        "Persyaratan",
        "Persyaratan, biaya, dan lama penyelesaian setiap layanan kami tercantum di halaman "
        "layanan MPP. Silakan siapkan dokumen aslinya dan fotokopinya.",
    ),
    (
        "Ambil nomor antrean",
        "Anda dapat mengambil nomor antrean dari gerai kami di Metapers (tombol Ambil nomor "
        "antrean) atau di kios MPP; halaman nomor akan berbunyi saat Anda dipanggil.",
    ),
)


def ensure_demo_canned_answers(region: Region) -> int:
    """Give every tenant of the region without canned answers the two above; returns how many
    were made (admin edits survive reruns)."""
    made = 0
    for tenant in Tenant.objects.filter(region=region).exclude(canned_answers__isnull=False):
        CannedAnswer.objects.bulk_create(
            [CannedAnswer(tenant=tenant, title=title, text=text) for title, text in CANNED]
        )
        made += len(CANNED)
    return made
