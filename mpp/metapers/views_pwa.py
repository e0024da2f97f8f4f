"""Metapers as an installable app on Android (issue 5, item 7): the web app manifest, the
service worker and the page it shows offline.

The worker is served from /metapers/sw.js, so its default scope is /metapers/: it controls the
Metapers pages only, never the officers' console or the kiosk. Its script is
static/metapers/sw.js with a first line of settings written here (the cache version and the
static URLs, hashed in production), so a new bundle or a new worker empties the old caches.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

SW_SOURCE = Path(__file__).resolve().parent / "static" / "metapers" / "sw.js"
THEME = "#0b5d3b"


@cache
def _sw_source() -> str:
    return SW_SOURCE.read_text(encoding="utf-8")


@require_safe
def manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest: Metapers opens standalone at the list of halls."""
    index = reverse("metapers:index")
    data: dict[str, Any] = {
        "name": _("Metapers — Mal Pelayanan Publik virtual"),
        "short_name": "Metapers",
        "description": _(
            "Jelajahi MPP dan Mini MPP, ambil nomor antrean, dan tanya petugas dari ponsel."
        ),
        "lang": "id",
        "start_url": index,
        "scope": index,
        "display": "standalone",
        "orientation": "any",
        "theme_color": THEME,
        "background_color": "#f6f7f8",
        "icons": [
            {"src": static("metapers/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("metapers/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("metapers/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
            {"src": static("metapers/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker script, with its settings prepended. Never cached by HTTP: browsers
    check it for updates, and a stale worker would keep serving stale assets."""
    precache = [reverse("metapers:offline"), static("mpp/site.css")]
    source = _sw_source()
    version = hashlib.sha256(
        (source + json.dumps(precache) + static("metapers/hall.bundle.js")).encode()
    ).hexdigest()[:12]
    settings_line = json.dumps(
        {
            "version": version,
            "offline": reverse("metapers:offline"),
            "precache": precache,
            "static": settings.STATIC_URL,
            "scope": reverse("metapers:index"),
        },
        separators=(",", ":"),
    )
    response = HttpResponse(
        f"const CONFIG = {settings_line};\n{source}",
        content_type="text/javascript; charset=utf-8",
    )
    response["Service-Worker-Allowed"] = reverse("metapers:index")
    response["Cache-Control"] = "no-cache"
    return response


@require_safe
def offline(request: HttpRequest) -> HttpResponse:
    """What the worker shows for a Metapers page not yet visited while there is no signal."""
    return render(request, "metapers/offline.html")
