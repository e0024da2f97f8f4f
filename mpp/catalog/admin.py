"""Admin of tenants and services (published standards): the regency administrator edits them;
other staff read them, a tenant officer only their own tenant's."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from mpp.accounts.admin_scope import ScopedAdmin, is_regency_admin
from mpp.catalog.models import MallTenant, Service, Tenant
from mpp.malls.access import malls_editable_by


@admin.register(Tenant)
class TenantAdmin(ScopedAdmin):
    # The regency's catalogue: read by its staff, a tenant officer's own tenant only.
    tenant_path = ""
    region_path = "region"
    list_display = ["short_name", "kind", "service_days"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]

    def pickable(self, request: HttpRequest) -> QuerySet[Any]:
        """A mall supervisor names (at a counter, a queue, a booth) the tenants present at
        their mall; adding a tenant to the mall is the mall form's own choice."""
        qs = super().pickable(request)
        malls = malls_editable_by(request.user)
        if is_regency_admin(request) or not malls.exists():
            return qs
        return qs.filter(pk__in=MallTenant.objects.filter(mall__in=malls).values("tenant_id"))


@admin.register(Service)
class ServiceAdmin(ScopedAdmin):
    tenant_path = "tenant"
    region_path = "tenant__region"
    list_display = ["name", "tenant", "duration", "fee", "is_front_counter", "is_active"]
    list_filter = ["tenant", "is_front_counter", "is_active"]
    search_fields = ["name", "keywords", "slug"]
    list_select_related = ["tenant"]
