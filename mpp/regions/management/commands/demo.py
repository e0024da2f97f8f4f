"""`mpp demo`: migrate, load the region (first time or new data version), demo accounts, serve."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from mpp.malls.models import Region
from mpp.regions.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, create_demo_accounts
from mpp.regions.loader import read_package, region_dir


class Command(BaseCommand):
    help = "Siapkan dan jalankan demo: basis data, data wilayah, akun petugas demo, server."

    def _demo_investment(self, region_slug: str) -> None:
        """The synthetic investment dataset, once: real imports are never overwritten by it."""
        from mpp.investment.demo import load_demo_investment
        from mpp.investment.models import Dataset

        region = Region.objects.get(slug=region_slug)
        if Dataset.objects.filter(region=region).exists():
            return
        load_demo_investment(region)
        self.stdout.write("Data investasi sintetis 2022–2025 dimuat (berlabel sintetis).")

    def _demo_surveys(self, region_slug: str) -> None:
        """Synthetic survey responses, once per mall (labelled synthetic)."""
        from mpp.surveys.demo import load_demo_responses

        made = load_demo_responses(Region.objects.get(slug=region_slug))
        if made:
            self.stdout.write(f"{made} jawaban survei sintetis dimuat (berlabel sintetis).")

    def _demo_halls(self, region_slug: str) -> None:
        """Floor plans of the MPP and the operating Mini MPPs, once per mall (Metapers)."""
        from mpp.metapers.demo import ensure_demo_canned_answers, ensure_demo_halls

        made = ensure_demo_halls(Region.objects.get(slug=region_slug))
        if made:
            self.stdout.write(f"{made} aula virtual Metapers dibuat.")
        ensure_demo_canned_answers(Region.objects.get(slug=region_slug))

    def _demo_rollout(self, region_slug: str) -> None:
        """The Mini MPP rollout's sample state, once (after the accounts: its liaisons mark
        items, its officers are trained staff); the demo's counters need trained officers."""
        from mpp.rollout.demo import load_demo_rollout

        made = load_demo_rollout(Region.objects.get(slug=region_slug))
        if made is not None:
            self.stdout.write(
                f"Data contoh persiapan Mini MPP dimuat: {made.items_done} butir selesai, "
                f"{made.staff} pegawai, {made.assessments} penilaian pelatihan."
            )

    def _demo_programs(self, region_slug: str) -> None:
        """The KUA of every kecamatan, a KUA officer, the Syawal 1447 H and 1448 H mass
        weddings, once (synthetic couples)."""
        from mpp.programs.demo import load_demo_programmes

        made = load_demo_programmes(Region.objects.get(slug=region_slug), password=DEMO_PASSWORD)
        for username in made.accounts:
            self.stdout.write(f"Akun demo dibuat: {username}")
        if made.programmes:
            self.stdout.write(
                f"Program nikah massal contoh dimuat: {', '.join(made.programmes)} "
                f"({made.couples} pasangan sintetis)."
            )

    def _demo_booking(self, region_slug: str) -> None:
        """A few services open to booking at the operating malls (/janji/), once."""
        from mpp.appointments.demo import load_demo_booking

        made = load_demo_booking(Region.objects.get(slug=region_slug))
        if made:
            self.stdout.write(f"{made} layanan dibuka untuk janji temu.")

    def _demo_complaints(self, region_slug: str) -> None:
        """A few synthetic complaints at MPP Kukar in each state (/petugas/pengaduan/), once."""
        from mpp.complaints.demo import load_demo_complaints

        made = load_demo_complaints(Region.objects.get(slug=region_slug))
        if made:
            self.stdout.write(f"{made} pengaduan contoh dimuat.")

    def _demo_applications(self, region_slug: str) -> None:
        """A few applications at MPP Kukar in each state (/permohonan/<kode>/), once."""
        from mpp.applications.demo import load_demo_applications

        made = load_demo_applications(Region.objects.get(slug=region_slug))
        if made:
            self.stdout.write(
                f"{len(made)} permohonan contoh dimuat; lacak misalnya /permohonan/{made[0].code}/"
            )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--region", default=settings.MPP_REGION)
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--no-serve", action="store_true", help="siapkan saja, jangan jalankan")
        parser.add_argument(
            "--simulate",
            action="store_true",
            default=os.environ.get("SIMULATE", "") not in ("", "0"),
            help="hidupkan antrean: warga datang, petugas memanggil (juga SIMULATE=1)",
        )

    def handle(
        self, *args: Any, region: str, host: str, port: int, no_serve: bool, **options: Any
    ) -> None:
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Basis data siap.")
        version = read_package(region_dir(region)).region.get("data_version")
        loaded = Region.objects.filter(slug=region).values_list("data_version", flat=True).first()
        if loaded is None or loaded != version:
            # Only a new data version is reloaded, so admin edits survive `make demo` reruns.
            call_command("load_region", region)
        else:
            self.stdout.write(
                f"Data wilayah {region} versi {version} sudah dimuat; tidak dimuat ulang."
            )
        for acc in create_demo_accounts(region):
            self.stdout.write(f"Akun demo dibuat: {acc.username}")
        self._demo_rollout(region)
        self._demo_investment(region)
        self._demo_surveys(region)
        self._demo_halls(region)
        self._demo_programs(region)
        self._demo_booking(region)
        self._demo_applications(region)
        self._demo_complaints(region)
        call_command("collectstatic", interactive=False, verbosity=0)

        base = f"http://{host}:{port}"
        lines = [
            "",
            "MPP siap. Layar-layar:",
            f"  Beranda (pilih mal):        {base}/",
            f"  MPP Kukar:                  {base}/mal/mpp-kukar/",
            f"  Mini MPP Loa Kulu:          {base}/mal/mini-mpp-loa-kulu/",
            f"  Cari layanan:               {base}/layanan/?q=akta+lahir",
            f"  Daftar instansi:            {base}/instansi/",
            f"  Admin petugas:              {base}/admin/",
            f"  API:                        {base}/api/v1/malls",
            f"  Dokumen OpenAPI:            {base}/api/v1/openapi.json",
            f"  Tampilan API:               {base}/api/v1/docs",
            f"  Websocket mal:              ws://{host}:{port}/ws/mal/mpp-kukar/",
            f"  Kios MPP Kukar:             {base}/kios/mpp-kukar/  (akun kios-mpp-kukar)",
            f"  Konsol petugas:             {base}/konsol/",
            f"  Papan antrean:              {base}/papan/mpp-kukar/",
            f"  Papan Mini MPP Loa Kulu:    {base}/papan/mini-mpp-loa-kulu/",
            f"  Realisasi investasi:        {base}/investasi/  (data sintetis berlabel)",
            f"  Investasi, petugas:         {base}/investasi/internal/  (akun admin)",
            f"  Hasil survei (IKM), publik: {base}/mal/mpp-kukar/ikm/  (data sintetis berlabel)",
            f"  Hasil survei, petugas:      {base}/survei/hasil/  (akun admin)",
            f"  Metapers (MPP virtual):     {base}/metapers/",
            f"  Persiapan Mini MPP:         {base}/persiapan/  (data contoh; akun admin, pu, …)",
            f"  Nikah massal, undian:       {base}/program/nikah-massal-syawal-1447/undian/",
            f"  Nikah massal, laporan:      {base}/program/nikah-massal-syawal-1447/laporan/"
            "  (akun admin, kua.tenggarong)",
            "",
            f"Akun petugas demo (kata sandi: {DEMO_PASSWORD}):",
            *[f"  {a.username:<18} {a.description}" for a in DEMO_ACCOUNTS],
            "  kios-<mal>         perangkat kios tiap mal, misalnya kios-mpp-kukar",
            "  kua.tenggarong     Petugas KUA Kecamatan Tenggarong (nikah massal)",
            "",
        ]
        self.stdout.write("\n".join(lines))
        if no_serve:
            return
        # The demo takes numbers around the clock, so a newcomer can try the queue at any hour
        # (a demo setting only: settings.py refuses it on a public host).
        settings.MPP_DEMO_ALWAYS_OPEN = True
        os.environ["MPP_DEMO_ALWAYS_OPEN"] = "1"
        simulate = ["mpp-kukar", "mini-mpp-loa-kulu"] if options.get("simulate") else None
        if simulate:
            # It runs in the server's worker, where the boards' sockets are (`serve --simulate`).
            self.stdout.write("Simulasi antrean berjalan (MPP Kukar, Mini MPP Loa Kulu).")
        # The background worker (imports, reports, periodic work) as a child process, stopped
        # with the server: one `make demo` is the whole platform (docs/adr/0020).
        worker = subprocess.Popen([sys.executable, "-m", "mpp", "worker"], env=os.environ.copy())
        self.stdout.write(f"Pekerja latar berjalan (proses {worker.pid}).")
        try:
            call_command("serve", host=host, port=port, simulate=simulate)
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=15)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
