"""Admin of the floor plans: a hall with its rooms, a booth with its counters' spots.

Every save is checked against the whole plan before anything is written (plan.py): the forms'
values are laid over the stored plan and validated in the inline formset's `clean`, so an
invalid plan is refused with each element named and nothing half-saved. A booth saved without a
tenant is the mall's front desk ("Loket Pelayanan"), validated by the same rules (one per hall,
at a mall with front counters, holding front counters only). The admin lists and edits the
halls of the person's scope (accounts.admin_scope): the regency administrator all of them, a
mall supervisor their own mall's; the public map shows every plan anyway.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import ForeignKey, Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from mpp.accounts.access import staff_profile
from mpp.accounts.admin_scope import ScopedAdmin, ScopedInline, is_regency_admin, is_superuser
from mpp.accounts.models import Role
from mpp.catalog.models import Tenant
from mpp.malls.access import malls_editable_by
from mpp.malls.models import Mall
from mpp.metapers.models import FRONT_DESK, Booth, CannedAnswer, CounterSpot, Hall, Room
from mpp.metapers.plan import PlanError, plan_of, validate_plan


def _refuse(errors: list[PlanError]) -> None:
    if errors:
        raise forms.ValidationError([str(e) for e in errors])


def _kept_instances(formset: forms.BaseInlineFormSet) -> list[Any]:  # type: ignore[type-arg]
    """The objects the formset is about to keep, with the submitted values applied."""
    kept = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None)
        if not data or (formset.can_delete and data.get("DELETE")):
            continue
        kept.append(form.instance)
    return kept


class RoomFormSet(forms.BaseInlineFormSet):  # type: ignore[type-arg]
    """The hall's own values and its rooms as submitted, with the stored booths, must make a
    valid plan."""

    def clean(self) -> None:
        super().clean()
        hall: Hall = self.instance
        if any(self.errors) or None in (
            hall.mall_id,
            hall.width,
            hall.depth,
            hall.entrance_x,
            hall.entrance_y,
        ):
            return  # the hall's form or a room's form is refused already: those errors first
        _refuse(validate_plan(plan_of(hall, rooms=_kept_instances(self))))


class SpotFormSet(forms.BaseInlineFormSet):  # type: ignore[type-arg]
    """The booth as submitted with its counters' spots, in its hall's stored plan, must make a
    valid plan."""

    def clean(self) -> None:
        super().clean()
        booth: Booth = self.instance
        # No tenant is a choice (the front desk), not a missing value: it is validated too.
        if any(self.errors) or booth.room_id is None:
            return
        spots = [s for s in _kept_instances(self) if s.counter_id is not None]
        _refuse(validate_plan(plan_of(booth.room.hall, booth_override=(booth, spots))))


class RoomChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """Every hall has a lobby: a room is named with its mall."""

    def label_from_instance(self, obj: Room) -> str:  # type: ignore[override]
        return f"{obj.hall.mall.short_name} · {obj.name}"


class HallScopedAdmin(ScopedAdmin):
    """Rows of a hall: listed and edited as the hall's mall is (accounts.admin_scope)."""

    mall_path = "mall"

    def _edits_some(self, request: HttpRequest) -> bool:
        return malls_editable_by(request.user).exists()

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_superuser(request) or self._edits_some(request)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self.has_change_permission(request, obj)

    def editable_malls(self, request: HttpRequest) -> QuerySet[Mall]:
        return Mall.objects.all() if is_superuser(request) else malls_editable_by(request.user)


class RoomInline(ScopedInline):
    model = Room
    mall_path = "hall__mall"
    formset = RoomFormSet
    fields = ["position", "name", "kind", "x", "y", "width", "depth"]


@admin.register(Hall)
class HallAdmin(HallScopedAdmin):
    list_display = ["mall", "width", "depth", "portal_to"]
    list_select_related = ["mall", "portal_to"]
    inlines = [RoomInline]
    fields = ["mall", "width", "depth", "entrance_x", "entrance_y", "welcome", "portal_to"]
    # The portal of a Mini MPP's hall leads to the regency's MPP: another mall by design, set
    # by the regency administrator.
    cross_mall_fields = ("portal_to",)

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        readonly = ["mall"] if obj is not None else []
        return readonly if is_regency_admin(request) else [*readonly, "portal_to"]

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> Any:
        if db_field.name == "mall":
            kwargs["queryset"] = self.editable_malls(request).filter(hall__isnull=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class CounterSpotInline(ScopedInline):
    """The counters of the malls the person edits; one of another mall than the booth's is
    refused after the change (ScopeRules.scope_errors)."""

    model = CounterSpot
    mall_path = "booth__room__hall__mall"
    formset = SpotFormSet
    fields = ["counter", "x", "y"]


@admin.register(Booth)
class BoothAdmin(HallScopedAdmin):
    mall_path = "room__hall__mall"
    tenant_path = "tenant"
    list_display = ["booth_name", "room", "facing", "x", "y", "width", "depth"]
    list_filter = ["room__hall__mall"]
    list_select_related = ["tenant", "room"]
    inlines = [CounterSpotInline]

    @admin.display(description=_("gerai"), ordering="tenant__short_name")
    def booth_name(self, obj: Booth) -> str:
        return obj.name

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> Any:
        malls = self.editable_malls(request)
        if db_field.name == "room":
            kwargs["queryset"] = Room.objects.filter(hall__mall__in=malls).select_related(
                "hall__mall"
            )
            kwargs["form_class"] = RoomChoiceField
        elif db_field.name == "tenant":
            kwargs["queryset"] = Tenant.objects.filter(mall_tenants__mall__in=malls).distinct()
            kwargs["empty_label"] = _("(tanpa instansi: %(f)s)") % {"f": FRONT_DESK}
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(CannedAnswer)
class CannedAnswerAdmin(ScopedAdmin):
    """Ready answers of a tenant's chat: its officers keep them, the regency admin all."""

    tenant_path = "tenant"
    region_path = "tenant__region"
    list_display = ["title", "tenant"]
    search_fields = ["title", "text"]

    def _tenants(self, request: HttpRequest) -> QuerySet[Tenant]:
        if is_superuser(request):
            return Tenant.objects.all()
        profile = staff_profile(request.user)
        if profile is None:
            return Tenant.objects.none()
        if profile.role == Role.REGENCY_ADMIN:
            return Tenant.objects.filter(region_id=profile.region_id)
        if profile.role == Role.TENANT_OFFICER:
            return Tenant.objects.filter(pk=profile.tenant_id or 0)
        return Tenant.objects.none()

    def visible(self, request: HttpRequest, qs: QuerySet[Any]) -> QuerySet[Any]:
        return qs.filter(tenant__in=self._tenants(request))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._tenants(request).exists()

    def editable(self, request: HttpRequest, obj: Model | None) -> bool:
        if obj is None:
            return self._tenants(request).exists()
        return self._tenants(request).filter(pk=obj.tenant_id).exists()  # type: ignore[attr-defined]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._tenants(request).exists()

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self.has_change_permission(request, obj)

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField | None:  # type: ignore[type-arg]
        if db_field.name == "tenant":
            kwargs["queryset"] = self._tenants(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
