"""Admin of staff roles (regency administrator only) and of the audit trail."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from mpp.accounts.access import malls_visible_to, staff_profile
from mpp.accounts.admin_scope import ScopedAdmin, is_regency_admin, is_superuser
from mpp.accounts.models import Role, StaffProfile
from mpp.core.models import AuditEntry


@admin.register(StaffProfile)
class StaffProfileAdmin(ScopedAdmin):
    list_display = ["user", "role", "mall", "tenant"]
    list_filter = ["role"]
    search_fields = ["user__username"]
    filter_horizontal = ["malls"]
    fieldsets = [
        (None, {"fields": ["user", "role", "region", "mall", "tenant", "malls"]}),
        (
            _("Printer jaringan perangkat kios"),
            {
                "fields": ["printer_host", "printer_port"],
                "description": _(
                    "Printer termal 58 mm ESC/POS di jaringan mal. Kosongkan host agar kios "
                    "mencetak lewat peramban."
                ),
            },
        ),
    ]

    def visible(self, request: HttpRequest, qs: QuerySet[Any]) -> QuerySet[Any]:
        return qs if is_regency_admin(request) else qs.none()

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_regency_admin(request)


@admin.register(AuditEntry)
class AuditEntryAdmin(ScopedAdmin):
    list_display = ["at", "actor", "action", "object_type", "object_id", "mall_id"]
    list_filter = ["action"]

    def visible(self, request: HttpRequest, qs: QuerySet[Any]) -> QuerySet[Any]:
        if is_superuser(request):
            return qs
        profile = staff_profile(request.user)
        if profile is None:
            return qs.none()
        if profile.role in {Role.REGENCY_ADMIN, Role.AUDITOR, Role.LEADERSHIP}:
            return qs
        return qs.filter(mall_id__in=malls_visible_to(request.user).values("pk"))

    def editable(self, request: HttpRequest, obj: Model | None) -> bool:
        return False  # the audit trail is append-only

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
