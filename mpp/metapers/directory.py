"""The hall as a list (rooms → tenants → counters, with live-ish queue figures), and the access
decisions of the public Metapers pages: which mall has a hall, which tenant has a booth there."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count
from django.http import Http404
from django.utils.translation import gettext as _

from mpp.accounts.access import access_public_mall
from mpp.catalog.models import MallTenant, Service, Tenant
from mpp.malls.models import Mall
from mpp.metapers.models import Booth, Hall, Room
from mpp.metapers.scene import load_hall
from mpp.queueing.actions import service_day
from mpp.queueing.models import Counter, Ticket


@dataclass(frozen=True)
class BoothEntry:
    booth: Booth
    tenant: Tenant
    counters: list[int]  # numbers of the counters that serve the tenant here
    waiting: int  # tickets of the tenant's services waiting now
    officer_present: bool  # an officer is at an open counter of the tenant


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


def hall_directory(hall: Hall) -> list[RoomEntry]:
    """The rooms of a hall loaded by `load_hall`, each with its booths' tenants, counters,
    waiting tickets and whether an officer is at an open counter; two queries on top of the
    loaded hall, whatever the number of booths.

    A tenant's counters are its own; a tenant without any (every tenant of a Mini MPP) is
    served at the mall's front counters, which take every queue of the mall."""
    counters = list(Counter.objects.filter(mall_id=hall.mall_id).order_by("number"))
    own: dict[int, list[Counter]] = {}
    front: list[Counter] = []
    for counter in counters:
        if counter.tenant_id is None:
            front.append(counter)
        else:
            own.setdefault(counter.tenant_id, []).append(counter)
    waiting = dict(
        Ticket.objects.filter(
            mall_id=hall.mall_id,
            service_day=service_day(hall.mall),
            status=Ticket.Status.WAITING,
        )
        .values_list("service__tenant_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    rooms = []
    for room in hall.rooms.all():
        entry = RoomEntry(room)
        for booth in room.booths.all():
            serving = own.get(booth.tenant_id) or front
            entry.booths.append(
                BoothEntry(
                    booth=booth,
                    tenant=booth.tenant,
                    counters=[c.number for c in serving],
                    waiting=waiting.get(booth.tenant_id, 0),
                    officer_present=any(c.is_open and c.officer_id for c in serving),
                )
            )
        rooms.append(entry)
    return rooms
