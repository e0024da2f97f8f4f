"""Admin of staff roles (regency administrator only), API tokens, sign-in lockouts and the
audit trail."""

from __future__ import annotations

from typing import Any

from axes.models import AccessAttempt
from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from mpp.accounts.access import staff_profile
from mpp.accounts.actions import revoke_api_token
from mpp.accounts.admin_scope import ScopedAdmin, is_regency_admin, is_superuser
from mpp.accounts.models import ApiToken, Role, StaffProfile
from mpp.core.models import AuditEntry
from mpp.malls.access import malls_visible_to


@admin.register(StaffProfile)
class StaffProfileAdmin(ScopedAdmin):
    region_path = "region"
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
        if profile.role == Role.TENANT_OFFICER:
            # An entry names no tenant: an officer reads their own actions, not their malls'.
            return qs.filter(actor_id=request.user.pk)  # type: ignore[attr-defined]
        return qs.filter(mall_id__in=malls_visible_to(request.user).values("pk"))

    def editable(self, request: HttpRequest, obj: Model | None) -> bool:
        return False  # the audit trail is append-only

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(ScopedAdmin):
    """API tokens: the regency administrator sees and revokes everyone's, a person their own.
    The key is never shown (only its SHA-256 is stored); its first characters tell them apart."""

    region_path = "user__staff_profile__region"  # the scope of ScopedAdmin.visible

    list_display = ["user", "prefix", "created_at", "last_used_at", "expires_at"]
    list_filter = ["user__staff_profile__role"]
    search_fields = ["user__username", "prefix"]
    fields = readonly_fields = ("user", "prefix", "created_at", "last_used_at", "expires_at")
    actions = ["revoke_selected"]

    def visible(self, request: HttpRequest, qs: QuerySet[Any]) -> QuerySet[Any]:
        qs = super().visible(request, qs).select_related("user")
        return qs if is_regency_admin(request) else qs.filter(user_id=request.user.pk)

    def editable(self, request: HttpRequest, obj: Model | None) -> bool:
        return False  # a token is made by signing in through the API, and only revoked here

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self.has_view_permission(request, obj)  # one's own tokens, or everyone's

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # revoking writes the audit trail
        return actions

    @admin.action(description=_("Cabut token terpilih"))
    def revoke_selected(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        tokens = list(self.get_queryset(request).filter(pk__in=queryset.values("pk")))
        for token in tokens:
            revoke_api_token(token, acting_user=request.user)
        self.message_user(request, _("%(n)d token dicabut.") % {"n": len(tokens)})

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        revoke_api_token(obj, acting_user=request.user)


@admin.register(AccessAttempt)
class AccessAttemptAdmin(ScopedAdmin):
    """Failed sign-ins counted by django-axes (docs/adr/0018): the regency administrator sees who
    is locked out and lifts a lock by deleting its row."""

    list_display = ["username", "ip_address", "failures_since_start", "attempt_time"]
    search_fields = ["username", "ip_address"]
    fields = readonly_fields = (
        "username",
        "ip_address",
        "user_agent",
        "failures_since_start",
        "attempt_time",
    )

    def visible(self, request: HttpRequest, qs: QuerySet[Any]) -> QuerySet[Any]:
        return qs if is_regency_admin(request) else qs.none()

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_regency_admin(request)

    def editable(self, request: HttpRequest, obj: Model | None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
