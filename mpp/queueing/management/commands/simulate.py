"""`mpp simulate --mall SLUG`: a mall's day as a discrete-event model (queueing/daymodel.py) and
the counters it needs per hour, with the Erlang-C figure beside it (docs/adr/0034).

`mpp simulate --live` is the former command: demo traffic through the queue's own actions at
the given malls (queueing/simulation.py; never in production).
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from mpp.malls.models import Mall
from mpp.queueing.daymodel import advise, plan_for
from mpp.queueing.simulation import Simulator


class Command(BaseCommand):
    help = (
        "Model satu hari layanan mal (SimPy): loket per jam agar 90% warga menunggu di bawah "
        "standar, dengan angka Erlang-C. --live: hidupkan demo (bukan untuk produksi)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--mall", action="append", default=None, help="slug mal (--live: boleh berulang)"
        )
        parser.add_argument("--days", type=int, default=20, help="hari simulasi per saran")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--date",
            type=dt.date.fromisoformat,
            default=None,
            help="hari layanan yang dimodelkan (TTTT-BB-HH); bawaan: hari ini",
        )
        parser.add_argument(
            "--live", action="store_true", help="demo lalu lintas antrean seperti sebelumnya"
        )
        parser.add_argument("--speed", type=float, default=10.0, help="--live: kali lebih cepat")
        parser.add_argument("--per-hour", type=float, default=90.0, help="--live: kedatangan/jam")
        parser.add_argument("--ticks", type=int, default=0, help="--live: berhenti setelah N")
        parser.add_argument("--tick-seconds", type=float, default=2.0)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["live"]:
            self._live(options)
            return
        slugs = options["mall"] or []
        if len(slugs) != 1:
            raise CommandError("Sebutkan satu mal: --mall SLUG (misalnya --mall mpp-kukar).")
        mall = Mall.objects.filter(slug=slugs[0]).select_related("region").first()
        if mall is None:
            raise CommandError(f"Mal {slugs[0]!r} tidak ditemukan.")
        if not 1 <= options["days"] <= 500:
            raise CommandError("--days harus 1–500.")
        day = options["date"] or mall.local_now().date()
        plan, history = plan_for(mall, day=day)
        standard = plan.max_wait_minutes
        advice = advise(plan, days=options["days"], seed=options["seed"], standard_minutes=standard)
        out = self.stdout.write
        out(
            f"Model hari layanan {mall.short_name or mall.name}, {day.isoformat()}: "
            f"{options['days']} hari simulasi (seed {options['seed']}), {len(plan.counters)} loket "
            "terpasang."
        )
        out(
            "Kedatangan: "
            + (
                "riwayat 4 minggu terakhir (nomor per jam per hari)."
                if history
                else "profil bawaan (belum cukup riwayat di mal ini)."
            )
        )
        out(
            f"Standar waktu tunggu: {standard} menit — batas tunggu mal (pengaturan antrean); "
            "standar pelayanan yang diterbitkan tidak memuat waktu tunggu."
        )
        out(
            f"Loket: paling sedikit agar 90% warga yang datang pada jam itu menunggu < {standard} "
            f"menit; P90 terburuk: antrean instansi yang paling lama pada jam itu. Erlang-C: batas "
            f"buku teks M/M/c, P(tunggu > {standard} menit) ≤ 10%."
        )
        out("")
        out(f"{'Jam':<7}{'Kedatangan':>11}{'Loket':>7}{'P90 terburuk':>14}{'Erlang-C':>10}")
        for row in advice:
            counters = f"{row.counters}" if row.reached else f"≥{row.counters}"
            out(
                f"{row.hour:02d}.00  {row.arrivals:>10.1f}{counters:>7}"
                f"{row.p90_wait:>10.0f} mnt{row.erlang_c:>10}"
            )
        out("")
        out(
            f"Jumlah: {sum(r.arrivals for r in advice):.0f} kedatangan; puncak "
            f"{max((r.counters for r in advice), default=0)} loket (Erlang-C "
            f"{max((r.erlang_c for r in advice), default=0)})."
        )

    def _live(self, options: dict[str, Any]) -> None:
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
