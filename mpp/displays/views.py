"""The display board of a mall: a page that loads the queue snapshot and follows its events."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from mpp.core.language import public_screen
from mpp.displays.floor import board_map
from mpp.malls.access import access_public_mall
from mpp.metapers.models import FRONT_DESK


@require_safe
@public_screen
def board(request: HttpRequest, slug: str) -> HttpResponse:
    mall = access_public_mall(slug=slug)
    orientation = "portrait" if request.GET.get("arah") == "potret" else "landscape"
    context = {
        "mall": mall,
        "orientation": orientation,
        "floor_map": board_map(mall.pk),
        "front_desk": FRONT_DESK,  # a Mini MPP's counters serve every tenant there
        # The clock shows the mall's wall time (its region's zone: WITA for Kukar), not the zone
        # the TV happens to be set to, which is often UTC or Jakarta's.
        "time_zone": mall.zone.key,
    }
    return render(request, "displays/board.html", context)
