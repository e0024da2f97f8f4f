"""Applications in the admin: read only, scoped like the staff pages' lists (accounts.admin_scope):
a supervisor their mall's, an officer their tenant's at their malls, the regency administrator
every mall's. Applications change only through their steps (applications.actions, the staff
pages and the API); the phone number is shown masked."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from mpp.accounts.admin_scope import ScopedAdmin, ScopedInline
from mpp.applications.models import Application, Pause, Step
from mpp.notifications.phone import mask_phone


class _ReadOnlyInline(ScopedInline):
    mall_path = "application__mall"
    tenant_path = "application__service__tenant"
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class StepInline(_ReadOnlyInline):
    model = Step
    fields = readonly_fields = ("status", "at", "by", "note")


class PauseInline(_ReadOnlyInline):
    model = Pause
    fields = readonly_fields = ("started_at", "ended_at", "reason")


@admin.register(Application)
class ApplicationAdmin(ScopedAdmin):
    mall_path = "mall"
    tenant_path = "service__tenant"
    list_display = ["grouped_code", "service", "mall", "status", "received_on", "due_date"]
    list_filter = ["status", "mall"]
    list_select_related = ["service", "mall"]
    date_hierarchy = "received_on"
    search_fields = ["code", "ticket_code"]
    # Every field but the phone, which is shown masked (phone_masked).
    fields = readonly_fields = (
        "code",
        "mall",
        "service",
        "status",
        "ticket_code",
        "received_at",
        "duration_value",
        "duration_unit",
        "due_date",
        "due_at",
        "warn_at",
        "paused_since",
        "returned_note",
        "completed_at",
        "collected_at",
        "pickup_place",
        "pickup_time",
        "phone_masked",
        "warned_at",
        "overdue_alerted_at",
        "created_by",
    )
    inlines = [StepInline, PauseInline]

    @admin.display(description=_("kode tanda terima"), ordering="code")
    def grouped_code(self, obj: Application) -> str:
        return obj.grouped_code

    @admin.display(description=_("nomor HP"))
    def phone_masked(self, obj: Application) -> str:
        return mask_phone(obj.phone) or "—"

    def get_search_results(self, request, queryset, search_term):  # type: ignore[no-untyped-def]
        """A code typed as on the slip (`7k3q-9xm2-pdwa`) finds it: dashes and case dropped."""
        term = search_term.replace("-", "").replace(" ", "").upper() if search_term else ""
        return super().get_search_results(request, queryset, term or search_term)

    def editable(self, request: HttpRequest, obj: Model | None) -> bool:
        return False  # applications change only through their steps (applications.actions)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
