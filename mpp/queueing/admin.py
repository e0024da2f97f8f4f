"""Admin of queues, counters and queue rules, scoped to the mall (accounts.admin_scope).

What carries the queue's rules is not edited here around its action: a counter's state and
officer belong to the console (set_counter_status), its tenant changes through
reassign_counter (audited, closes it, gives it that tenant's queues), its queues follow from
its tenant; a queue or counter never moves to another mall; tickets are read-only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest
from django.utils.translation import gettext as _

from mpp.accounts.admin_scope import ScopedAdmin
from mpp.catalog.models import MallTenant
from mpp.queueing.actions import reassign_counter
from mpp.queueing.exceptions import QueueError
from mpp.queueing.models import Counter, Queue, QueueSettings, Ticket


class MallScopedAdmin(ScopedAdmin):
    """Rows that belong to one mall: visible and editable as that mall is; the mall is chosen
    when the row is added and never changed after."""

    mall_path = "mall"

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        return ["mall"] if obj is not None else []

    def _edits_some(self, request: HttpRequest) -> bool:
        return self.editable(request, None)


class QueueForm(forms.ModelForm):  # type: ignore[type-arg]
    def clean(self) -> dict[str, Any]:
        """A queue takes the numbers of tenants present at its mall only."""
        data = super().clean() or {}
        mall = data.get("mall") or getattr(self.instance, "mall", None)
        absent = [
            t.short_name
            for t in data.get("tenants") or []
            if mall is not None and not MallTenant.objects.filter(mall=mall, tenant=t).exists()
        ]
        if absent and mall is not None:
            self.add_error(
                "tenants",
                _("Tidak bertugas di %(m)s: %(t)s.")
                % {"m": mall.short_name, "t": ", ".join(absent)},
            )
        return data


@admin.register(Queue)
class QueueAdmin(MallScopedAdmin):
    form = QueueForm
    tenant_path = "tenants"
    list_display = ["letter", "name", "mall"]
    list_filter = ["mall"]
    filter_horizontal = ["tenants"]


@admin.register(Counter)
class CounterAdmin(MallScopedAdmin):
    tenant_path = "tenant"
    list_display = ["number", "mall", "tenant", "status", "officer"]
    list_filter = ["mall", "status"]
    filter_horizontal = ["queues"]
    refusals = (QueueError,)

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        # The console opens, pauses and closes a counter for its officer; its queues are its
        # tenant's at its mall (reassign_counter).
        readonly = ["status", "officer", "queues"]
        return readonly if obj is None else [*readonly, "mall"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change and "tenant" not in form.changed_data:
            super().save_model(request, obj, form, change)
            return
        if not change:
            super().save_model(request, obj, form, change)
        # The tenant is given through its action: refused while a citizen is at the counter,
        # which then closes, takes the tenant's queues, and is audited and announced.
        reassign_counter(counter=obj, tenant=obj.tenant, acting_user=request.user)
        others = [f for f in form.changed_data if f != "tenant"] if change else []
        if others:
            obj.save(update_fields=others)


@admin.register(QueueSettings)
class QueueSettingsAdmin(MallScopedAdmin):
    list_display = ["mall", "normal_per_priority", "max_wait_minutes", "is_online_open"]


@admin.register(Ticket)
class TicketAdmin(MallScopedAdmin):
    tenant_path = "service__tenant"
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
