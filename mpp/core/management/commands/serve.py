"""`mpp serve`: one ASGI process serving pages, API, static files and websockets."""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


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

        uvicorn.run(**server_options(host=host, port=port, workers=workers))
