"""Public pages: choose a mall; a mall's hours, tenants and services; its generated logo."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from mpp.catalog.queries import tenants_at
from mpp.core import clock
from mpp.core.usercontent import user_file_response
from mpp.malls.access import access_public_mall
from mpp.malls.models import Mall
from mpp.malls.queries import mall_cards, upcoming_holidays
from mpp.queueing.queries import mall_queue_lengths


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    cards = mall_cards(clock.now())
    mpp = [c for c in cards if c.mall.kind == Mall.Kind.MPP]
    mini = [c for c in cards if c.mall.kind == Mall.Kind.MINI_MPP]
    return render(request, "malls/home.html", {"mpp_cards": mpp, "mini_cards": mini})


@require_safe
def mall_detail(request: HttpRequest, slug: str) -> HttpResponse:
    mall = access_public_mall(slug=slug)
    now = clock.now()
    (card,) = mall_cards(now, [mall])
    lengths = mall_queue_lengths(mall) if mall.is_operating else []
    return render(
        request,
        "malls/mall_detail.html",
        {
            "mall": mall,
            "card": card,
            "hours": list(mall.opening_hours.all()),
            "tenants": tenants_at(mall),
            "holidays": upcoming_holidays(mall, now.astimezone(mall.zone).date()),
            # The line now, per queue: waiting and counters open (issue 18).
            "queue_lengths": lengths,
            "quiet_queues": [q for q in lengths if not (q["waiting"] or q["counters_open"])],
            "local_now": now.astimezone(mall.zone),
        },
    )


@require_safe
@cache_control(max_age=86400, public=True)
def mall_logo(request: HttpRequest, slug: str) -> HttpResponse:
    """The mall's SVG logo, or a badge drawn from its colours and initials.

    A logo is a file a user supplied: cleaned when saved, and served so that nothing in it can
    run when someone opens this address directly (sandboxing CSP, nosniff; docs/adr/0013).
    """
    mall = access_public_mall(slug=slug)
    if mall.logo_svg:
        svg = mall.logo_svg
    else:
        svg = render(
            request, "malls/logo.svg", {"mall": mall, "initials": mall.initials}
        ).content.decode()
    return user_file_response(svg, content_type="image/svg+xml")
