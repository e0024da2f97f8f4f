"""Start the platform for a benchmark: a fresh SQLite database with Kukar's data, served by the
same `mpp serve` (uvicorn, one process) that `make demo` uses, on a free local port."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


CHROMIUM = os.environ.get("MPP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def phone_page(pw: Any) -> tuple[Any, Any]:
    """Debian's Chromium and a new page on an Android phone profile (Pixel 5, Indonesian)."""
    browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    context = browser.new_context(**pw.devices["Pixel 5"], locale="id-ID")
    return browser, context.new_page()


def shell_json(env: dict[str, str], code: str) -> Any:
    """Run `code` in `mpp shell` with the server's environment (its database) and return the
    JSON its last printed line holds."""
    out = subprocess.run(
        [sys.executable, "-m", "mpp", "shell", "-c", code],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def kiosk_setup(base: str) -> tuple[int, int, str]:
    """The MPP's id, the akta service's id and the MPP kiosk's token (demo account)."""
    get = lambda path: json.load(urllib.request.urlopen(base + path))  # noqa: E731, S310
    mall = next(m["id"] for m in get("/api/v1/malls") if m["kind"] == "mpp")
    service = get("/api/v1/services?q=akta+lahir")[0]["id"]
    req = urllib.request.Request(  # noqa: S310 - local server
        base + "/api/v1/auth/token",
        method="POST",
        data=json.dumps({"username": "kios-mpp-kukar", "password": "demo-mpp-kukar"}).encode(),
        headers={"Content-Type": "application/json"},
    )
    return mall, service, json.load(urllib.request.urlopen(req))["token"]  # noqa: S310


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# Copies every service N more times (new slugs, same tenants and malls) to measure a catalogue
# the size of a large MPP's (MPP Kukar reports about 440 services in all).
_COPY_SERVICES = """
from mpp.catalog.models import MallService, Service
originals = list(Service.objects.all())
for n in range(1, {copies} + 1):
    for s in originals:
        copy = Service.objects.create(
            tenant=s.tenant, slug=f"{{s.slug}}-salinan-{{n}}", name=s.name + f" (varian {{n}})",
            keywords=s.keywords, is_front_counter=s.is_front_counter,
            requirements=s.requirements, procedure=s.procedure, duration=s.duration, fee=s.fee,
            fee_amount=s.fee_amount, product=s.product, legal_basis=s.legal_basis)
        malls = s.offerings.values_list("mall_id", flat=True)
        MallService.objects.bulk_create([MallService(mall_id=m, service=copy) for m in malls])
"""


@contextlib.contextmanager
def running_server(
    extra_copies: int = 0,
    extra_env: dict[str, str] | None = None,
    workers: int = 1,
    prepare: str = "",
) -> Iterator[str]:
    """A fresh demo database (SQLite in a temporary folder, or `DATABASE_URL` in extra_env,
    emptied first) served by `mpp serve`; yields the base URL. `prepare` is Python run by
    `mpp shell -c` on that database before the server starts."""
    with tempfile.TemporaryDirectory(prefix="mpp-bench-") as data_dir:
        env = {
            **os.environ,
            "MPP_DATA_DIR": data_dir,
            "DJANGO_SETTINGS_MODULE": "mpp.settings",
            "UVICORN_LOG_LEVEL": "warning",
        }
        env.pop("DATABASE_URL", None)
        env.pop("REDIS_URL", None)
        env.update(extra_env or {})
        mpp = [sys.executable, "-m", "mpp"]
        subprocess.run(
            [*mpp, "demo", "--no-serve"], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL
        )
        if extra_copies:
            code = _COPY_SERVICES.format(copies=extra_copies)
            subprocess.run([*mpp, "shell", "-c", code], env=env, cwd=ROOT, check=True)
        if prepare:
            subprocess.run([*mpp, "shell", "-c", prepare], env=env, cwd=ROOT, check=True)
        port = free_port()
        proc = subprocess.Popen(
            [*mpp, "serve", "--port", str(port), "--workers", str(workers)], env=env, cwd=ROOT
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    urllib.request.urlopen(base + "/healthz", timeout=1)  # noqa: S310 - local
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.2)  # polling a starting server, not synchronising a test
            yield base
        finally:
            proc.terminate()
            proc.wait(timeout=10)


def on_both_setups(
    run: Callable[[str, dict[str, str], int], list[str]], *, pg_url: str, redis_url: str
) -> list[str]:
    """Table rows of `run(label, env, workers)` on the embedded default (SQLite, one process)
    and on PostgreSQL (its bench database emptied first) with Redis and two workers."""
    for sql in ("DROP DATABASE IF EXISTS mpp_bench", "CREATE DATABASE mpp_bench"):
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql], check=True)
    rows = run("SQLite, 1 process", {"MPP_DEMO_ALWAYS_OPEN": "1"}, 1)
    rows += run(
        "PostgreSQL + Redis, 2 workers",
        {"MPP_DEMO_ALWAYS_OPEN": "1", "DATABASE_URL": pg_url, "REDIS_URL": redis_url},
        2,
    )
    return rows


def commit() -> str:
    """The checkout's commit (MPP_BENCH_COMMIT when the tree is an export, not a clone)."""
    return os.environ.get("MPP_BENCH_COMMIT") or (
        subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        or "unknown"
    )


def write_section(marker: str, section: str) -> None:
    """Replace (or append) the section of docs/BENCHMARKS.md that starts with `marker`. A
    section that does not name its commit gets this checkout's, under its heading."""
    if "Commit" not in section:
        head, _, rest = section.partition("\n")
        section = f"{head}\n\nCommit: {commit()}.\n{rest}"
    path = ROOT / "docs" / "BENCHMARKS.md"
    header = (
        "# Benchmarks\n\nMeasured with `make bench` (bench/). Each run replaces its own "
        "section; the machine and date are part of each section.\n\n"
    )
    text = path.read_text(encoding="utf-8") if path.exists() else header
    if marker in text:
        start = text.index(marker)
        end = text.find("\n## ", start + 1)
        section = section.rstrip("\n") + "\n"
        text = text[:start] + section + ("\n" + text[end + 1 :] if end != -1 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text, encoding="utf-8")
