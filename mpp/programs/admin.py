"""Admin of the programmes, scoped like every admin of ours (accounts.admin_scope).

- KUA and their officers, programmes with their akad sessions and prizes: reference data the
  regency administrator (DPMPTSP) keeps; the other staff of the region read them.
- What actions write is read-only here: the counts kept by conditional UPDATEs (registered,
  scheduled), the draw (entrants, hashes, the times; prizes' winners: programs.prizes) and the
  anonymisation time. The draw's seed is never shown: before the draw it is the secret.
- Registrations are read-only, for the report's readers (access_report.programmes_readable_by),
  without personal data: code, programme, status, dates, the fee and its bearer. A couple's
  people and documents are seen on the KUA's pages, which log who reads a NIK.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from mpp.accounts.access import staff_profile
from mpp.accounts.admin_scope import ScopedAdmin, ScopedInline, is_regency_admin, is_superuser
from mpp.accounts.models import Role
from mpp.programs.access_report import programmes_readable_by
from mpp.programs.models import AkadSession, Kua, KuaOfficer, Prize, Programme, Registration


class RegionAdmin(ScopedAdmin):
    """Rows of the person's region; the regency administrator alone changes them."""

    region_path = "region"
    always_readonly: tuple[str, ...] = ()

    def editable(self, request: HttpRequest, obj: Model | None) -> bool:
        if not is_regency_admin(request):
            return False
        return (
            obj is None
            or self.visible(request, self.model._default_manager.filter(pk=obj.pk)).exists()
        )

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> Any:
        return [*super().get_readonly_fields(request, obj), *self.always_readonly]

    def get_exclude(self, request: HttpRequest, obj: Model | None = None) -> Any:
        """The region is the editor's own (a superuser picks it)."""
        excluded = list(super().get_exclude(request, obj) or [])
        if self.region_path == "region" and not is_superuser(request):
            excluded.append("region")
        return excluded

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if self.region_path == "region" and not getattr(obj, "region_id", None):
            profile = staff_profile(request.user)
            obj.region_id = profile.region_id if profile is not None else None
        super().save_model(request, obj, form, change)


@admin.register(Kua)
class KuaAdmin(RegionAdmin):
    list_display = ["name", "district", "address"]
    list_select_related = ["district"]
    search_fields = ["name", "district__name"]


@admin.register(KuaOfficer)
class KuaOfficerAdmin(RegionAdmin):
    region_path = "kua__region"
    list_display = ["user", "kua"]
    list_select_related = ["user", "kua"]

    def choices_for(self, request: HttpRequest, db_field: Any) -> QuerySet[Any] | None:
        if db_field.name == "user":  # a KUA officer's account of the region
            users = get_user_model()._default_manager.filter(staff_profile__role=Role.KUA_OFFICER)
            if not is_superuser(request):
                profile = staff_profile(request.user)
                users = users.filter(staff_profile__region_id=getattr(profile, "region_id", 0))
            return users
        return super().choices_for(request, db_field)


class AkadSessionInline(ScopedInline):
    model = AkadSession
    region_path = "programme__region"
    readonly_fields = ["scheduled_count"]


class PrizeInline(ScopedInline):
    model = Prize
    region_path = "programme__region"
    readonly_fields = ["winner_code"]  # drawn (programs.prizes.run_draw), never chosen


# The draw's record: written by programs.prizes, shown read-only; the seed is never shown.
DRAW_FIELDS = ("entrants_sha256", "seed_sha256", "draw_published_at", "drawn_at")


@admin.register(Programme)
class ProgrammeAdmin(RegionAdmin):
    list_display = ["title", "slug", "status", "kua", "mall", "quota", "registered_count"]
    list_filter = ["status", "kind"]
    list_select_related = ["kua", "mall"]
    search_fields = ["title", "slug"]
    inlines = [AkadSessionInline, PrizeInline]
    always_readonly = ("registered_count", *DRAW_FIELDS, "anonymised_at", "created_at")
    exclude = ["seed", "entrants_file"]

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False  # registrations point to it: close or finish it instead


# What a registration shows here: no NIK, name, phone or access key (the couple's secret).
REGISTRATION_FIELDS = (
    "code",
    "programme",
    "status",
    "channel",
    "registered_on",
    "session",
    "tariff_basis",
    "fee_idr",
    "fee_bearer",
    "sponsor_name",
    "receipt_number",
    "paid_on",
    "marriage_book_number",
    "married_at",
    "decided_at",
    "anonymised_at",
)


@admin.register(Registration)
class RegistrationAdmin(ScopedAdmin):
    """Read-only, without personal data (no NIK, names, phone or access key)."""

    region_path = "programme__region"
    list_display = ["code", "programme", "status", "channel", "registered_on"]
    list_filter = ["status", "channel", "programme"]
    list_select_related = ["programme"]
    search_fields = ["code"]
    fields = REGISTRATION_FIELDS
    readonly_fields = REGISTRATION_FIELDS

    def visible(self, request: HttpRequest, qs: QuerySet[Any]) -> QuerySet[Any]:
        if is_superuser(request):
            return qs
        return qs.filter(programme__in=programmes_readable_by(request.user))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_superuser(request) or programmes_readable_by(request.user).exists()

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
