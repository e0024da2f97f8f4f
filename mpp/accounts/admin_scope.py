"""Role scoping for the Django admin: every ModelAdmin asks the access helpers, never Django's
per-model permission table, so the admin and the API answer the same question the same way.

Every admin and inline of ours is a ScopedAdmin / ScopedInline, which decide in one place, for
the person of the request (docs/adr/0016):
- which rows a list shows (`visible`): the rows of their mall(s) and, for a tenant officer, of
  their tenant; the region's reference data (districts, the catalogue) to everyone of the region;
- which objects a choice field offers (`choices_for`), and the same on `/admin/autocomplete/`;
- after the change as well as before (`scope_errors`): the object as it would be saved is still
  at a mall they edit, and whatever it points to that belongs to a mall belongs to the same one;
- an audit entry for every write made in the admin; rule-bearing fields are read-only there or
  are written through their action (each admin says which).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.filters import RelatedOnlyFieldListFilter
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import get_fields_from_path
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth import REDIRECT_FIELD_NAME, get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Field, Model, Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from mpp.accounts.access import staff_profile
from mpp.accounts.models import Role
from mpp.accounts.signin import StaffAuthenticationForm
from mpp.core.models import audit
from mpp.malls.access import malls_editable_by, malls_visible_to
from mpp.malls.models import Mall


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

    def autocomplete_view(self, request: HttpRequest) -> HttpResponse:
        """The search behind autocomplete fields offers what the form field offers, no more."""
        return ScopedAutocompleteJsonView.as_view(admin_site=self)(request)  # type: ignore[return-value]


class ScopedAutocompleteJsonView(AutocompleteJsonView):
    """Django's view asks only whether the person may *read* the searched model; the answer
    here is also cut to the choices of the form field it fills (ScopeRules.choices_for)."""

    admin_site: admin.AdminSite
    source_field: Any  # set by process_request, as in Django's view

    def get_queryset(self) -> QuerySet[Any]:
        qs = super().get_queryset()
        rules = rules_for_model(self.admin_site, self.source_field.model)
        if rules is None:
            return qs if is_superuser(self.request) else qs.none()
        choices = rules.choices_for(self.request, self.source_field)
        return qs if choices is None else qs.filter(pk__in=choices.values("pk"))


def is_superuser(request: HttpRequest) -> bool:
    return bool(
        getattr(request.user, "is_active", False) and getattr(request.user, "is_superuser", False)
    )


def is_regency_admin(request: HttpRequest) -> bool:
    profile = staff_profile(request.user)
    return is_superuser(request) or (profile is not None and profile.is_regency_admin)


def _lookup(path: str, suffix: str) -> str:
    """`path__suffix`, where the empty path is the row itself (its primary key)."""
    return f"{path}__{suffix}" if path else ("pk" if suffix == "id" else f"pk__{suffix}")


def walk(obj: object, path: str | None) -> Any:
    """Follow `a__b__c` through the attributes of an object in memory (unsaved changes
    included); None when the path is unknown or a step is empty."""
    if path is None:
        return None
    current: Any = obj
    for step in path.split("__") if path else []:
        try:
            current = getattr(current, step)
        except (AttributeError, FieldDoesNotExist):  # RelatedObjectDoesNotExist included
            return None
        if current is None:
            return None
    return current


def rules_for_model(site: admin.AdminSite, model: type[Model]) -> ScopeRules | None:
    """The admin or inline of `site` that edits `model` (for the autocomplete view)."""
    registered = site._registry.get(model)
    if registered is not None:
        return registered if isinstance(registered, ScopeRules) else None
    for parent_admin in site._registry.values():
        for inline_class in getattr(parent_admin, "inlines", []):
            if inline_class.model is model and issubclass(inline_class, ScopeRules):
                return inline_class(parent_admin.model, site)  # type: ignore[no-any-return]
    return None


def mall_path_of(site: admin.AdminSite, model: type[Model]) -> str | None:
    """How a row of `model` reaches its mall, as its admin or inline declares it."""
    rules = rules_for_model(site, model)
    return None if rules is None else rules.mall_path


class ScopeRules:
    """The scope of rows, shared by ScopedAdmin and ScopedInline.

    A subclass says where its rows' mall, tenant and region are, as ORM paths from the row
    ("" is the row itself); what a path does not name is not part of the scope. Rows with a
    mall: a mall supervisor's are those of their mall, a tenant officer's those of their malls
    and tenant, region-wide roles' those of their region. Rows without one are reference data
    of the region.
    """

    admin_site: admin.AdminSite
    model: type[Model]
    mall_path: str | None = None
    tenant_path: str | None = None
    region_path: str | None = None
    # Fields that may point to another mall by design (a Mini MPP hall's portal to the MPP).
    cross_mall_fields: tuple[str, ...] = ()

    # --- rows -----------------------------------------------------------------------------

    def visible(self, request: HttpRequest, qs: QuerySet[Any]) -> QuerySet[Any]:
        """The rows the person may read."""
        if is_superuser(request):
            return qs
        profile = staff_profile(request.user)
        if profile is None:
            return qs.none()
        if self.mall_path is not None:
            qs = qs.filter(**{_lookup(self.mall_path, "in"): malls_visible_to(request.user)})
        elif self.region_path is not None:
            qs = qs.filter(**{_lookup(self.region_path, "id"): profile.region_id})
        elif self.tenant_path is None:
            return qs.none()  # no scope declared: nothing, rather than everything
        if self.tenant_path is not None and profile.role == Role.TENANT_OFFICER:
            # Through a subquery: a many-to-many path (a queue's tenants) gives no duplicates.
            own = self.model._default_manager.filter(
                **{_lookup(self.tenant_path, "id"): profile.tenant_id or 0}
            )
            qs = qs.filter(pk__in=own.values("pk"))
        return qs

    def mall_of(self, obj: object) -> Mall | None:
        found = walk(obj, self.mall_path)
        return found if isinstance(found, Mall) else None

    def pickable(self, request: HttpRequest) -> QuerySet[Any]:
        """What a choice field pointing to this model offers the person: the regency
        administrator what they see; others, of rows with a mall, those of the malls they edit,
        and of reference data what they see."""
        qs = self.visible(request, self.model._default_manager.all())
        if is_regency_admin(request) or self.mall_path is None:
            return qs
        return qs.filter(**{_lookup(self.mall_path, "in"): malls_editable_by(request.user)})

    # --- choices --------------------------------------------------------------------------

    def choices_for(self, request: HttpRequest, db_field: Field[Any, Any]) -> QuerySet[Any] | None:
        """The objects a relation field of this admin's forms offers; None: Django's default.
        Override for one field and call super() for the others."""
        if is_superuser(request):
            return None
        related = db_field.remote_field.model  # type: ignore[union-attr]
        related_rules = self.admin_site._registry.get(related)
        if isinstance(related_rules, ScopeRules):
            return related_rules.pickable(request)
        if is_regency_admin(request):
            return None  # staff profiles are given to new accounts: every user
        if related is get_user_model():
            return _users_in_scope(request)
        return related._default_manager.none()  # type: ignore[no-any-return]

    def formfield_for_foreignkey(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField | None:  # type: ignore[type-arg]
        if "queryset" not in kwargs:
            choices = self.choices_for(request, db_field)
            if choices is not None:
                kwargs["queryset"] = choices
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]
        return _refusing_out_of_scope(field)  # type: ignore[no-any-return]

    def formfield_for_manytomany(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ) -> forms.ModelMultipleChoiceField | None:  # type: ignore[type-arg]
        if "queryset" not in kwargs:
            choices = self.choices_for(request, db_field)
            if choices is not None:
                kwargs["queryset"] = choices
        field = super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]
        return _refusing_out_of_scope(field)  # type: ignore[no-any-return]

    # --- after the change -----------------------------------------------------------------

    def scope_errors(self, request: HttpRequest, form: forms.ModelForm) -> list[str]:  # type: ignore[type-arg]
        """What is wrong with the object as it would be saved: a mall the person does not edit,
        or a related object of another mall (for everyone: a counter of Loa Kulu never serves
        a queue of MPP Kukar)."""
        errors: list[str] = []
        own = self.mall_of(form.instance)
        if own is None or own.pk is None:
            return errors  # no mall, or a mall being added (the regency administrator's)
        if (
            not is_superuser(request)
            and not is_superuser(request)
            and not malls_editable_by(request.user).filter(pk=own.pk).exists()
        ):
            errors.append(
                _("%(m)s di luar kewenangan Anda: Anda hanya dapat mengubah data mal Anda.")
                % {"m": own.short_name}
            )
        for name, value in form.cleaned_data.items():
            if name in self.cross_mall_fields:
                continue
            targets: Iterable[Any] = value if isinstance(value, QuerySet | list) else [value]
            for target in targets:
                if not isinstance(target, Model):
                    continue
                path = (
                    "" if isinstance(target, Mall) else mall_path_of(self.admin_site, type(target))
                )
                there = walk(target, path)
                if isinstance(there, Mall) and there.pk != own.pk:
                    errors.append(
                        _("%(o)s ada di %(there)s, bukan di %(here)s.")
                        % {"o": target, "there": there.short_name, "here": own.short_name}
                    )
        return errors

    def _checked_form(self, request: HttpRequest, form_class: type[Any]) -> type[Any]:
        rules = self

        def _post_clean(form: forms.ModelForm) -> None:  # type: ignore[type-arg]
            form_class._post_clean(form)
            if form.cleaned_data.get("DELETE"):
                return
            for message in rules.scope_errors(request, form):
                form.add_error(None, message)

        return type(form_class.__name__, (form_class,), {"_post_clean": _post_clean})


def _refusing_out_of_scope(field: Any) -> Any:
    if isinstance(field, forms.ModelChoiceField):
        field.error_messages = {
            **field.error_messages,
            "invalid_choice": _(
                "Pilihan ini tidak tersedia bagi Anda: di luar mal atau instansi yang Anda kelola."
            ),
        }
    return field


def _users_in_scope(request: HttpRequest) -> QuerySet[Any]:
    """Staff accounts a mall supervisor may name (an officer at a counter): those serving at
    the malls they edit."""
    users = get_user_model()._default_manager.filter(staff_profile__isnull=False)
    malls = malls_editable_by(request.user)
    return users.filter(
        Q(staff_profile__mall__in=malls) | Q(staff_profile__malls__in=malls)
    ).distinct()


class BoundedChangeList(ChangeList):
    """A list whose filter names an id past the database's integers (`?mall=9223372036854775808`)
    is refused like any other wrong filter (the admin's "?e=1" page), not a 500: Django checks
    the range of a plain integer lookup but not of a relation's, and SQLite cannot bind the
    value."""

    def get_results(self, request: HttpRequest) -> None:
        try:
            super().get_results(request)
        except OverflowError as error:
            raise IncorrectLookupParameters(error) from error


class ScopedAdmin(ScopeRules, admin.ModelAdmin):  # type: ignore[type-arg]
    """A model admin scoped by ScopeRules; a rule-bearing field is read-only (get_readonly_fields)
    or is saved through its action in `save_model`, whose refusals (`refusals`) come back to
    the form as an error message with nothing saved.

    Defaults: people see their scope's rows; the regency administrator changes them all, a mall
    supervisor their mall's rows, nobody else anything.
    """

    refusals: tuple[type[Exception], ...] = ()

    def editable(self, request: HttpRequest, obj: Model | None) -> bool:
        if is_superuser(request):
            return True
        profile = staff_profile(request.user)
        if profile is None:
            return False
        if profile.role == Role.REGENCY_ADMIN:
            return (
                obj is None
                or self.visible(request, self.model._default_manager.filter(pk=obj.pk)).exists()
            )
        if profile.role != Role.MALL_SUPERVISOR or self.mall_path is None:
            return False
        if obj is None:
            return malls_editable_by(request.user).exists()
        mall = self.mall_of(obj)
        return mall is not None and malls_editable_by(request.user).filter(pk=mall.pk).exists()

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return self.visible(request, super().get_queryset(request))

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return BoundedChangeList

    def get_form(
        self, request: HttpRequest, obj: Model | None = None, change: bool = False, **kwargs: Any
    ) -> type[forms.ModelForm]:  # type: ignore[type-arg]
        form = super().get_form(request, obj, change=change, **kwargs)
        return self._checked_form(request, form)

    def get_list_filter(self, request: HttpRequest) -> Any:
        """A related column's filter lists only the values of the rows shown, not every mall."""
        if is_superuser(request):
            return super().get_list_filter(request)
        filters = []
        for item in super().get_list_filter(request):
            if isinstance(item, str):
                try:
                    last = get_fields_from_path(self.model, item)[-1]
                except FieldDoesNotExist:
                    last = None
                if last is not None and last.is_relation:
                    item = (item, RelatedOnlyFieldListFilter)
            filters.append(item)
        return filters

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

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        # The admin's transaction has rolled back when a refusal of an action gets here.
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except self.refusals as refused:
            self.message_user(request, str(refused), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    # --- the audit trail of admin writes --------------------------------------------------

    def _audit(self, request: HttpRequest, action: str, obj: Model, message: Any) -> None:
        mall = self.mall_of(obj)
        audit(
            actor=request.user,
            action=action,
            obj=obj,
            mall_id=mall.pk if mall is not None else None,
            data={"object": str(obj), "change": message},
        )

    def log_addition(self, request: HttpRequest, obj: Model, message: Any) -> Any:
        self._audit(request, "admin.added", obj, message)
        return super().log_addition(request, obj, message)

    def log_change(self, request: HttpRequest, obj: Model, message: Any) -> Any:
        if message:  # a form saved without a change is no entry of the trail
            self._audit(request, "admin.changed", obj, message)
        return super().log_change(request, obj, message)

    def log_deletions(self, request: HttpRequest, queryset: Any) -> Any:
        for obj in queryset:
            self._audit(request, "admin.deleted", obj, "")
        return super().log_deletions(request, queryset)


class ScopedInline(ScopeRules, admin.TabularInline):  # type: ignore[type-arg]
    """An inline is editable exactly when its parent object is; its forms are checked after the
    change like the parent's."""

    extra = 0

    def get_formset(self, request: HttpRequest, obj: Model | None = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = self._checked_form(request, formset.form)
        return formset

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
