"""Admin of regions, kecamatan, villages, holidays and malls, scoped by role."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from mpp.accounts.admin_scope import ScopedAdmin, ScopedInline, is_regency_admin, is_superuser
from mpp.catalog.access import tenants_visible_to
from mpp.catalog.actions import set_service_offering
from mpp.catalog.exceptions import CatalogError
from mpp.catalog.models import MallService, MallTenant, Service, Tenant
from mpp.core.models import Job
from mpp.malls.access import can_edit_mall, malls_editable_by, malls_visible_to
from mpp.malls.jobs import JobAdmin
from mpp.malls.models import District, Holiday, Mall, MallClosure, OpeningHours, Region, Village


@admin.register(Region)
class RegionAdmin(ScopedAdmin):
    region_path = ""
    list_display = ["name", "kemendagri_code", "bps_code", "data_version"]


@admin.register(District)
class DistrictAdmin(ScopedAdmin):
    region_path = "region"
    list_display = ["code", "bps_code", "name", "seat"]
    search_fields = ["name", "code"]


@admin.register(Village)
class VillageAdmin(ScopedAdmin):
    region_path = "district__region"
    list_display = ["code", "name", "kind", "district"]
    list_filter = ["kind", "district"]
    search_fields = ["name", "code"]
    list_select_related = ["district"]


@admin.register(Holiday)
class HolidayAdmin(ScopedAdmin):
    region_path = "region"
    list_display = ["date", "name", "is_collective_leave"]
    list_filter = ["is_collective_leave"]
    date_hierarchy = "date"


class OpeningHoursInline(ScopedInline):
    model = OpeningHours
    mall_path = "mall"


class MallTenantInline(ScopedInline):
    model = MallTenant
    mall_path = "mall"
    autocomplete_fields = ["tenant"]

    def choices_for(self, request: HttpRequest, db_field: Any) -> QuerySet[Any] | None:
        if db_field.name == "tenant" and not is_superuser(request):
            # Any tenant of the regency may come to the mall (not only those already there).
            return Tenant.objects.filter(pk__in=tenants_visible_to(request.user).values("pk"))
        return super().choices_for(request, db_field)


class OfferingFormSet(forms.BaseInlineFormSet):  # type: ignore[type-arg]
    """A mall's offerings change through set_service_offering (audited, announced, the tenant
    brought to the mall), never by saving the rows: `save_through_action` replaces `save`."""

    def save_through_action(self, *, acting_user: Any) -> None:
        mall: Mall = self.instance
        self.new_objects: list[Any] = []
        self.changed_objects: list[Any] = []
        self.deleted_objects: list[Any] = []
        for form in self.forms:
            before = form.initial.get("service") if form in self.initial_forms else None
            data = form.cleaned_data
            if not data:
                continue
            if self.can_delete and self._should_delete_form(form):  # type: ignore[attr-defined]
                if before is not None:
                    _offer(mall, before, offered=False, acting_user=acting_user)
                    self.deleted_objects.append(form.instance)
                continue
            if not form.has_changed():
                continue
            service = data["service"]
            if before is not None and before != service.pk:
                _offer(mall, before, offered=False, acting_user=acting_user)
            _offer(mall, service.pk, offered=True, acting_user=acting_user)
            # The quota is the offering's reference data (audited with the admin's change).
            MallService.objects.filter(mall=mall, service=service).update(
                daily_quota=data.get("daily_quota")
            )
            if before is None:
                self.new_objects.append(form.instance)
            else:
                self.changed_objects.append((form.instance, form.changed_data))


def _offer(mall: Mall, service_id: int, *, offered: bool, acting_user: Any) -> None:
    service = Service.objects.get(pk=service_id)
    set_service_offering(mall=mall, service=service, offered=offered, acting_user=acting_user)


class MallServiceInline(ScopedInline):
    model = MallService
    mall_path = "mall"
    formset = OfferingFormSet
    autocomplete_fields = ["service"]
    verbose_name_plural = "Layanan yang dibuka di mal ini"


@admin.register(Mall)
class MallAdmin(ScopedAdmin):
    mall_path = ""
    refusals = (CatalogError,)
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
        # The status changes only through the go-live gate (rollout.gate, issue 19): read-only
        # here for everyone, the superuser included, with a link to the mall's readiness page.
        if is_regency_admin(request):
            return ["status", "status_change"]
        return self.supervisor_readonly  # status among them; the rollout's page is DPMPTSP's

    @admin.display(description=_("ubah status"))
    def status_change(self, obj: Mall | None) -> str:
        if obj is None or obj.pk is None:
            return str(_("Mal baru berstatus rencana; ubah statusnya di halaman kesiapan."))
        return format_html(
            '<a href="{}#status">{}</a>',
            reverse("rollout:readiness", kwargs={"slug": obj.slug}),
            _("Ubah status melalui halaman kesiapan (gerbang beroperasi)"),
        )

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change and not obj.status:
            obj.status = Mall.Status.PLANNED  # a new mall starts planned; the gate moves it
        super().save_model(request, obj, form, change)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if isinstance(formset, OfferingFormSet):
            formset.save_through_action(acting_user=request.user)
        else:
            super().save_formset(request, form, formset, change)


# Background jobs (core/jobs.py): scoped by mall, their admin lives beside the rule, in jobs.py.
admin.site.register(Job, JobAdmin)


@admin.register(MallClosure)
class MallClosureAdmin(ScopedAdmin):
    """Closures of a mall: its supervisor records them (planned or "tutup mulai sekarang"); the
    bookings they hit are cancelled by appointments.jobs within minutes, and their people told."""

    mall_path = "mall"
    list_display = ["mall", "starts_on", "ends_on", "from_time", "reason"]
    list_select_related = ["mall"]
    date_hierarchy = "starts_on"
    readonly_fields = ["created_at"]
