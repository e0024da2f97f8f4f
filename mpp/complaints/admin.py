"""Complaints in the admin: read-only (they change only through the staff pages' actions,
each audited), scoped to the reader's mall (accounts.admin_scope) and, for a tenant officer,
to their tenant. The contact is shown masked, never whole."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from mpp.accounts.admin_scope import ScopedAdmin, ScopedInline
from mpp.complaints.actions import masked_contact
from mpp.complaints.models import Complaint, Reply


class ReplyInline(ScopedInline):
    model = Reply
    mall_path = "complaint__mall"
    tenant_path = "complaint__tenant"
    fields = ["at", "from_complainant", "is_internal", "by", "text"]
    readonly_fields = ["at", "from_complainant", "is_internal", "by", "text"]

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Complaint)
class ComplaintAdmin(ScopedAdmin):
    mall_path = "mall"
    tenant_path = "tenant"
    list_display = ["__str__", "created_at", "mall", "tenant", "topic", "status", "verify_by"]
    list_filter = ["status", "topic", "source"]
    list_select_related = ["mall", "tenant"]
    date_hierarchy = "created_at"
    exclude = ["contact"]
    readonly_fields = ["contact_masked"]
    inlines = [ReplyInline]

    @admin.display(description=_("kontak (tersamar)"))
    def contact_masked(self, obj: Complaint) -> str:
        return masked_contact(obj) or "–"

    def editable(self, request: HttpRequest, obj: Model | None) -> bool:
        return False  # complaints change only through their actions (the staff pages)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
