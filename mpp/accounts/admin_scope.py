"""Role scoping for the Django admin: every ModelAdmin asks the access helpers, never Django's
per-model permission table, so the admin and the API answer the same question the same way."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from mpp.accounts.access import staff_profile
from mpp.accounts.models import Role
from mpp.accounts.signin import StaffAuthenticationForm


class StaffAdminSite(admin.AdminSite):
    """The site of `admin.site` (accounts.apps.StaffAdminConfig): staff who manage or read
    reference data; never a kiosk device, whose account signs in on a public touch screen."""

    # Says "too many tries, wait N minutes" to a locked-out account or address (accounts.signin).
    login_form = StaffAuthenticationForm

    def has_permission(self, request: HttpRequest) -> bool:
        # Kiosk accounts are is_staff (they sign in on this site's login page) but may use only
        # their kiosk pages and the ticket API.
        profile = staff_profile(request.user)
        if profile is not None and profile.role == Role.KIOSK:
            return False
        return super().has_permission(request)

    def login(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        """Staff sign in here (settings.LOGIN_URL); without a `next`, each role lands on its
        own page (accounts.views.staff_home) rather than in the admin."""
        if REDIRECT_FIELD_NAME not in request.GET and REDIRECT_FIELD_NAME not in request.POST:
            extra_context = {
                **(extra_context or {}),
                REDIRECT_FIELD_NAME: reverse("accounts:staff-home"),
            }
        return super().login(request, extra_context)


def is_superuser(request: HttpRequest) -> bool:
    return bool(
        getattr(request.user, "is_active", False) and getattr(request.user, "is_superuser", False)
    )


def is_regency_admin(request: HttpRequest) -> bool:
    profile = staff_profile(request.user)
    return is_superuser(request) or (profile is not None and profile.is_regency_admin)


class ScopedAdmin(admin.ModelAdmin):
    """Subclasses define `visible(request, qs)` and `editable(request, obj)`.

    Defaults: region-wide staff see everything, only the regency administrator changes it.
    """

    def visible(self, request: HttpRequest, qs: QuerySet[Any]) -> QuerySet[Any]:
        profile = staff_profile(request.user)
        if is_superuser(request):
            return qs
        if profile is None:
            return qs.none()
        return qs

    def editable(self, request: HttpRequest, obj: Model | None) -> bool:
        return is_regency_admin(request)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return self.visible(request, super().get_queryset(request))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_superuser(request) or staff_profile(request.user) is not None

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        if not self.has_module_permission(request):
            return False
        if obj is None:
            return True
        return self.get_queryset(request).filter(pk=obj.pk).exists()

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        if obj is None:
            return self.editable(request, None) or self._edits_some(request)
        return self.has_view_permission(request, obj) and self.editable(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_regency_admin(request)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return is_regency_admin(request) and (obj is None or self.has_view_permission(request, obj))

    def _edits_some(self, request: HttpRequest) -> bool:
        return False


class ScopedInline(admin.TabularInline):
    """An inline is editable exactly when its parent object is."""

    extra = 0

    def _parent_editable(self, request: HttpRequest, obj: Model | None) -> bool:
        parent_admin = self.admin_site._registry[self.parent_model]
        if obj is None:
            return parent_admin.has_add_permission(request)
        return parent_admin.has_change_permission(request, obj)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return is_superuser(request) or staff_profile(request.user) is not None

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._parent_editable(request, obj)

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._parent_editable(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._parent_editable(request, obj)
