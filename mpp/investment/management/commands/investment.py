"""`mpp investment import FILE`: import LKPM realization (CSV or XLSX), all or nothing.
`mpp investment demo`: import the synthetic demo dataset (labelled synthetic).
`mpp investment template FILE.csv|FILE.xlsx`: write the canonical template."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from mpp.core import clock
from mpp.core.sheets import FileRefused, read_path
from mpp.investment.actions import import_realizations
from mpp.investment.exceptions import ImportRejected
from mpp.investment.formats import number, rupiah
from mpp.malls.models import Region


class Command(BaseCommand):
    help = "Realisasi investasi (LKPM): impor berkas, data demo sintetis, templat."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        imp = sub.add_parser(
            "import", help="impor berkas CSV atau XLSX, semua atau tidak sama sekali"
        )
        imp.add_argument("file", type=Path)
        imp.add_argument("--region", default=settings.MPP_REGION)
        imp.add_argument(
            "--source", default="", help="sumber data (bawaan: 'LKPM OSS, berkas <nama>')"
        )
        imp.add_argument(
            "--cut-off", default="", help="data per tanggal YYYY-MM-DD (bawaan: hari ini)"
        )
        imp.add_argument("--user", default="", help="nama pengguna petugas yang mengimpor")
        demo = sub.add_parser("demo", help="muat data sintetis 2022–2025 (berlabel sintetis)")
        demo.add_argument("--region", default=settings.MPP_REGION)
        tpl = sub.add_parser("template", help="tulis templat kanonik (.csv atau .xlsx)")
        tpl.add_argument("file", type=Path)

    def handle(self, *args: Any, verb: str, **options: Any) -> None:
        if verb == "template":
            self._template(options["file"])
            return
        region = Region.objects.filter(slug=options["region"]).first()
        if region is None:
            raise CommandError(f"Wilayah {options['region']} belum dimuat (mpp load_region).")
        if verb == "demo":
            from mpp.investment.demo import load_demo_investment

            for s in load_demo_investment(region):
                self.stdout.write(
                    f"{', '.join(s.dataset.periods)}: {s.rows} baris, {rupiah(s.approved_idr)}"
                )
            return
        self._import(
            region,
            file=options["file"],
            source=options["source"],
            cut_off=options["cut_off"],
            user=options["user"],
        )

    def _import(self, region: Region, *, file: Path, source: str, cut_off: str, user: str) -> None:
        if not file.is_file():
            raise CommandError(f"Berkas {file} tidak ditemukan.")
        try:
            today = clock.local_now(region.timezone).date()
            day = dt.date.fromisoformat(cut_off) if cut_off else today
        except ValueError as exc:
            raise CommandError("--cut-off harus tanggal YYYY-MM-DD.") from exc
        acting_user = None
        if user:
            acting_user = get_user_model().objects.filter(username=user).first()
            if acting_user is None:
                raise CommandError(f"Pengguna {user} tidak ada.")
        try:  # refused by its size before it is read
            data = read_path(file, settings.MPP_INVESTMENT_IMPORT_MAX_BYTES)
        except FileRefused as refused:
            raise CommandError(str(refused)) from None
        except OSError as exc:
            raise CommandError(f"Berkas {file} tidak dapat dibaca ({exc.strerror}).") from None
        try:
            result = import_realizations(
                region=region,
                data=data,
                file_name=file.name,
                source=source or f"LKPM OSS, berkas {file.name}",
                cut_off=day,
                acting_user=acting_user,
            )
        except ImportRejected as rejected:
            for error in rejected.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"{len(rejected.errors)} kesalahan; tidak ada yang diimpor dari {file.name}."
            ) from None
        self.stdout.write(
            f"Diimpor {number(result.rows)} baris dari {file.name} "
            f"(periode {', '.join(result.dataset.periods)}); "
            f"{number(result.replaced)} baris lama diganti. "
            f"Jumlah laporan disetujui: {rupiah(result.approved_idr)} "
            f"({result.approved_idr} rupiah)."
        )

    def _template(self, file: Path) -> None:
        from mpp.investment.exports import template_csv, template_xlsx

        data = template_xlsx() if file.suffix.lower() == ".xlsx" else template_csv()
        file.write_bytes(data)
        self.stdout.write(f"Templat ditulis ke {file}.")
