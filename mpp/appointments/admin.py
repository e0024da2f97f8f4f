"""Admin of a mall's booking rules and bookable services, scoped to the editor's mall
(accounts.admin_scope): a supervisor sees and changes their mall's, the regency administrator
every mall's; the service offered is one the mall offers."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from mpp.accounts.admin_scope import ScopedAdmin, is_superuser
from mpp.appointments.models import BookableService, BookingSettings
from mpp.catalog.models import Service


@admin.register(BookingSettings)
class BookingSettingsAdmin(ScopedAdmin):
    mall_path = "mall"
    list_display = ["mall", "is_open", "horizon_days", "slot_minutes", "share_percent"]
    list_select_related = ["mall"]


@admin.register(BookableService)
class BookableServiceAdmin(ScopedAdmin):
    mall_path = "mall"
    list_display = ["service", "mall", "is_enabled", "counters", "minutes_per_citizen"]
    list_filter = ["is_enabled"]
    list_select_related = ["service", "mall"]
    search_fields = ["service__name"]
    autocomplete_fields = ["service"]

    def choices_for(self, request: HttpRequest, db_field: Any) -> QuerySet[Any] | None:
        if db_field.name == "service" and not is_superuser(request):
            # Services offered at a mall the editor may change (the mall's own offerings).
            editable = super().choices_for(request, BookableService._meta.get_field("mall"))
            malls = editable.values("pk") if editable is not None else None
            offered = Service.objects.active()
            if malls is not None:
                offered = offered.filter(offerings__mall__in=malls)
            return offered.distinct()
        return super().choices_for(request, db_field)
