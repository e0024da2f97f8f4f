"""Admin of tenants and services (published standards): the regency administrator edits them;
other staff read them, a tenant officer only their own tenant's."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from mpp.accounts.admin_scope import ScopedAdmin, is_regency_admin
from mpp.catalog import durations
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


class ServiceAdminForm(forms.ModelForm):  # type: ignore[type-arg]
    """The time as a value and a unit beside its text: both or neither (neither: no fixed
    time), and never contradicting the text (the loader's rule, catalog/durations.py)."""

    class Meta:
        model = Service
        exclude: tuple[str, ...] = ()  # the admin's own field sets decide

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        text = data.get("duration")
        if text is None:
            return data
        value, unit = data.get("duration_value"), data.get("duration_unit") or ""
        try:
            if value is None and not unit:
                durations.resolve(text, None, durations.NO_FIXED_TIME)
            else:
                durations.resolve(text, value, unit or None)
        except durations.DurationError as exc:
            raise forms.ValidationError(
                {"duration_value": str(exc)}, code="duration_mismatch"
            ) from None
        return data


@admin.register(Service)
class ServiceAdmin(ScopedAdmin):
    form = ServiceAdminForm
    tenant_path = "tenant"
    region_path = "tenant__region"
    list_display = ["name", "tenant", "duration", "fee", "is_front_counter", "is_active"]
    list_filter = ["tenant", "is_front_counter", "is_active"]
    search_fields = ["name", "keywords", "slug"]
    list_select_related = ["tenant"]
