"""Access helpers of the queue: which counters, tickets and malls a user may act on.

Unknown objects are 404 for everyone; known ones outside the user's mall or tenant are 403.

A counter with a tenant is that tenant's: its officers assigned to the mall work it. A counter
without one is the mall's front desk (a Mini MPP's PATEN room): every officer assigned to that
mall is one of its local operators and serves all the front-desk queue's services there
(docs/adr/0029-the-mini-mpp-front-desk.md).
"""

from __future__ import annotations

import hashlib

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from mpp.accounts.access import staff_profile
from mpp.accounts.models import Role, StaffProfile
from mpp.catalog.models import Service
from mpp.malls.models import Mall
from mpp.queueing.exceptions import IssuingForbidden
from mpp.queueing.models import Counter, Ticket


def _may_work_at(user: object, mall: Mall, tenant_ids: set[int | None]) -> bool:
    profile = staff_profile(user)
    if profile is None:
        return False
    if profile.role == Role.REGENCY_ADMIN:
        return profile.region_id == mall.region_id
    if profile.role == Role.MALL_SUPERVISOR:
        return profile.mall_id == mall.pk
    if profile.role == Role.TENANT_OFFICER:
        # None among the tenants: the mall's front desk, whose local operators are all the
        # officers assigned to the mall, whatever their tenant.
        return bool(
            (profile.tenant_id in tenant_ids or None in tenant_ids)
            and profile.malls.filter(pk=mall.pk).exists()
        )
    return False


def counters_for(user: object) -> QuerySet[Counter]:
    """The counters a user may work at, as one query (the same rule as `_may_work_at`)."""
    profile = staff_profile(user)
    counters = Counter.objects.select_related("mall", "tenant")
    if profile is None:
        return counters.none()
    if profile.role == Role.REGENCY_ADMIN:
        return counters.filter(mall__region_id=profile.region_id)
    if profile.role == Role.MALL_SUPERVISOR:
        return counters.filter(mall_id=profile.mall_id or 0)
    if profile.role == Role.TENANT_OFFICER:
        return counters.filter(
            Q(tenant_id=profile.tenant_id or 0) | Q(tenant__isnull=True),
            mall__in=profile.malls.all(),
        )
    return counters.none()


def access_counter(user: object, counter_id: int) -> Counter:
    """A counter the user may open, pause, close and call from."""
    counter = Counter.objects.select_related("mall__region", "tenant").filter(pk=counter_id).first()
    if counter is None:
        raise Http404(_("Loket tidak ditemukan."))
    if not _may_work_at(user, counter.mall, {counter.tenant_id}):
        raise PermissionDenied(_("Anda tidak bertugas di loket ini."))
    return counter


def access_ticket_for_staff(user: object, ticket_id: int) -> Ticket:
    """A ticket the user may serve: in their mall and in a queue of their tenant, or in a
    queue of the mall's front desk (whose local operators serve all its services)."""
    ticket = (
        Ticket.objects.select_related("mall__region", "queue", "counter", "service")
        .filter(pk=ticket_id)
        .first()
    )
    if ticket is None:
        raise Http404(_("Nomor antrean tidak ditemukan."))
    tenant_ids: set[int | None] = set(ticket.queue.tenants.values_list("pk", flat=True))
    if ticket.queue.counters.filter(tenant__isnull=True).exists():
        tenant_ids.add(None)
    if not _may_work_at(user, ticket.mall, tenant_ids):
        raise PermissionDenied(_("Nomor antrean ini bukan untuk instansi Anda."))
    return ticket


def access_ticket_at_counter(user: object, counter: Counter, ticket_id: int) -> Ticket:
    """A ticket the user may act on from `counter` (fetched with access_counter): one they may
    serve, and called to this counter or waiting in one of its queues. A ticket of another
    mall or another counter is 403: a console acts on its own counter's line only."""
    ticket = access_ticket_for_staff(user, ticket_id)
    if ticket.counter_id != counter.pk and not counter.queues.filter(pk=ticket.queue_id).exists():
        raise PermissionDenied(_("Nomor antrean ini bukan untuk loket ini."))
    return ticket


def access_ticket_by_code(code: str) -> Ticket:
    """A citizen's ticket by the opaque code of its phone page, following transfers."""
    return access_slip_by_code(code)[1]


def access_slip_by_code(code: str) -> tuple[Ticket, Ticket]:
    """The ticket of a phone page's opaque code (the number on the citizen's slip) and the
    ticket it became by transfers, the same one if it never moved; 404 if the code is unknown."""
    slip = (
        Ticket.objects.select_related("queue", "counter", "service", "mall")
        .filter(code=code)
        .first()
    )
    if slip is None:
        raise Http404(_("Nomor antrean tidak ditemukan."))
    ticket, hops = slip, 0
    while ticket.transferred_to_id is not None and hops < 10:
        ticket = Ticket.objects.select_related("queue", "counter", "service", "mall").get(
            pk=ticket.transferred_to_id
        )
        hops += 1
    return slip, ticket


def access_issuing(mall_id: int, service_id: int) -> tuple[Mall, Service]:
    """The mall and the published service of a ticket request: 404 if either is unknown or
    withdrawn."""
    mall = Mall.objects.select_related("region", "district").filter(pk=mall_id).first()
    if mall is None:
        raise Http404(_("Mal tidak ditemukan."))
    service = Service.objects.active().select_related("tenant").filter(pk=service_id).first()
    if service is None:
        raise Http404(_("Layanan tidak ditemukan."))
    return mall, service


# --- issuing: who may take a number, and whose idempotency keys a request uses -------------


def issuing_channel(
    user: object, mall: Mall, service: Service, *, public: str = Ticket.Channel.ONLINE
) -> str:
    """The one rule of who may issue a ticket of `service` at `mall`, and through which
    channel; every path calls it: kiosk pages, the API, a service's page (the phone) and the
    Metapers booths (docs/adr/0005, "Who may issue").

    - a citizen (nobody signed in, or an account without a staff role): the path's public
      channel, `public` (online or Metapers), which the caller rate-limits;
    - a kiosk device: the kiosk channel, at its own mall only;
    - the regency administrator (its region), a mall supervisor (its mall) and a tenant officer
      (its tenant's services at the malls it serves): the staff channel, a number taken at the
      counter on behalf of a walk-in citizen, recorded with who took it and not rate-limited;
    - leadership and auditors read only: never, on any path (signed out, they are citizens).

    Raises IssuingForbidden (403, with a code) for anyone else."""
    profile = staff_profile(user)
    if profile is None:
        return public
    if profile.role == Role.KIOSK:
        if profile.mall_id != mall.pk:
            raise IssuingForbidden(_("Kios ini terdaftar di mal lain."), code="kiosk_other_mall")
        return Ticket.Channel.KIOSK
    if profile.role in (Role.LEADERSHIP, Role.AUDITOR):
        raise IssuingForbidden(
            _(
                "Peran %(role)s hanya untuk melihat data dan tidak dapat mengambil nomor "
                "antrean. Keluar dari akun petugas untuk mengambil nomor sebagai warga."
            )
            % {"role": profile.get_role_display()},
            code="read_only_role",
        )
    if not _may_issue_for(profile, mall, service):
        raise IssuingForbidden(
            _(
                "Anda hanya dapat mengambilkan nomor antrean untuk layanan instansi Anda di "
                "mal tempat Anda bertugas."
            ),
            code="outside_scope",
        )
    return Ticket.Channel.STAFF


def _may_issue_for(profile: StaffProfile, mall: Mall, service: Service) -> bool:
    """Staff who take a number for a walk-in: in their region, mall, or tenant and malls."""
    if profile.role == Role.REGENCY_ADMIN:
        return profile.region_id == mall.region_id
    if profile.role == Role.MALL_SUPERVISOR:
        return profile.mall_id == mall.pk
    if profile.role == Role.TENANT_OFFICER:
        if not profile.malls.filter(pk=mall.pk).exists():
            return False
        # A front-desk operator takes a number for any service its front desk serves.
        return (
            profile.tenant_id == service.tenant_id
            or Counter.objects.filter(
                mall=mall, tenant__isnull=True, queues__tenants=service.tenant_id
            ).exists()
        )
    return False


def idempotency_owner(request: HttpRequest) -> str | None:
    """Whose idempotency keys a request uses: a key names one request of one caller, and a key
    another caller sends is another key (docs/adr/0005). The caller is the signed-in user or
    the token's (each kiosk device has its own user), else the browser: the secret of its CSRF
    cookie, which no other browser can guess (kept hashed: the table holds nothing a reader
    could send). None for a caller with neither, whose keys cannot be told from anyone's."""
    user = getattr(request, "user", None)
    if getattr(user, "is_authenticated", False) and getattr(user, "pk", None) is not None:
        return f"user:{user.pk}"  # type: ignore[union-attr]
    secret = request.META.get("CSRF_COOKIE")
    if secret:
        return "browser:" + hashlib.sha256(secret.encode()).hexdigest()[:40]
    return None


def access_mall_report(user: object, slug: str) -> Mall:
    """A mall whose daily report the user may read: its supervisor, or the regency's
    administrator, leadership and auditors. 404 for an unknown mall, 403 otherwise."""
    mall = Mall.objects.select_related("region").filter(slug=slug).first()
    if mall is None:
        raise Http404(_("Mal tidak ditemukan."))
    profile = staff_profile(user)
    allowed = profile is not None and (
        (profile.sees_whole_region and profile.region_id == mall.region_id)
        or (profile.role == Role.MALL_SUPERVISOR and profile.mall_id == mall.pk)
    )
    if not allowed:
        raise PermissionDenied(_("Laporan ini hanya untuk pengawas mal dan pimpinan daerah."))
    return mall


def access_counter_to_reassign(user: object, slug: str, counter_id: int) -> Counter:
    """A counter of the mall `slug` that the user may give to another tenant: the mall's
    supervisor or the regency administrator. 404 unknown (or of another mall), 403 otherwise."""
    counter = (
        Counter.objects.select_related("mall__region", "tenant")
        .filter(pk=counter_id, mall__slug=slug)
        .first()
    )
    if counter is None:
        raise Http404(_("Loket tidak ditemukan."))
    profile = staff_profile(user)
    allowed = profile is not None and (
        (profile.role == Role.REGENCY_ADMIN and profile.region_id == counter.mall.region_id)
        or (profile.role == Role.MALL_SUPERVISOR and profile.mall_id == counter.mall_id)
    )
    if not allowed:
        raise PermissionDenied(_("Hanya pengawas mal ini yang dapat mengatur loket."))
    return counter
