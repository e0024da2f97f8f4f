"""`mpp serve`: one ASGI process serving pages, API, static files and websockets."""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Jalankan server ASGI (halaman, API, websocket) dalam satu proses."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WORKERS", "1")))

    def handle(self, *args: Any, host: str, port: int, workers: int, **options: Any) -> None:
        import uvicorn

        uvicorn.run(
            "mpp.asgi:application",
            host=host,
            port=port,
            workers=workers,
            log_level=os.environ.get("UVICORN_LOG_LEVEL", "info"),
            proxy_headers=True,
            lifespan="off",
        )
