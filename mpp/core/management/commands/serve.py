"""`mpp serve`: one ASGI process serving pages, API, static files and websockets."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser


def server_options(*, host: str, port: int, workers: int) -> dict[str, Any]:
    """uvicorn's options for `mpp serve` (tests run the same server with them)."""
    return {
        "app": "mpp.asgi:application",
        "host": host,
        "port": port,
        "workers": workers,
        "log_level": os.environ.get("UVICORN_LOG_LEVEL", "info"),
        # Off: uvicorn's own proxy headers trust X-Forwarded-For from any 127.0.0.1 peer (its
        # default FORWARDED_ALLOW_IPS), so a local client chose its address. The application
        # reads them from MPP_TRUSTED_PROXIES only (core/proxies.py, docs/adr/0017).
        "proxy_headers": False,
        "lifespan": "off",
    }


class Command(BaseCommand):
    help = "Jalankan server ASGI (halaman, API, websocket) dalam satu proses."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WORKERS", "1")))

    def handle(self, *args: Any, host: str, port: int, workers: int, **options: Any) -> None:
        import uvicorn

        if settings.SECURE_SSL_REDIRECT and not settings.MPP_TRUSTED_PROXIES:
            # uvicorn here speaks plain HTTP: HTTPS ends at a proxy, and unless the application
            # believes that proxy's X-Forwarded-Proto every request looks like plain HTTP and is
            # redirected to HTTPS for ever.
            raise CommandError(
                "SECURE_SSL_REDIRECT is on (a public host) but MPP_TRUSTED_PROXIES is empty: "
                "behind the TLS proxy every request would be redirected for ever. Set "
                "MPP_TRUSTED_PROXIES to the proxy's address (127.0.0.1 for nginx on this "
                "machine), or SECURE_SSL_REDIRECT=0 to serve plain HTTP."
            )

        uvicorn.run(**server_options(host=host, port=port, workers=workers))
