"""`mpp simulate`: demo traffic at the given malls (never in production)."""

from __future__ import annotations

import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from mpp.queueing.simulation import Simulator


class Command(BaseCommand):
    help = "Hidupkan demo: warga datang, petugas memanggil dan melayani (bukan untuk produksi)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--mall",
            action="append",
            default=None,
            help="slug mal (boleh berulang); bawaan: mpp-kukar",
        )
        parser.add_argument("--speed", type=float, default=10.0, help="kali lebih cepat")
        parser.add_argument("--per-hour", type=float, default=90.0, help="kedatangan per jam")
        parser.add_argument("--ticks", type=int, default=0, help="berhenti setelah N langkah")
        parser.add_argument("--tick-seconds", type=float, default=2.0)

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.MPP_DEMO_ALWAYS_OPEN and not settings.DEBUG:
            self.stdout.write(
                "Catatan: jam layanan berlaku; set MPP_DEMO_ALWAYS_OPEN=1 untuk demo "
                "di luar jam buka."
            )
        if options["speed"] <= 0 or options["per_hour"] < 0:
            raise CommandError("--speed harus > 0 dan --per-hour ≥ 0.")
        sim = Simulator(
            mall_slugs=options["mall"] or ["mpp-kukar"],
            speed=options["speed"],
            arrivals_per_hour=options["per_hour"],
        )
        pause = threading.Event()
        n = 0
        while options["ticks"] == 0 or n < options["ticks"]:
            done = sim.step(options["tick_seconds"])
            n += 1
            self.stdout.write(f"langkah {n}: " + ", ".join(f"{k} {v}" for k, v in done.items()))
            if pause.wait(options["tick_seconds"]):
                break
