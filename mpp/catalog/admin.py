"""Admin of tenants and services (published standards): the regency administrator edits them;
other staff read them, a tenant officer only their own tenant's."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from mpp.accounts.access import tenants_visible_to
from mpp.accounts.admin_scope import ScopedAdmin, is_superuser
from mpp.catalog.models import Service, Tenant


@admin.register(Tenant)
class TenantAdmin(ScopedAdmin):
    list_display = ["short_name", "kind", "service_days"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]

    def visible(self, request: HttpRequest, qs: QuerySet[Any]) -> QuerySet[Any]:
        if is_superuser(request):
            return qs
        return qs.filter(pk__in=tenants_visible_to(request.user).values("pk"))


@admin.register(Service)
class ServiceAdmin(ScopedAdmin):
    list_display = ["name", "tenant", "duration", "fee", "is_front_counter", "is_active"]
    list_filter = ["tenant", "is_front_counter", "is_active"]
    search_fields = ["name", "keywords", "slug"]
    list_select_related = ["tenant"]

    def visible(self, request: HttpRequest, qs: QuerySet[Any]) -> QuerySet[Any]:
        if is_superuser(request):
            return qs
        return qs.filter(tenant__in=tenants_visible_to(request.user))
