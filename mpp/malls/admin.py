"""Admin of regions, kecamatan, villages, holidays and malls, scoped by role."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from mpp.accounts.access import can_edit_mall, malls_editable_by, malls_visible_to
from mpp.accounts.admin_scope import ScopedAdmin, ScopedInline, is_regency_admin, is_superuser
from mpp.catalog.models import MallService, MallTenant
from mpp.malls.models import District, Holiday, Mall, OpeningHours, Region, Village


@admin.register(Region)
class RegionAdmin(ScopedAdmin):
    list_display = ["name", "kemendagri_code", "bps_code", "data_version"]


@admin.register(District)
class DistrictAdmin(ScopedAdmin):
    list_display = ["code", "bps_code", "name", "seat"]
    search_fields = ["name", "code"]


@admin.register(Village)
class VillageAdmin(ScopedAdmin):
    list_display = ["code", "name", "kind", "district"]
    list_filter = ["kind", "district"]
    search_fields = ["name", "code"]
    list_select_related = ["district"]


@admin.register(Holiday)
class HolidayAdmin(ScopedAdmin):
    list_display = ["date", "name", "is_collective_leave"]
    list_filter = ["is_collective_leave"]
    date_hierarchy = "date"


class OpeningHoursInline(ScopedInline):
    model = OpeningHours


class MallTenantInline(ScopedInline):
    model = MallTenant
    autocomplete_fields = ["tenant"]


class MallServiceInline(ScopedInline):
    model = MallService
    autocomplete_fields = ["service"]
    verbose_name_plural = "Layanan yang dibuka di mal ini"


@admin.register(Mall)
class MallAdmin(ScopedAdmin):
    list_display = ["short_name", "kind", "district", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["name", "short_name", "district__name"]
    list_select_related = ["district"]
    inlines = [OpeningHoursInline, MallTenantInline, MallServiceInline]
    # What a mall supervisor may not change: identity and rollout status belong to the regency,
    # and so does the branding every public screen shows (names, slogan, colours, logo; the
    # regency administrator's alone, docs/adr/0013). A supervisor keeps contact data and hours.
    supervisor_readonly = ["region", "district", "slug", "kind", "status", "opened_on"]
    supervisor_readonly += ["name", "short_name", "tagline", "color_primary", "color_secondary"]
    supervisor_readonly += ["logo_svg"]

    def visible(self, request: HttpRequest, qs: QuerySet[Any]) -> QuerySet[Any]:
        if is_superuser(request):
            return qs
        return qs.filter(pk__in=malls_visible_to(request.user).values("pk"))

    def editable(self, request: HttpRequest, obj: Model | None) -> bool:
        if is_superuser(request):
            return True
        if obj is None:
            return is_regency_admin(request)
        return isinstance(obj, Mall) and can_edit_mall(request.user, obj)

    def _edits_some(self, request: HttpRequest) -> bool:
        return malls_editable_by(request.user).exists()

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        if is_regency_admin(request):
            return []
        return self.supervisor_readonly
