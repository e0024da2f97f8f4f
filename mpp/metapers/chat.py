""" "Tanya petugas": a visitor's text chat with a tenant's officers, and every change to it.

Every write goes through one of the actions below (views call them; consumers never write).
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

import re
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mpp.accounts.models import Role, StaffProfile
from mpp.catalog.models import MallTenant, Service, Tenant
from mpp.catalog.search import best_named, search_services
from mpp.core import clock
from mpp.core.db import write_transaction
from mpp.core.events import Event, group_name, publish
from mpp.core.models import audit
from mpp.core.privacy import mask_personal_data
from mpp.core.ratelimit import allow
from mpp.malls.models import Mall
from mpp.metapers import presence
from mpp.metapers.models import CannedAnswer, ChatMessage, Conversation
from mpp.queueing.models import Counter

MAX_LENGTH = 1000  # ChatMessage.text
# A person types a question in more than ten seconds; faster is a script or a stuck key.
VISITOR_MESSAGES_PER_MINUTE = 6
# Clearing cookies gives a new key: the address bounds that too (a kampung's shared Wi-Fi
# sits behind one address, hence the larger figure).
ADDRESS_MESSAGES_PER_MINUTE = 30


class ChatRefused(Exception):
    """A chat request refused; `str(exc)` is the Indonesian message, `status` the HTTP code."""

    def __init__(self, message: str, *, code: str, status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.status = status


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


def _publish(conversation: Conversation, event_type: str) -> None:
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
        _("Petugas %(t)s sedang tidak daring. Jam layanan di %(m)s: %(h)s.")
        % {"t": tenant.short_name, "m": mall.short_name, "h": tenant_hours(mall, tenant)},
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


# -- actions -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Posted:
    conversation: Conversation
    message: ChatMessage
    auto_answer: ChatMessage | None = None


def _add(conversation: Conversation, sender: str, text: str, *, officer: Any = None) -> ChatMessage:
    masked, was_masked = mask_personal_data(text)
    now = clock.now()
    message = ChatMessage.objects.create(
        conversation=conversation,
        sender=sender,
        officer=officer,
        text=masked,
        was_masked=was_masked,
        sent_at=now,
    )
    conversation.last_message_at = now
    return message


def post_visitor_message(
    *, mall: Mall, tenant: Tenant, visitor_key: str, text: str, address: str
) -> Posted:
    """A visitor's message, starting a conversation if none is open; answered from the
    catalogue when no officer is online. Refused (nothing stored) when empty, too long, or
    past the rate limit (429)."""
    text = clean_text(text)
    if not (
        allow(f"chat:{visitor_key}", limit=VISITOR_MESSAGES_PER_MINUTE, window_seconds=60)
        and allow(f"chat-ip:{address}", limit=ADDRESS_MESSAGES_PER_MINUTE, window_seconds=60)
    ):
        raise ChatRefused(
            _("Terlalu banyak pesan dalam semenit; tunggu sebentar lalu kirim lagi."),
            code="flooding",
            status=429,
        )
    online = officers_online(mall, tenant)
    with write_transaction():
        conversation = (
            Conversation.objects.filter(mall=mall, tenant=tenant, visitor_key=visitor_key)
            .exclude(status=Conversation.Status.CLOSED)
            .order_by("-started_at")
            .first()
        )
        started = conversation is None
        if conversation is None:
            now = clock.now()
            conversation = Conversation.objects.create(
                mall=mall,
                tenant=tenant,
                visitor_key=visitor_key,
                started_at=now,
                last_message_at=now,
            )
        message = _add(conversation, ChatMessage.Sender.VISITOR, text)
        auto = None
        if not online:
            auto = _add(conversation, ChatMessage.Sender.SYSTEM, offline_answer(mall, tenant, text))
        conversation.save(update_fields=["last_message_at"])
        _publish(conversation, "conversation.started" if started else "message.posted")
    return Posted(conversation, message, auto)


def _require_not_closed(conversation: Conversation) -> None:
    if conversation.status == Conversation.Status.CLOSED:
        raise ChatRefused(_("Percakapan ini sudah selesai."), code="closed", status=409)


def _require_free_or_mine(conversation: Conversation, officer: Any) -> None:
    holder = conversation.officer
    if holder is not None and holder.pk != officer.pk:
        raise ChatRefused(
            _("Percakapan ini sedang ditangani %(o)s; minta dialihkan kepada Anda.")
            % {"o": holder.get_full_name() or holder.get_username()},
            code="taken",
            status=409,
        )


def _locked(conversation: Conversation) -> Conversation:
    return (
        Conversation.objects.select_for_update(of=("self",))
        .select_related("officer", "mall", "tenant")
        .get(pk=conversation.pk)
    )


def claim_conversation(*, conversation: Conversation, acting_user: Any) -> Conversation:
    """An officer takes a waiting conversation (or one already theirs: no change)."""
    with write_transaction():
        conversation = _locked(conversation)
        _require_not_closed(conversation)
        _require_free_or_mine(conversation, acting_user)
        if conversation.officer_id == acting_user.pk:
            return conversation
        conversation.officer = acting_user
        conversation.status = Conversation.Status.OPEN
        _add(
            conversation,
            ChatMessage.Sender.SYSTEM,
            _("Petugas %(t)s bergabung.") % {"t": conversation.tenant.short_name},
        )
        conversation.save(update_fields=["officer", "status", "last_message_at"])
        audit(
            actor=acting_user,
            action="conversation.claimed",
            obj=conversation,
            mall_id=conversation.mall_id,
        )
        _publish(conversation, "conversation.claimed")
    return conversation


def post_officer_reply(
    *,
    conversation: Conversation,
    text: str = "",
    canned: CannedAnswer | None = None,
    acting_user: Any,
) -> ChatMessage:
    """An officer's reply (typed, or a canned answer of their tenant); replying to a waiting
    conversation claims it."""
    if canned is not None:
        if canned.tenant_id != conversation.tenant_id:
            raise ChatRefused(_("Jawaban siap pakai ini milik instansi lain."), code="canned")
        text = canned.text
    text = clean_text(text)
    with write_transaction():
        conversation = _locked(conversation)
        _require_not_closed(conversation)
        _require_free_or_mine(conversation, acting_user)
        conversation.officer = acting_user
        conversation.status = Conversation.Status.OPEN
        message = _add(conversation, ChatMessage.Sender.OFFICER, text, officer=acting_user)
        conversation.save(update_fields=["officer", "status", "last_message_at"])
        _publish(conversation, "message.posted")
    return message


def colleagues_of(conversation: Conversation) -> QuerySet[StaffProfile]:
    """Officers of the conversation's tenant who serve at its mall: who may take it over."""
    return StaffProfile.objects.filter(
        role=Role.TENANT_OFFICER,
        tenant_id=conversation.tenant_id,
        malls=conversation.mall_id,
        user__is_active=True,
    ).select_related("user")


def hand_over_conversation(
    *, conversation: Conversation, to_officer_id: int | None, acting_user: Any
) -> Conversation:
    """Give the conversation to a colleague of the same tenant at this mall, or release it to
    the tenant's pool (None: it waits again for whoever claims it)."""
    with write_transaction():
        conversation = _locked(conversation)
        _require_not_closed(conversation)
        _require_free_or_mine(conversation, acting_user)
        if to_officer_id is None:
            conversation.officer = None
            conversation.status = Conversation.Status.WAITING
            note = _("Percakapan dikembalikan ke petugas %(t)s; mohon tunggu sebentar.")
        else:
            target = colleagues_of(conversation).filter(user_id=to_officer_id).first()
            if target is None:
                raise ChatRefused(
                    _("Petugas tujuan bukan petugas %(t)s di %(m)s.")
                    % {"t": conversation.tenant.short_name, "m": conversation.mall.short_name},
                    code="not_colleague",
                )
            conversation.officer = target.user
            conversation.status = Conversation.Status.OPEN
            note = _("Percakapan dialihkan ke petugas %(t)s lain.")
        _add(conversation, ChatMessage.Sender.SYSTEM, note % {"t": conversation.tenant.short_name})
        conversation.save(update_fields=["officer", "status", "last_message_at"])
        audit(
            actor=acting_user,
            action="conversation.handed_over",
            obj=conversation,
            mall_id=conversation.mall_id,
            data={"to": to_officer_id},
        )
        _publish(conversation, "conversation.handed_over")
    return conversation


def close_conversation(*, conversation: Conversation, acting_user: Any) -> Conversation:
    """End the conversation; the visitor's next message starts a new one."""
    with write_transaction():
        conversation = _locked(conversation)
        _require_not_closed(conversation)
        _require_free_or_mine(conversation, acting_user)
        conversation.status = Conversation.Status.CLOSED
        _add(conversation, ChatMessage.Sender.SYSTEM, _("Percakapan selesai. Terima kasih."))
        conversation.save(update_fields=["status", "last_message_at"])
        audit(
            actor=acting_user,
            action="conversation.closed",
            obj=conversation,
            mall_id=conversation.mall_id,
        )
        _publish(conversation, "conversation.closed")
    return conversation


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
