""" "Tanya petugas": a visitor's text chat with a tenant's officers: its rules and its reads.

Every write goes through one of the chat actions in `metapers.actions` (views call them;
consumers never write); they check the rules below.
Invariants:
- a visitor has at most one conversation not closed per (mall, tenant, visitor key); a message
  after it was closed starts a new one;
- text that looks like a NIK or a phone number is masked before it is stored or sent, whoever
  writes it (UU 27/2022 on personal data: collect a NIK only where a service needs it);
- a conversation is answered by one officer at a time: a waiting one is claimed (or claimed by
  replying), an open one is handed over to a colleague or released to the tenant's pool;
- events carry ids and states only, never the text: screens fetch the snapshot
  (`messages_for_display`) on each event, and the snapshot doubles as the polling fallback.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mpp.accounts.models import Role, StaffProfile
from mpp.catalog.models import MallTenant, Service, Tenant
from mpp.catalog.search import best_named, search_services
from mpp.core import clock
from mpp.core.events import Event, group_name, publish
from mpp.malls.models import LOOKAHEAD_DAYS, Mall
from mpp.metapers import presence
from mpp.metapers.exceptions import (
    ChatRefused as ChatRefused,  # raised here; importers keep this name
)
from mpp.metapers.models import ChatMessage, Conversation
from mpp.queueing.models import Counter

MAX_LENGTH = 1000  # ChatMessage.text
# A person types a question in more than ten seconds; faster is a script or a stuck key.
VISITOR_MESSAGES_PER_MINUTE = 6
# Clearing cookies gives a new key: the address bounds that too (a kampung's shared Wi-Fi
# sits behind one address, hence the larger figure).
ADDRESS_MESSAGES_PER_MINUTE = 30


def clean_text(text: str) -> str:
    """The message as it will be stored: trimmed, not empty, at most MAX_LENGTH characters."""
    text = (text or "").strip()
    if not text:
        raise ChatRefused(_("Pesan kosong; tulis pertanyaan Anda."), code="empty")
    if len(text) > MAX_LENGTH:
        raise ChatRefused(
            _("Pesan terlalu panjang: %(n)d karakter, paling banyak %(max)d.")
            % {"n": len(text), "max": MAX_LENGTH},
            code="too_long",
        )
    return text


# -- events ------------------------------------------------------------------------------------


def chat_group(conversation_id: int) -> str:
    return group_name("chat", conversation_id)


def inbox_group(tenant_id: int, mall_id: int) -> str:
    """The officers of one tenant at one mall: they share an inbox."""
    return group_name("inbox", f"{tenant_id}-{mall_id}")


def mall_inbox_group(mall_id: int) -> str:
    """The mall's supervisors, who read every tenant's conversations there."""
    return group_name("inbox-mall", mall_id)


def publish_conversation(conversation: Conversation, event_type: str) -> None:
    """Tell the conversation's screens and the inboxes that it changed (ids and state only)."""
    event = Event(event_type, {"conversation": conversation.pk, "status": conversation.status})
    publish(chat_group(conversation.pk), event)
    publish(inbox_group(conversation.tenant_id, conversation.mall_id), event)
    publish(mall_inbox_group(conversation.mall_id), event)


# -- who is online -----------------------------------------------------------------------------


def officers_online(mall: Mall, tenant: Tenant) -> bool:
    """An officer of the tenant is at an open counter of the mall or has the inbox open."""
    if presence.officers_connected(tenant.pk, mall.pk):
        return True
    return Counter.objects.filter(
        mall=mall, tenant=tenant, status=Counter.Status.OPEN, officer__isnull=False
    ).exists()


def tenant_hours(mall: Mall, tenant: Tenant) -> str:
    """ "Senin–Kamis 08.00–16.00; Jumat 08.00–16.00 (istirahat 11.30–13.30)": the mall's hours
    on the tenant's service days there (MallTenant.days, else the tenant's own days)."""
    at_mall = MallTenant.objects.filter(mall=mall, tenant=tenant).select_related("tenant").first()
    days = {int(d) for d in (at_mall.days if at_mall else tenant.service_days)}
    parts = []
    for row in mall.opening_hours.all():
        if row.weekday not in days:
            continue
        text = f"{row.get_weekday_display()} {row.opens:%H.%M}–{row.closes:%H.%M}"
        if row.break_starts and row.break_ends:
            text += " " + _("(istirahat %(a)s–%(b)s)") % {
                "a": f"{row.break_starts:%H.%M}",
                "b": f"{row.break_ends:%H.%M}",
            }
        parts.append(text)
    return "; ".join(parts) or _("belum ada jadwal")


def next_answer_at(mall: Mall, tenant: Tenant, instant: dt.datetime) -> dt.datetime | None:
    """When the tenant's officers next serve at the mall, in the mall's local time: `instant`
    itself while the mall is open on one of the tenant's days there (the officers are just not
    at the chat), the end of the break during one, else the next opening on one of the
    tenant's days (holidays skipped), within LOOKAHEAD_DAYS; None when nothing is planned."""
    if not mall.is_operating:
        return None
    at_mall = MallTenant.objects.filter(mall=mall, tenant=tenant).select_related("tenant").first()
    days = at_mall.days if at_mall else tenant.service_days
    local = instant.astimezone(mall.zone)
    hours = list(mall.opening_hours.all())
    holidays = mall.holidays_between(local.date(), LOOKAHEAD_DAYS)
    for offset in range(LOOKAHEAD_DAYS + 1):
        day = local.date() + dt.timedelta(days=offset)
        row = mall.hours_on(day, hours=hours, holidays=holidays)
        if row is None or str(day.isoweekday()) not in days:
            continue
        opens = dt.datetime.combine(day, row.opens, tzinfo=mall.zone)
        closes = dt.datetime.combine(day, row.closes, tzinfo=mall.zone)
        if offset > 0 or local < opens:
            return opens
        if local >= closes:
            continue
        if (
            row.break_starts
            and row.break_ends
            and row.break_starts <= local.time() < row.break_ends
        ):
            return dt.datetime.combine(day, row.break_ends, tzinfo=mall.zone)
        return local
    return None


def when_officers_answer(mall: Mall, tenant: Tenant, instant: dt.datetime) -> str:
    """What a visitor reads while no officer is online (issue 18, item 11): when officers
    answer, as "Selasa, 8 Desember 2026 pukul 08.00 WITA", and the tenant's hours there."""
    hours = tenant_hours(mall, tenant)
    at = next_answer_at(mall, tenant, instant)
    if at is None:
        return _(
            "Petugas %(t)s sedang tidak daring dan belum ada jadwal layanan di %(m)s. "
            "Pesan Anda tetap tersimpan."
        ) % {"t": tenant.short_name, "m": mall.short_name}
    if at == instant.astimezone(mall.zone):
        return _(
            "Petugas %(t)s sedang melayani di loket dan belum membuka obrolan. Pesan Anda "
            "tersimpan dan dijawab pada jam layanan (%(h)s)."
        ) % {"t": tenant.short_name, "h": hours}
    return _(
        "Petugas %(t)s sedang tidak daring. Pesan Anda tersimpan dan dijawab mulai "
        "%(when)s. Jam layanan di %(m)s: %(h)s."
    ) % {
        "t": tenant.short_name,
        "m": mall.short_name,
        "h": hours,
        "when": _("%(day)s pukul %(time)s %(zone)s")
        % {
            "day": date_format(at, "l, j F Y"),
            "time": f"{at:%H.%M}",
            "zone": at.tzname(),
        },
    }


def best_service(mall: Mall, tenant: Tenant, question: str) -> Service | None:
    """The tenant's service at the mall that best answers the question: the one whose name and
    keywords hold most of its words (catalog.search.best_named), else the catalogue search's
    first hit (a word found only in requirements or the product)."""
    offered = Service.objects.active().offered_at(mall).filter(tenant=tenant)
    found = best_named(question, offered)
    if found is None:
        result = search_services(question, offered)
        if not result.terms or not result.hits:
            return None
        found = result.hits[0].id
    return Service.objects.filter(pk=found).first()


AUTO_ANSWER_HEADER = gettext_lazy("Jawaban otomatis dari katalog layanan")


def offline_answer(mall: Mall, tenant: Tenant, question: str) -> str:
    """What the visitor reads when no officer is online: the tenant's hours here and the
    published standard of the best-matching service, its page's path on the last line."""
    lines = [
        str(AUTO_ANSWER_HEADER) + ".",
        when_officers_answer(mall, tenant, clock.now()),
    ]
    service = best_service(mall, tenant, question)
    if service is None:
        lines.append(_("Belum ada layanan yang cocok dengan pertanyaan Anda. Lihat semua layanan:"))
        lines.append(reverse("catalog:tenant-detail", kwargs={"slug": tenant.slug}))
        return "\n".join(lines)
    lines.append(_("Layanan yang paling sesuai: %(s)s.") % {"s": service.name})
    if service.requirements:
        lines.append(_("Persyaratan: %(r)s.") % {"r": "; ".join(service.requirements)})
    lines.append(_("Biaya: %(f)s.") % {"f": service.fee})
    lines.append(_("Waktu penyelesaian: %(d)s.") % {"d": service.duration})
    lines.append(service.get_absolute_url() + f"?mall={mall.slug}")
    return "\n".join(lines)


def colleagues_of(conversation: Conversation) -> QuerySet[StaffProfile]:
    """Officers of the conversation's tenant who serve at its mall: who may take it over."""
    return StaffProfile.objects.filter(
        role=Role.TENANT_OFFICER,
        tenant_id=conversation.tenant_id,
        malls=conversation.mall_id,
        user__is_active=True,
    ).select_related("user")


# -- reads -------------------------------------------------------------------------------------

_LOCAL_PATH = re.compile(r"^/[\w/?=&.-]*$")


def message_view(message: ChatMessage) -> dict[str, Any]:
    """A message for a page or the snapshot JSON. A system answer's last line, when it is a
    path of this site, becomes its link (rendered as a link, never as markup from the text)."""
    text, link = message.text, ""
    if message.sender == ChatMessage.Sender.SYSTEM:
        head, _sep, last = text.rpartition("\n")
        if head and _LOCAL_PATH.match(last):
            text, link = head, last
    return {
        "id": message.pk,
        "sender": message.sender,
        "text": text,
        "link": link,
        "was_masked": message.was_masked,
        "is_auto": message.sender == ChatMessage.Sender.SYSTEM
        and text.startswith(str(AUTO_ANSWER_HEADER)),
        "sent_at": message.sent_at.astimezone(clock.now().tzinfo).isoformat(),
    }


def messages_for_display(conversation: Conversation) -> list[dict[str, Any]]:
    return [message_view(m) for m in conversation.messages.all()]


def snapshot(conversation: Conversation) -> dict[str, Any]:
    """The conversation as its pages load it and reload it on every event."""
    return {
        "conversation": conversation.pk,
        "status": conversation.status,
        "status_display": conversation.get_status_display(),
        "messages": messages_for_display(conversation),
    }


def current_conversation(
    mall: Mall, tenant: Tenant, visitor_key: str | None
) -> Conversation | None:
    """The visitor's latest conversation with the tenant at the mall (perhaps closed)."""
    if not visitor_key:
        return None
    return (
        Conversation.objects.filter(mall=mall, tenant=tenant, visitor_key=visitor_key)
        .order_by("-started_at", "-pk")
        .first()
    )


def inbox_conversations(*, tenant_ids: list[int] | None, malls: list[int]) -> list[Conversation]:
    """Waiting and open conversations of the given tenants (None: every tenant) at the malls,
    waiting ones first, the oldest waiting at the top."""
    qs = (
        Conversation.objects.filter(mall_id__in=malls)
        .exclude(status=Conversation.Status.CLOSED)
        .select_related("mall", "tenant", "officer")
    )
    if tenant_ids is not None:
        qs = qs.filter(tenant_id__in=tenant_ids)
    rows = list(qs.order_by("last_message_at")[:200])
    rows.sort(key=lambda c: c.status != Conversation.Status.WAITING)
    return rows
