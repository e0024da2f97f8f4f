"""`mpp backup` and `mpp restore`: the database and the stored files in one archive (ADR 0023).

The archive is a gzipped tar holding, in this order:

- `mpp-backup.json`, the manifest: the archive format, the app's version, the engine, the
  migrations applied, the rows of every table and the number of stored files;
- the database: `database.sqlite3` (SQLite's online backup API, a consistent copy taken while
  the site keeps writing) or `database.pgdump` (pg_dump's custom format, from the same snapshot
  the row counts were read in);
- `files/<name>`: every file of Django's default storage (uploads, job results).

Restore reads the manifest first and refuses, before touching anything, an archive of a newer
format or a newer schema (migrations this version does not have), of another engine, or a
target database or storage that is not empty (unless forced). After restoring it checks every
table's row count against the manifest, then applies the migrations the archive predates.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import SuspiciousFileOperation
from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.core.management import call_command
from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader
from django.utils.translation import gettext as _

FORMAT = 1  # raise when a reader of the previous format could no longer restore an archive
MANIFEST = "mpp-backup.json"
DATABASE_MEMBER = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
FILES_PREFIX = "files/"


class BackupError(Exception):
    """A backup or restore that cannot be done; `str(exc)` says why and what to do, in
    Indonesian, for the operator at the command line."""


@dataclass(frozen=True)
class Restored:
    """What a restore brought back."""

    manifest: dict[str, Any]
    rows: int
    files: int
    migrated: list[str]


def app_version() -> str:
    try:
        return metadata.version("mpp")
    except metadata.PackageNotFoundError:  # pragma: no cover - a source tree never installed
        return "0+unknown"


# --- backup ---------------------------------------------------------------------------------


def create(path: Path, *, using: str = "default", storage: Storage | None = None) -> dict[str, Any]:
    """Write the archive of database `using` and `storage` to `path`; return its manifest.

    Safe while the site serves: neither engine's copy blocks writers. Written beside `path` and
    renamed, so `path` is never a half-written archive."""
    storage = storage or default_storage
    connection = connections[using]
    engine = _engine(connection)
    path = path.resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".mpp-backup-", dir=path.parent) as work:
        dump = Path(work) / DATABASE_MEMBER[engine]
        if engine == "sqlite":
            tables = _sqlite_copy(connection, dump)
            migrations = _sqlite_migrations(dump)
        else:
            tables, migrations = _pg_dump(connection, dump)
        names = sorted(_stored_names(storage))
        manifest = {
            "format": FORMAT,
            "app": "mpp",
            "version": app_version(),
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "engine": engine,
            "migrations": migrations,
            "tables": tables,
            "files": len(names),
        }
        partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            with tarfile.open(partial, "w:gz", compresslevel=6) as archive:
                _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=1).encode())
                archive.add(dump, arcname=DATABASE_MEMBER[engine], recursive=False)
                for name in names:
                    with storage.open(name, "rb") as stream:
                        info = tarfile.TarInfo(FILES_PREFIX + name)
                        info.size = storage.size(name)
                        info.mtime = int(dt.datetime.now().timestamp())
                        archive.addfile(info, stream)
            partial.replace(path)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return manifest


def _engine(connection: BaseDatabaseWrapper) -> str:
    if connection.vendor not in DATABASE_MEMBER:  # pragma: no cover - settings allow only these
        raise BackupError(_("Mesin basis data %(v)s tidak didukung.") % {"v": connection.vendor})
    return str(connection.vendor)


def _sqlite_copy(connection: BaseDatabaseWrapper, target: Path) -> dict[str, int]:
    """SQLite's online backup API, in one step: one read transaction, which in WAL mode never
    blocks the site's writers; the copy is the database as of that instant."""
    name = str(connection.settings_dict["NAME"])
    if not Path(name).is_file():
        raise BackupError(_("Basis data SQLite %(f)s tidak ada.") % {"f": name})
    source = sqlite3.connect(name, timeout=30)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file in the archive
        return _sqlite_counts(copy)
    finally:
        copy.close()
        source.close()


def _sqlite_counts(db: sqlite3.Connection) -> dict[str, int]:
    tables = [
        row[0]
        for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    # Table names come from the database's own catalogue, quoted.
    return {t: db.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}  # noqa: S608


def _sqlite_migrations(dump: Path) -> list[str]:
    db = sqlite3.connect(dump)
    try:
        rows = db.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        return [f"{app}.{name}" for app, name in rows]
    except sqlite3.OperationalError:  # never migrated
        return []
    finally:
        db.close()


def _pg_dump(connection: BaseDatabaseWrapper, target: Path) -> tuple[dict[str, int], list[str]]:
    """pg_dump (custom format) of the snapshot the row counts and migrations are read in: a
    repeatable-read transaction exports its snapshot and pg_dump dumps exactly that."""
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        tables = {}
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            tables[table] = cursor.fetchone()[0]
        migrations = []
        if "django_migrations" in tables:
            cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
            migrations = [f"{app}.{name}" for app, name in cursor.fetchall()]
        _pg_tool(
            connection,
            "pg_dump",
            ["--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}"],
            ["--file", str(target)],
        )
    return tables, migrations


def _pg_tool(
    connection: BaseDatabaseWrapper, tool: str, options: list[str], tail: list[str]
) -> None:
    """Run pg_dump or pg_restore against `connection`'s database; the password goes in the
    environment, not the command line other users of the machine can read."""
    if shutil.which(tool) is None:
        raise BackupError(
            _(
                "%(tool)s tidak ditemukan: pasang klien PostgreSQL (paket postgresql-client, "
                "versi yang sama dengan server atau lebih baru)."
            )
            % {"tool": tool}
        )
    params = connection.settings_dict
    args = [tool, *options, "--dbname", str(params["NAME"])]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if params.get(key):
            args += [flag, str(params[key])]
    env = dict(os.environ)
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = str(params["PASSWORD"])
    if params.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = str(params["OPTIONS"]["sslmode"])
    done = subprocess.run([*args, *tail], env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(
            _("%(tool)s gagal (kode %(code)s): %(err)s")
            % {"tool": tool, "code": done.returncode, "err": done.stderr.strip()[-2000:]}
        )


def _stored_names(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file of `storage`, as the names `storage.open` takes."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # a storage folder not made yet: no file stored so far
        return
    for name in files:
        yield f"{folder}{name}"
    for sub in folders:
        yield from _stored_names(storage, f"{folder}{sub}/")


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(dt.datetime.now().timestamp())
    archive.addfile(info, io.BytesIO(data))


# --- restore --------------------------------------------------------------------------------


def read_manifest(path: Path) -> dict[str, Any]:
    """The archive's manifest, or BackupError when `path` is no MPP archive."""
    try:
        with tarfile.open(path, "r:*") as archive:
            # The manifest is the first member: read it without unpacking the whole archive.
            first = archive.next()
            if first is None or first.name != MANIFEST:
                raise KeyError(MANIFEST)
            member = archive.extractfile(first)
            if member is None:
                raise KeyError(MANIFEST)
            manifest: dict[str, Any] = json.loads(member.read())
    except FileNotFoundError:
        raise BackupError(_("Berkas %(f)s tidak ada.") % {"f": path}) from None
    except (tarfile.TarError, KeyError, ValueError, OSError):
        raise BackupError(
            _("%(f)s bukan berkas cadangan MPP (dibuat dengan `mpp backup`).") % {"f": path}
        ) from None
    return manifest


def check_restorable(manifest: dict[str, Any], *, using: str = "default") -> list[str]:
    """Refuse an archive this version cannot restore; return the migrations it predates."""
    if not isinstance(manifest.get("format"), int) or manifest["format"] > FORMAT:
        raise BackupError(
            _(
                "Cadangan ini memakai format %(f)s dari MPP versi %(v)s, lebih baru dari yang "
                "dikenal versi ini (%(mine)s). Pasang MPP versi %(v)s atau lebih baru, lalu "
                "ulangi pemulihan."
            )
            % {"f": manifest.get("format"), "v": manifest.get("version"), "mine": app_version()}
        )
    connection = connections[using]
    if manifest.get("engine") != connection.vendor:
        raise BackupError(
            _(
                "Cadangan ini dari basis data %(theirs)s; basis data tujuan adalah %(ours)s. "
                "Pulihkan ke mesin yang sama."
            )
            % {"theirs": manifest.get("engine"), "ours": connection.vendor}
        )
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = {f"{app}.{name}" for app, name in loader.disk_migrations}
    archived = set(manifest.get("migrations", []))
    newer = sorted(archived - known)
    if newer:
        raise BackupError(
            _(
                "Cadangan ini dibuat oleh MPP versi %(v)s dengan skema basis data yang lebih "
                "baru: %(n)s migrasi belum dikenal versi ini (%(mine)s), misalnya %(first)s. "
                "Pasang MPP versi %(v)s atau lebih baru, lalu ulangi pemulihan."
            )
            % {
                "v": manifest.get("version"),
                "n": len(newer),
                "mine": app_version(),
                "first": newer[0],
            }
        )
    return sorted(known - archived)


def restore(
    path: Path, *, using: str = "default", storage: Storage | None = None, force: bool = False
) -> Restored:
    """Bring back the database and the stored files of the archive at `path`.

    The target must be empty (a new database, no stored file) unless `force`, which first
    empties both. Every table's row count is checked against the manifest."""
    storage = storage or default_storage
    manifest = read_manifest(path)
    pending = check_restorable(manifest, using=using)
    connection = connections[using]
    engine = _engine(connection)
    tables = connection.introspection.table_names()
    stored = list(_stored_names(storage))
    if (tables or stored) and not force:
        raise BackupError(
            _(
                "Tujuan pemulihan tidak kosong: basis data berisi %(t)s tabel dan penyimpanan "
                "berkas %(f)s berkas. Pulihkan ke basis data baru yang kosong, atau tambahkan "
                "--force untuk menghapus isinya dan menggantinya dengan isi cadangan."
            )
            % {"t": len(tables), "f": len(stored)}
        )
    with tarfile.open(path, "r:*") as archive:
        with tempfile.TemporaryDirectory(prefix=".mpp-restore-") as work:
            dump = Path(work) / DATABASE_MEMBER[engine]
            source = archive.extractfile(DATABASE_MEMBER[engine])
            if source is None:
                raise BackupError(_("Cadangan ini tidak memuat basis data."))
            with dump.open("wb") as out:
                shutil.copyfileobj(source, out, 1 << 20)
            if engine == "sqlite":
                _sqlite_restore(connection, dump)
            else:
                _pg_restore(connection, dump, force=force)
        for name in stored:
            storage.delete(name)  # only reached with force
        files = 0
        for member in archive:
            if not (member.isfile() and member.name.startswith(FILES_PREFIX)):
                continue
            name = member.name[len(FILES_PREFIX) :]
            stream: IO[bytes] | None = archive.extractfile(member)
            assert stream is not None
            try:
                saved = storage.save(name, File(stream, name=name))
            except SuspiciousFileOperation:  # "../" or an absolute path: not of `mpp backup`
                raise BackupError(
                    _("Cadangan memuat nama berkas yang tidak sah: %(f)s.") % {"f": name}
                ) from None
            if saved != name:  # the storage renamed it: something was there after all
                raise BackupError(
                    _("Berkas %(f)s tersimpan sebagai %(g)s.") % {"f": name, "g": saved}
                )
            files += 1
    rows = _check_counts(connection, manifest)
    if files != manifest.get("files", files):
        raise BackupError(
            _("Cadangan mencatat %(n)s berkas, tetapi %(m)s yang dipulihkan.")
            % {"n": manifest["files"], "m": files}
        )
    if pending:
        call_command("migrate", interactive=False, verbosity=0, database=using)
    return Restored(manifest=manifest, rows=rows, files=files, migrated=pending)


def _sqlite_restore(connection: BaseDatabaseWrapper, dump: Path) -> None:
    """Copy the archived database into the configured file with the backup API (so a file in
    use is rewritten page by page under SQLite's locks, never swapped under a reader)."""
    connections.close_all()
    target = Path(str(connection.settings_dict["NAME"]))
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(dump)
    destination = sqlite3.connect(target, timeout=30)
    try:
        source.backup(destination)
    finally:
        destination.close()
        source.close()


def _pg_restore(connection: BaseDatabaseWrapper, dump: Path, *, force: bool) -> None:
    """pg_restore in one transaction: all of the archive or nothing."""
    if force:
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
    connections.close_all()
    _pg_tool(
        connection,
        "pg_restore",
        ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"],
        [str(dump)],
    )


def _check_counts(connection: BaseDatabaseWrapper, manifest: dict[str, Any]) -> int:
    """Every archived table has its archived row count; return the rows restored."""
    expected: dict[str, int] = manifest.get("tables", {})
    found: dict[str, int] = {}
    with connection.cursor() as cursor:
        for table in expected:
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            found[table] = cursor.fetchone()[0]
    wrong = {t: (n, found[t]) for t, n in expected.items() if found[t] != n}
    if wrong:
        table, (want, got) = next(iter(wrong.items()))
        raise BackupError(
            _("Pemulihan tidak lengkap: tabel %(t)s berisi %(got)s baris, cadangan %(want)s.")
            % {"t": table, "got": got, "want": want}
        )
    return sum(found.values())
