"""How many remote numbers (phone, Metapers) one holder may keep, and how much of a mall's line
remote numbers may take: what stops a hoarder without stopping a family behind one address
(docs/adr/0028).

A holder is a person or a device: the signed-in citizen, else the phone's browser (the secret
of its CSRF cookie, kept hashed: the same caller as an idempotency key's owner), else, for a
caller that keeps no cookie, its address. The numbers it holds are counted while they are
active (waiting, called, being served): a number served, cancelled or missed frees its place.
The per-address limit per minute stays only as a ceiling against floods.
"""

from __future__ import annotations

import hashlib
import math

from django.db import connection
from django.http import HttpRequest
from django.utils.translation import gettext as _

from mpp.core.ratelimit import allow
from mpp.queueing.access import idempotency_owner
from mpp.queueing.exceptions import HolderLimitReached, TicketRefused
from mpp.queueing.models import QueueSettings, Ticket

# One person's day: numbers at two or three tenants (KTP at Disdukcapil, SIM at Satpas) and,
# for one service, their own and one relative's.
MAX_ACTIVE_PER_HOLDER = 3
MAX_ACTIVE_PER_HOLDER_SERVICE = 2
# Against floods only: a carrier's address (CGNAT) or a mall's Wi-Fi carries many phones.
ADDRESS_ISSUES_PER_MINUTE = 30

REMOTE = (Ticket.Channel.ONLINE, Ticket.Channel.METAPERS)
ACTIVE = (Ticket.Status.WAITING, Ticket.Status.CALLED, Ticket.Status.SERVING)


def holder_of(request: HttpRequest) -> str:
    """The person or device a remote number is for (see the module's docstring)."""
    owner = idempotency_owner(request)
    if owner:
        return owner
    address = request.META.get("REMOTE_ADDR", "")
    return "address:" + hashlib.sha256(address.encode()).hexdigest()[:40]


def address_may_issue(address: str) -> bool:
    """The flood ceiling of remote numbers from one address per minute."""
    return allow(f"issue:{address}", limit=ADDRESS_ISSUES_PER_MINUTE, window_seconds=60)


def check_remote_limits(ticket: Ticket, *, rules: QueueSettings, quota: int | None) -> None:
    """Refuse a remote `ticket` just written (inside issuing's write transaction, its queue's
    sequence row locked) that one holder or the mall's online share may not take: raising
    rolls the ticket and its number back, no gap (docs/adr/0005).

    Counted with the new ticket. The queue's sequence lock makes the share counts exact; the
    holder's numbers span queues, so on PostgreSQL a transaction lock on the holder makes two
    requests of one phone at once count one after the other (SQLite has one writer)."""
    _check_share(ticket, rules=rules, quota=quota)
    if ticket.holder:
        _check_holder(ticket)


def _check_share(ticket: Ticket, *, rules: QueueSettings, quota: int | None) -> None:
    remote = Ticket.objects.filter(
        queue_id=ticket.queue_id, service_day=ticket.service_day, channel__in=REMOTE
    )
    if quota is not None:
        share = math.floor(quota * rules.online_share_percent / 100)
        taken = (
            remote.filter(service_id=ticket.service_id)
            .exclude(status=Ticket.Status.CANCELLED)
            .count()
        )
        if taken > share:
            raise TicketRefused(
                _(
                    "Nomor antrean daring untuk %(s)s hari ini sudah habis (%(n)d dari kuota "
                    "%(q)d). Sisa kuota disediakan bagi yang datang langsung: ambil nomor di kios "
                    "mal."
                )
                % {"s": ticket.service.name, "n": share, "q": quota},
                code="online_share_reached",
            )
        return
    waiting = remote.filter(status=Ticket.Status.WAITING).count()
    if waiting > rules.online_waiting_max:
        raise TicketRefused(
            _(
                "Antrean daring %(q)s sedang penuh (%(n)d nomor daring menunggu). Coba lagi "
                "setelah beberapa nomor dipanggil, atau ambil nomor di kios mal."
            )
            % {"q": ticket.queue.name, "n": rules.online_waiting_max},
            code="online_waiting_full",
        )


def _check_holder(ticket: Ticket) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(hashtext(%s))", ["holder:" + ticket.holder]
            )
    held = list(
        Ticket.objects.filter(
            holder=ticket.holder,
            service_day=ticket.service_day,
            channel__in=REMOTE,
            status__in=ACTIVE,
        )
        .select_related("queue")
        .order_by("issued_at", "pk")
    )
    others = [t for t in held if t.pk != ticket.pk]
    same_service = [t for t in others if t.service_id == ticket.service_id]
    if len(same_service) >= MAX_ACTIVE_PER_HOLDER_SERVICE:
        raise HolderLimitReached(
            _(
                "Anda sudah memegang %(n)d nomor antrean daring untuk %(s)s yang masih aktif "
                "(%(list)s). Batalkan nomor yang tidak dipakai dari halaman nomornya, atau "
                "tunggu sampai dilayani."
            )
            % {
                "n": len(same_service),
                "s": ticket.service.name,
                "list": ", ".join(t.display_number for t in same_service),
            },
            code="holder_service_limit",
        )
    if len(others) >= MAX_ACTIVE_PER_HOLDER:
        raise HolderLimitReached(
            _(
                "Anda sudah memegang %(n)d nomor antrean daring yang masih aktif hari ini "
                "(%(list)s), batas untuk satu orang atau satu ponsel. Batalkan nomor yang tidak "
                "dipakai dari halaman nomornya, atau tunggu sampai dilayani."
            )
            % {"n": len(others), "list": ", ".join(t.display_number for t in others)},
            code="holder_limit",
        )
