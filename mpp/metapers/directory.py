"""The hall as a list (rooms → tenants → counters, with live-ish queue figures), and the access
decisions of the public Metapers pages: which mall has a hall, which tenant has a booth there."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.http import Http404
from django.utils.translation import gettext as _

from mpp.catalog.models import MallTenant, Service, Tenant
from mpp.malls.access import access_public_mall
from mpp.malls.models import Mall
from mpp.metapers.models import Booth, Hall, Room
from mpp.metapers.scene import load_hall
from mpp.queueing.actions import service_day
from mpp.queueing.models import Counter, Ticket


@dataclass(frozen=True)
class BoothEntry:
    booth: Booth
    tenant: Tenant | None  # None: the front desk
    counters: list[int]  # numbers of the counters that serve the tenant (the front desk) here
    waiting: int  # tickets of the tenant's services (of the front counters' queues) waiting now
    officer_present: bool  # an officer is at one of those counters, and it is open
    at_front_desk: bool = False  # the tenant has no counters: the front desk serves it


@dataclass
class RoomEntry:
    room: Room
    booths: list[BoothEntry] = field(default_factory=list)


def malls_with_halls() -> list[Mall]:
    """Malls that have a virtual hall: the MPP first, then the Mini MPPs by kecamatan."""
    return list(Mall.objects.public().filter(hall__isnull=False))


def access_hall(slug: str) -> Hall:
    """The hall of the mall `slug`, loaded for its scene: 404 for an unknown mall or a mall
    without a hall."""
    mall = access_public_mall(slug=slug)
    hall = load_hall(mall.pk)
    if hall is None:
        raise Http404(_("Mal ini belum memiliki aula virtual."))
    return hall


def access_booth(slug: str, tenant_slug: str) -> tuple[Mall, MallTenant]:
    """The mall and a tenant's presence there (its days, with the tenant), for its booth
    page: 404 for an unknown mall, a mall without a hall, or a tenant not serving there."""
    mall = access_public_mall(slug=slug)
    presence = (
        MallTenant.objects.filter(mall=mall, tenant__slug=tenant_slug, mall__hall__isnull=False)
        .select_related("tenant")
        .first()
    )
    if presence is None:
        raise Http404(_("Instansi ini tidak melayani di aula virtual mal ini."))
    return mall, presence


def booth_services(mall: Mall, tenant: Tenant) -> list[Service]:
    """The tenant's published services offered at `mall`, with their standards."""
    return list(Service.objects.active().offered_at(mall).filter(tenant=tenant).order_by("name"))


def booth_counters(mall: Mall, tenant: Tenant) -> tuple[list[int], bool]:
    """The numbers of the counters that serve `tenant` at `mall`, and whether they are the
    mall's front counters (the tenant has none of its own there: at a Mini MPP the front desk
    serves it); one query."""
    rows = list(
        Counter.objects.filter(Q(tenant=tenant) | Q(tenant__isnull=True), mall=mall)
        .order_by("number")
        .values_list("number", "tenant_id")
    )
    own = [number for number, tenant_id in rows if tenant_id is not None]
    if own:
        return own, False
    return [number for number, _tenant_id in rows], bool(rows)


def hall_directory(hall: Hall) -> list[RoomEntry]:
    """The rooms of a hall loaded by `load_hall`, each with its booths' tenants, counters,
    waiting tickets and whether an officer is at an open counter; two queries on top of the
    loaded hall, whatever the number of booths (three at a mall with front counters).

    A tenant's counters are its own; a tenant without any (every tenant of a Mini MPP) is
    served at the mall's front counters, which take every queue of the mall. The front desk
    shows those counters and every ticket waiting in their queues."""
    counters = list(Counter.objects.filter(mall_id=hall.mall_id).order_by("number"))
    own: dict[int, list[Counter]] = {}
    front: list[Counter] = []
    for counter in counters:
        if counter.tenant_id is None:
            front.append(counter)
        else:
            own.setdefault(counter.tenant_id, []).append(counter)
    front_queues = (
        set(
            Counter.queues.through.objects.filter(counter__in=front).values_list(
                "queue_id", flat=True
            )
        )
        if front
        else set()
    )
    by_tenant: dict[int, int] = {}
    at_front = 0
    for tenant_id, queue_id, n in (
        Ticket.objects.filter(
            mall_id=hall.mall_id,
            service_day=service_day(hall.mall),
            status=Ticket.Status.WAITING,
        )
        .values_list("service__tenant_id", "queue_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        by_tenant[tenant_id] = by_tenant.get(tenant_id, 0) + n
        if queue_id in front_queues:
            at_front += n
    rooms = []
    for room in hall.rooms.all():
        entry = RoomEntry(room)
        for booth in room.booths.all():
            if booth.tenant_id is None:
                serving, waiting = front, at_front
            else:
                serving = own.get(booth.tenant_id) or front
                waiting = by_tenant.get(booth.tenant_id, 0)
            entry.booths.append(
                BoothEntry(
                    booth=booth,
                    tenant=booth.tenant,
                    counters=[c.number for c in serving],
                    waiting=waiting,
                    officer_present=any(c.is_open and c.officer_id for c in serving),
                    at_front_desk=booth.tenant_id is not None
                    and booth.tenant_id not in own
                    and bool(front),
                )
            )
        rooms.append(entry)
    return rooms
