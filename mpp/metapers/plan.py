"""Validation of a hall's floor plan: every room inside the hall, no overlaps, every booth inside
its room, every counter inside its booth and of the right mall and tenant, and the scene budget.

A booth without a tenant is the mall's front desk ("Loket Pelayanan"): a hall has at most one,
only a mall with front counters (a Mini MPP's, `Counter.tenant` empty) has one, and front
counters stand there and nowhere else, while a tenant's counters stand in its own booth.

The rules run over a `Plan`, a plain copy of the hall, so that the admin can check what it is
about to save (the form's values over the stored rows) before anything is written, and the
loader and tests can check what is stored (`validate_hall`). Positions are `Decimal` metres and
are compared exactly: a booth that ends at 12.00 and one that starts at 12.00 touch and do not
overlap, whatever float rounding would say.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from mpp.catalog.models import MallTenant
from mpp.metapers.models import FRONT_DESK, Booth, CounterSpot, Hall, Room
from mpp.metapers.scene import MAX_DRAW_CALLS, MAX_TRIANGLES, estimate
from mpp.queueing.models import Counter

ZERO = Decimal(0)


@dataclass(frozen=True)
class PlanError:
    """One thing wrong with a plan: the element, named as the admin shows it, and what."""

    element: str
    message: str

    def __str__(self) -> str:
        return f"{self.element}: {self.message}"


@dataclass(frozen=True)
class Rect:
    x: Decimal
    y: Decimal
    width: Decimal
    depth: Decimal

    @property
    def right(self) -> Decimal:
        return self.x + self.width

    @property
    def bottom(self) -> Decimal:
        return self.y + self.depth

    def contains(self, other: Rect) -> bool:
        return (
            other.x >= self.x
            and other.y >= self.y
            and other.right <= self.right
            and other.bottom <= self.bottom
        )

    def contains_point(self, x: Decimal, y: Decimal) -> bool:
        return self.x <= x <= self.right and self.y <= y <= self.bottom

    def overlaps(self, other: Rect) -> bool:
        """Strict: rectangles that only share an edge or a corner do not overlap."""
        return (
            self.x < other.right
            and other.x < self.right
            and self.y < other.bottom
            and other.y < self.bottom
        )


@dataclass
class PlanSpot:
    number: int
    counter_mall_id: int
    counter_tenant_id: int | None
    x: Decimal  # from the booth's north-west corner
    y: Decimal


@dataclass
class PlanBooth:
    tenant_id: int | None  # None: the front desk
    tenant_name: str
    rect: Rect
    spots: list[PlanSpot] = field(default_factory=list)

    @property
    def label(self) -> str:
        return str(FRONT_DESK) if self.tenant_id is None else booth_label(self.tenant_name)


@dataclass
class PlanRoom:
    name: str
    rect: Rect
    booths: list[PlanBooth] = field(default_factory=list)


@dataclass
class Plan:
    """A hall's floor plan as plain values; `tenants_at_mall` holds the ids of the mall's
    tenants (catalog MallTenant); `has_front_counters`: the mall has counters without a tenant."""

    mall_id: int
    width: Decimal
    depth: Decimal
    entrance_x: Decimal
    entrance_y: Decimal
    has_portal: bool
    rooms: list[PlanRoom]
    tenants_at_mall: frozenset[int]
    has_front_counters: bool


def room_label(name: str) -> str:
    return _("Ruang '%(n)s'") % {"n": name}


def booth_label(tenant_name: str) -> str:
    return _("Gerai %(t)s") % {"t": tenant_name}


def counter_label(number: int) -> str:
    return _("Loket %(n)d") % {"n": number}


def spot_of(spot: CounterSpot) -> PlanSpot:
    counter = spot.counter
    return PlanSpot(
        number=counter.number,
        counter_mall_id=counter.mall_id,
        counter_tenant_id=counter.tenant_id,
        x=spot.x,
        y=spot.y,
    )


def booth_of(booth: Booth, spots: Iterable[CounterSpot]) -> PlanBooth:
    return PlanBooth(
        tenant_id=booth.tenant_id,
        tenant_name=booth.name,
        rect=Rect(booth.x, booth.y, booth.width, booth.depth),
        spots=[spot_of(s) for s in spots],
    )


def room_of(room: Room, booths: Iterable[PlanBooth]) -> PlanRoom:
    return PlanRoom(
        name=room.name, rect=Rect(room.x, room.y, room.width, room.depth), booths=list(booths)
    )


def tenants_at(mall_id: int) -> frozenset[int]:
    return frozenset(MallTenant.objects.filter(mall_id=mall_id).values_list("tenant_id", flat=True))


def plan_of(
    hall: Hall,
    *,
    rooms: Sequence[Room] | None = None,
    booth_override: tuple[Booth, list[CounterSpot]] | None = None,
) -> Plan:
    """The plan of `hall` as stored, or with what a form is about to save laid over it:
    `rooms` replaces the hall's rooms (their booths follow them by primary key; a room left
    out takes its booths with it, as deleting it would); `booth_override` replaces one booth
    (or adds it) with its counter spots."""
    if rooms is None:
        rooms = list(hall.rooms.all()) if hall.pk else []
    stored = (
        Booth.objects.filter(room__hall_id=hall.pk)
        .select_related("tenant")
        .prefetch_related("spots__counter")
        .order_by("position", "pk")
        if hall.pk
        else Booth.objects.none()
    )
    booths_by_room: dict[int | None, list[PlanBooth]] = {}
    for booth in stored:
        if booth_override is not None and booth.pk == booth_override[0].pk:
            continue
        booths_by_room.setdefault(booth.room_id, []).append(booth_of(booth, booth.spots.all()))
    if booth_override is not None:
        booth, spots = booth_override
        booths_by_room.setdefault(booth.room_id, []).append(booth_of(booth, spots))
    return Plan(
        mall_id=hall.mall_id,
        width=hall.width,
        depth=hall.depth,
        entrance_x=hall.entrance_x,
        entrance_y=hall.entrance_y,
        has_portal=hall.portal_to_id is not None,
        rooms=[room_of(r, booths_by_room.get(r.pk, []) if r.pk else []) for r in rooms],
        tenants_at_mall=tenants_at(hall.mall_id),
        has_front_counters=Counter.objects.filter(
            mall_id=hall.mall_id, tenant__isnull=True
        ).exists(),
    )


def validate_hall(hall: Hall) -> list[PlanError]:
    """Every error of the stored plan of `hall` (an empty list when it is valid)."""
    return validate_plan(plan_of(hall))


def validate_plan(plan: Plan) -> list[PlanError]:
    """Every error of `plan`, in the order a person would fix them: hall, rooms, booths."""
    errors: list[PlanError] = []
    hall = Rect(ZERO, ZERO, plan.width, plan.depth)
    if not hall.contains_point(plan.entrance_x, plan.entrance_y):
        errors.append(PlanError(_("Pintu masuk"), _("berada di luar aula.")))
    for i, room in enumerate(plan.rooms):
        label = room_label(room.name)
        if not hall.contains(room.rect):
            errors.append(PlanError(label, _("berada di luar aula.")))
        for other_room in plan.rooms[i + 1 :]:
            if room.rect.overlaps(other_room.rect):
                errors.append(PlanError(label, _overlapping(room_label(other_room.name))))
    placed = [(room, booth) for room in plan.rooms for booth in room.booths]
    seen_tenants: set[int | None] = set()
    for i, (room, booth) in enumerate(placed):
        errors.extend(_booth_errors(plan, room, booth, seen_tenants))
        for _room, other in placed[i + 1 :]:
            if booth.rect.overlaps(other.rect):
                errors.append(PlanError(booth.label, _overlapping(other.label)))
    budget = estimate(
        rooms=len(plan.rooms),
        booths=len(placed),
        counters=sum(len(b.spots) for _room, b in placed),
        has_portal=plan.has_portal,
    )
    if not budget.fits:
        errors.append(
            PlanError(
                _("Aula"),
                _(
                    "melebihi batas tampilan 3D: %(c)d panggilan gambar (paling banyak %(mc)d) "
                    "dan %(t)d segitiga (paling banyak %(mt)d)."
                )
                % {
                    "c": budget.draw_calls,
                    "mc": MAX_DRAW_CALLS,
                    "t": budget.triangles,
                    "mt": MAX_TRIANGLES,
                },
            )
        )
    return errors


def _overlapping(other: str) -> str:
    return _("bertumpang tindih dengan %(o)s.") % {"o": other}


def _booth_errors(
    plan: Plan, room: PlanRoom, booth: PlanBooth, seen_tenants: set[int | None]
) -> list[PlanError]:
    label = booth.label
    errors = []
    if booth.tenant_id is None:
        if not plan.has_front_counters:
            errors.append(
                PlanError(label, _("mal ini tidak punya loket depan (loket tanpa instansi)."))
            )
        if None in seen_tenants:
            errors.append(PlanError(label, _("aula ini sudah punya %(f)s.") % {"f": label}))
    else:
        if booth.tenant_id not in plan.tenants_at_mall:
            errors.append(PlanError(label, _("instansi ini tidak bertugas di mal ini.")))
        if booth.tenant_id in seen_tenants:
            errors.append(PlanError(label, _("instansi ini sudah punya gerai di aula ini.")))
    seen_tenants.add(booth.tenant_id)
    if not room.rect.contains(booth.rect):
        errors.append(PlanError(label, _("berada di luar %(r)s.") % {"r": room_label(room.name)}))
    inside = Rect(ZERO, ZERO, booth.rect.width, booth.rect.depth)
    for spot in booth.spots:
        where = counter_label(spot.number)
        if not inside.contains_point(spot.x, spot.y):
            errors.append(PlanError(where, _("berada di luar %(b)s.") % {"b": label}))
        if spot.counter_mall_id != plan.mall_id:
            errors.append(PlanError(where, _("adalah loket mal lain.")))
        # A front counter serves every tenant's queue: in a tenant's booth it would be shown
        # as that tenant's (the defect of the first demo halls).
        elif spot.counter_tenant_id is None and booth.tenant_id is not None:
            errors.append(
                PlanError(
                    where,
                    _("adalah loket depan: tempatnya di %(f)s, bukan di %(b)s.")
                    % {"f": FRONT_DESK, "b": label},
                )
            )
        elif spot.counter_tenant_id is not None and booth.tenant_id is None:
            errors.append(
                PlanError(
                    where,
                    _("adalah loket instansi: tempatnya di gerai instansinya, bukan di %(f)s.")
                    % {"f": label},
                )
            )
        elif spot.counter_tenant_id != booth.tenant_id:
            errors.append(
                PlanError(where, _("adalah loket instansi lain, bukan %(b)s.") % {"b": label})
            )
    return errors
