"""Public catalogue pages: tenant, search, service standard, printable checklist."""

from __future__ import annotations

import secrets

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from mpp.catalog.access import access_service
from mpp.catalog.forms import SearchForm, ServiceContextForm
from mpp.catalog.models import Service, Tenant
from mpp.catalog.queries import (
    availability,
    find_services,
    served_elsewhere,
    tenant_malls,
    tenant_services,
)
from mpp.malls.access import access_public_mall
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
    # Not offered here ("paspor" at a Mini MPP): say where it is served instead of "not found".
    elsewhere = (
        served_elsewhere(query, mall)
        if mall and result and result.terms and (result.is_partial or not result.hits)
        else []
    )
    typing = bool(request.headers.get("HX-Request"))  # a pause in typing: the list only
    template = "catalog/_results.html" if typing else "catalog/search.html"
    context = {"form": form, "query": query, "mall": mall, "result": result}
    response = render(request, template, {**context, "elsewhere": elsewhere, "swap_status": typing})
    # The list alone and the whole page share one address (typing replaces it): Back from a
    # service must not get the cached list alone.
    patch_vary_headers(response, ["HX-Request"])
    return response


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
    places = availability(service)
    return render(
        request,
        "catalog/service_checklist.html",
        {
            "service": service,
            "tenant": service.tenant,
            "mall": mall,
            "open_places": [p for p in places if p.mall.is_operating],
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
    tenants = Tenant.objects.select_related("region").order_by("sort_order")
    return render(request, "catalog/tenant_list.html", {"tenants": tenants})
