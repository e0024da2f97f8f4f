"""The outbox in the staff admin, read-only (docs/adr/0033): what was sent to whom (masked),
by which channel, and why a message was not sent. The regency administrator sees every mall's
messages, a mall supervisor their mall's; nobody else (a message is a citizen's contact)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from mpp.accounts.access import staff_profile
from mpp.accounts.admin_scope import ScopedAdmin, is_regency_admin, is_superuser
from mpp.accounts.models import Role
from mpp.notifications.models import Channel, Message
from mpp.notifications.phone import mask_phone


def masked_recipient(message: Message) -> str:
    """The recipient as a list may show it: `0812****789`, `b***@contoh.id`, or empty once
    erased."""
    if not message.recipient:
        return ""
    if message.channel == Channel.EMAIL:
        local, _at, domain = message.recipient.partition("@")
        return f"{local[:1]}***@{domain}"
    return mask_phone(message.recipient)


@admin.register(Message)
class MessageAdmin(ScopedAdmin):
    mall_path = "mall"

    list_display = ["created_at", "kind", "channel", "recipient_masked", "status", "attempts"]
    list_filter = ["status", "channel", "kind", "mall"]
    list_select_related = ["mall"]
    search_fields = ["key", "provider_message_id"]
    date_hierarchy = "created_at"
    fields = readonly_fields = (
        "kind",
        "channel",
        "provider",
        "recipient_masked",
        "subject",
        "body",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "provider_message_id",
        "created_at",
        "sent_at",
        "expires_at",
        "recipient_erased_at",
        "mall",
        "key",
    )

    @admin.display(description=_("penerima"))
    def recipient_masked(self, obj: Message) -> str:
        return masked_recipient(obj)

    def visible(self, request: HttpRequest, qs: QuerySet[Any]) -> QuerySet[Any]:
        if is_superuser(request):
            return qs
        profile = staff_profile(request.user)
        if profile is None:
            return qs.none()
        if profile.role == Role.REGENCY_ADMIN:
            return qs.filter(mall__region_id=profile.region_id) | qs.filter(mall__isnull=True)
        if profile.role == Role.MALL_SUPERVISOR:
            return super().visible(request, qs)
        return qs.none()

    def has_module_permission(self, request: HttpRequest) -> bool:
        profile = staff_profile(request.user)
        return is_regency_admin(request) or (
            profile is not None and profile.role == Role.MALL_SUPERVISOR
        )

    def editable(self, request: HttpRequest, obj: Model | None) -> bool:
        return False  # the record of what was sent: written by the outbox only

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
