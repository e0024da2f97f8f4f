"""`mpp ikm compute FILE.csv`: the satisfaction index of a CSV file of responses, for anyone
holding the audit export (no database needed).
`mpp ikm export --mall ID|--regency --from --to OUT.zip`: write that export on the server.

Exit codes: 0 done, 2 bad input (the Indonesian message on stderr names the row and column).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any, NoReturn

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from mpp.core.sheets import FileRefused, read_path
from mpp.surveys import audit, ikm

BAD_INPUT = 2

COMPUTE_HELP = """\
Hitung IKM (PermenPAN-RB 14/2017) dari berkas CSV jawaban survei.

Berkas: baris pertama berisi judul kolom; kolom U1 sampai U9 berisi jawaban 1-4 atau kosong
(tidak dijawab; kosong bukan nol). Hanya U1-U9 yang dihitung: kolom lain, termasuk unsur
tambahan U10 dan seterusnya, diabaikan kecuali disebut dengan --by. Pemisah koma atau titik
koma; UTF-8 dengan atau tanpa BOM. Baris yang seluruhnya kosong dilewati; baris tanpa satu
pun jawaban U1-U9 ditolak.

Keluaran JSON: {"respondents", "nrr", "ikm", "score", "mutu", "kinerja"}; score = IKM x 25
dibulatkan setengah ke atas menjadi dua desimal, hanya di akhir. Dengan --by: satu objek per
kelompok, diurutkan menurut nilainya. Kode keluar 0 bila berhasil, 2 bila masukan salah
(pesan menyebut baris, judul = baris 1, dan kolomnya)."""


class Command(BaseCommand):
    help = "Indeks Kepuasan Masyarakat: hitung dari berkas CSV (audit), ekspor data mentah."
    # `compute` is for an auditor with only the file: no checks that could reach a database.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        compute = sub.add_parser(
            "compute",
            help="hitung IKM dari berkas CSV (tanpa basis data)",
            description=COMPUTE_HELP,
            formatter_class=_RawHelp,
        )
        compute.add_argument("file", type=Path, help="berkas CSV, mis. responses.csv")
        compute.add_argument(
            "--weights",
            choices=ikm.WEIGHT_CHOICES,
            default=ikm.EXACT,
            help="bobot tiap unsur: exact = tepat 1/9 (aturan); 0.111 atau 0.11 hanya untuk "
            "mencocokkan lembar kerja lama yang membulatkan bobot",
        )
        compute.add_argument(
            "--by", metavar="KOLOM", help="hitung per nilai kolom ini (mis. mall, tenant)"
        )
        export = sub.add_parser(
            "export", help="tulis ZIP audit: responses.csv dan manifest.json (SHA-256)"
        )
        where = export.add_mutually_exclusive_group(required=True)
        where.add_argument("--mall", type=int, metavar="ID", help="satu mal (id)")
        where.add_argument("--regency", action="store_true", help="seluruh kabupaten")
        export.add_argument("--region", default=settings.MPP_REGION, help=argparse.SUPPRESS)
        export.add_argument("--from", dest="start", required=True, metavar="YYYY-MM-DD")
        export.add_argument("--to", dest="end", required=True, metavar="YYYY-MM-DD")
        export.add_argument("--weights", choices=ikm.WEIGHT_CHOICES, default=ikm.EXACT)
        export.add_argument("out", type=Path, help="berkas ZIP yang ditulis")

    def handle(self, *args: Any, verb: str, **options: Any) -> None:
        if verb == "compute":
            self._compute(options["file"], weights=options["weights"], by=options["by"])
        else:
            self._export(options)

    def _fail(self, message: str) -> NoReturn:
        self.stderr.write(message)
        sys.exit(BAD_INPUT)

    def _compute(self, file: Path, *, weights: str, by: str | None) -> None:
        try:  # refused by its size before it is read
            data = read_path(file, settings.MPP_AUDIT_FILE_MAX_BYTES)
        except FileRefused as refused:
            self._fail(f"{file}: {refused}")
        except OSError as exc:
            self._fail(
                _("Berkas %(f)s tidak dapat dibaca: %(why)s.") % {"f": file, "why": why(exc)}
            )
        try:
            result = audit.compute_file(data, weights=weights, by=by)
        except audit.AuditFileError as exc:
            self._fail(f"{file}: {exc}")
        self.stdout.write(ikm.to_json(result))

    def _export(self, options: dict[str, Any]) -> None:
        from mpp.malls.models import Mall, Region
        from mpp.surveys.queries import Scope

        try:
            period = audit.period_between(options["start"], options["end"], max_days=None)
        except ValueError as exc:
            self._fail(str(exc))
        if options["regency"]:
            region = Region.objects.filter(slug=options["region"]).first()
            if region is None:
                self._fail(
                    _("Wilayah %(r)s belum dimuat (mpp load-region).") % {"r": options["region"]}
                )
            scope = Scope(region=region)
        else:
            mall = Mall.objects.select_related("region").filter(pk=options["mall"]).first()
            if mall is None:
                self._fail(_("Mal dengan id %(id)s tidak ditemukan.") % {"id": options["mall"]})
            scope = Scope(mall=mall)
        out: Path = options["out"]
        partial = out.with_name(f".{out.name}.{os.getpid()}.tmp")
        try:
            # Written beside the target and renamed: never a half-written ZIP under its name.
            with partial.open("wb") as stream:
                manifest = audit.write_export(stream, scope, period, weights=options["weights"])
            partial.replace(out)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            self._fail(
                _("Berkas %(f)s tidak dapat ditulis: %(why)s.") % {"f": out, "why": why(exc)}
            )
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        published = manifest["published"]
        assert isinstance(published, dict)
        self.stdout.write(
            _("%(f)s: %(n)s baris, %(a)s–%(b)s; IKM %(s)s (%(m)s). Periksa: %(cmd)s")
            % {
                "f": out,
                "n": manifest["rows"],
                "a": period.start,
                "b": period.end,
                "s": published["score"],
                "m": published["mutu"],
                "cmd": manifest["reproduce"],
            }
        )


class _RawHelp(argparse.RawDescriptionHelpFormatter):
    """Keep the description's line breaks: it is the file format's contract."""


def why(exc: OSError) -> str:
    """The reason a file cannot be used, in Indonesian (strerror is the system's English)."""
    if isinstance(exc, FileNotFoundError):
        return _("berkas atau foldernya tidak ada")
    if isinstance(exc, IsADirectoryError):
        return _("itu sebuah folder")
    if isinstance(exc, PermissionError):
        return _("tidak ada izin")
    return _("galat sistem %(n)s") % {"n": exc.errno}
