"""Admin for the questionnaires (the regency admin edits wording, order and weights).

Responses are not in the admin: nobody browses single responses; results are read as aggregates
(the results pages) and raw rows leave only through the audit export."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from mpp.accounts.access import staff_profile
from mpp.accounts.admin_scope import ScopedAdmin, ScopedInline, is_regency_admin, is_superuser
from mpp.accounts.models import Role
from mpp.malls.access import malls_visible_to
from mpp.surveys.models import Element, Questionnaire


class ElementFormSet(forms.BaseInlineFormSet):
    """The weights of the questionnaire's elements sum to exactly 1 (PermenPAN-RB 14/2017)."""

    def clean(self) -> None:
        super().clean()
        total = Fraction(0)
        codes: set[str] = set()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data or data.get("DELETE"):
                continue
            code = str(data.get("code", "")).upper()
            if code in codes:
                raise forms.ValidationError(_("Kode unsur %(c)s muncul dua kali.") % {"c": code})
            codes.add(code)
            denominator = data.get("weight_denominator") or 0
            if not denominator:
                raise forms.ValidationError(_("Penyebut bobot tidak boleh nol."))
            total += Fraction(data.get("weight_numerator") or 0, denominator)
        if codes and total != 1:
            raise forms.ValidationError(
                _("Jumlah bobot unsur harus tepat 1, sekarang %(t)s.") % {"t": total}
            )


class ElementInline(ScopedInline):
    model = Element
    mall_path = "questionnaire__mall"
    formset = ElementFormSet
    fields = [
        "position",
        "code",
        "name",
        "question",
        "weight_numerator",
        "weight_denominator",
        "label_1",
        "label_2",
        "label_3",
        "label_4",
    ]


@admin.register(Questionnaire)
class QuestionnaireAdmin(ScopedAdmin):
    mall_path = "mall"
    tenant_path = "tenant"
    list_display = ["title", "mall", "tenant", "is_active"]
    list_filter = ["is_active"]
    inlines = [ElementInline]

    def visible(self, request: HttpRequest, qs: QuerySet[Any]) -> QuerySet[Any]:
        """The questionnaires asked in the person's scope: those of every mall (no mall) or of
        theirs, of every tenant (no tenant) or, for a tenant officer, of theirs."""
        if is_superuser(request):
            return qs
        profile = staff_profile(request.user)
        if profile is None:
            return qs.none()
        qs = qs.filter(Q(mall__isnull=True) | Q(mall__in=malls_visible_to(request.user)))
        if profile.role == Role.TENANT_OFFICER:
            qs = qs.filter(Q(tenant__isnull=True) | Q(tenant_id=profile.tenant_id or 0))
        return qs

    def editable(self, request: HttpRequest, obj: Model | None) -> bool:
        return is_regency_admin(request)  # wording and weights are the regency's
