"""Admin of queues, counters and queue rules, scoped to the mall; tickets are read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from mpp.accounts.access import can_edit_mall, malls_editable_by, malls_visible_to
from mpp.accounts.admin_scope import ScopedAdmin, is_superuser
from mpp.queueing.models import Counter, Queue, QueueSettings, Ticket


class MallScopedAdmin(ScopedAdmin):
    """Rows that belong to one mall: visible and editable as that mall is."""

    def visible(self, request: HttpRequest, qs: QuerySet[Any]) -> QuerySet[Any]:
        if is_superuser(request):
            return qs
        return qs.filter(mall__in=malls_visible_to(request.user))

    def editable(self, request: HttpRequest, obj: Model | None) -> bool:
        if is_superuser(request):
            return True
        if obj is None:
            return malls_editable_by(request.user).exists()
        return can_edit_mall(request.user, obj.mall)  # type: ignore[attr-defined]

    def _edits_some(self, request: HttpRequest) -> bool:
        return malls_editable_by(request.user).exists()


@admin.register(Queue)
class QueueAdmin(MallScopedAdmin):
    list_display = ["letter", "name", "mall"]
    list_filter = ["mall"]
    filter_horizontal = ["tenants"]


@admin.register(Counter)
class CounterAdmin(MallScopedAdmin):
    list_display = ["number", "mall", "tenant", "status", "officer"]
    list_filter = ["mall", "status"]
    filter_horizontal = ["queues"]


@admin.register(QueueSettings)
class QueueSettingsAdmin(MallScopedAdmin):
    list_display = ["mall", "normal_per_priority", "max_wait_minutes", "is_online_open"]


@admin.register(Ticket)
class TicketAdmin(MallScopedAdmin):
    list_display = ["__str__", "mall", "service_day", "status", "priority", "counter"]
    list_filter = ["status", "priority", "channel"]
    date_hierarchy = "service_day"
    list_select_related = ["queue", "mall", "counter"]

    def editable(self, request: HttpRequest, obj: Model | None) -> bool:
        return False  # tickets change only through the queue's actions

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
