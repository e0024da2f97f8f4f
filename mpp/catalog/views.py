"""Public catalogue pages: tenant, search, service standard, printable checklist."""

from __future__ import annotations

import secrets

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from mpp.accounts.access import access_public_mall, access_service
from mpp.catalog.forms import SearchForm, ServiceContextForm
from mpp.catalog.models import Service, Tenant
from mpp.catalog.queries import availability, find_services, tenant_malls, tenant_services
from mpp.malls.models import Mall


def bad_request(request: HttpRequest, form: forms.Form) -> HttpResponse:
    """The 400 page naming each field that could not be read."""
    return render(request, "400.html", {"form_errors": form.errors}, status=400)


def _mall_from(form: forms.Form) -> Mall | None:
    slug = form.cleaned_data.get("mall")
    return access_public_mall(slug=slug) if slug else None


@require_safe
def service_search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    if not form.is_valid():
        return bad_request(request, form)
    mall = _mall_from(form)
    query = form.cleaned_data["q"]
    result = find_services(query, mall) if query else None
    template = (
        "catalog/_results.html" if request.headers.get("HX-Request") else "catalog/search.html"
    )
    return render(request, template, {"form": form, "query": query, "mall": mall, "result": result})


@require_safe
def service_detail(request: HttpRequest, pk: int) -> HttpResponse:
    service, mall, form = _service_context(request, pk)
    if form is not None:
        return bad_request(request, form)
    return render(
        request,
        "catalog/service_detail.html",
        {
            "service": service,
            "tenant": service.tenant,
            "mall": mall,
            "places": availability(service),
            # One key per rendered form: a double tap or a resubmission gives one ticket.
            "form_key": secrets.token_urlsafe(12),
        },
    )


@require_safe
def service_checklist(request: HttpRequest, pk: int) -> HttpResponse:
    service, mall, form = _service_context(request, pk)
    if form is not None:
        return bad_request(request, form)
    return render(
        request,
        "catalog/service_checklist.html",
        {
            "service": service,
            "tenant": service.tenant,
            "mall": mall,
            "places": availability(service),
        },
    )


def _service_context(
    request: HttpRequest, pk: int
) -> tuple[Service, Mall | None, forms.Form | None]:
    service = access_service(pk)
    form = ServiceContextForm(request.GET)
    if not form.is_valid():
        return service, None, form
    return service, _mall_from(form), None


@require_safe
def tenant_detail(request: HttpRequest, slug: str) -> HttpResponse:
    tenant = Tenant.objects.filter(slug=slug).first()
    if tenant is None:
        raise Http404(_("Instansi tidak ditemukan."))
    return render(
        request,
        "catalog/tenant_detail.html",
        {
            "tenant": tenant,
            "services": tenant_services(tenant),
            "presence": tenant_malls(tenant),
        },
    )


@require_safe
def tenant_list(request: HttpRequest) -> HttpResponse:
    tenants = Tenant.objects.order_by("sort_order")
    return render(request, "catalog/tenant_list.html", {"tenants": tenants})
