"""Admin for investment reference data: targets (DPMPTSP edits), datasets (read-only history).
Imports and the classification have their own pages, which call the actions."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from mpp.accounts.access import staff_profile
from mpp.accounts.admin_scope import ScopedAdmin, is_superuser
from mpp.investment.models import Dataset, Target


class RegionScopedAdmin(ScopedAdmin):
    """Rows of the user's own region; region-wide staff read, the regency admin edits."""

    region_path = "region"

    def visible(self, request: HttpRequest, qs: QuerySet[Any]) -> QuerySet[Any]:
        if is_superuser(request):
            return qs
        profile = staff_profile(request.user)
        if profile is None or not profile.sees_whole_region:
            return qs.none()
        return qs.filter(region_id=profile.region_id)

    def has_module_permission(self, request: HttpRequest) -> bool:
        profile = staff_profile(request.user)
        return is_superuser(request) or (profile is not None and profile.sees_whole_region)


@admin.register(Target)
class TargetAdmin(RegionScopedAdmin):
    list_display = ["year", "level", "amount_idr", "source"]
    list_filter = ["level"]

    def get_exclude(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        return [] if is_superuser(request) else ["region"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        profile = staff_profile(request.user)
        if not change and profile is not None and not obj.region_id:
            obj.region_id = profile.region_id
        super().save_model(request, obj, form, change)


@admin.register(Dataset)
class DatasetAdmin(RegionScopedAdmin):
    list_display = ["imported_at", "source", "cut_off", "file_name", "row_count", "is_synthetic"]
    readonly_fields = [f.name for f in Dataset._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # datasets come from an import, never by hand

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
