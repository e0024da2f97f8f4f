"""Benchmarks of the public catalogue (issue: foundation), written to docs/BENCHMARKS.md.

1. A service page's first visit on an Android phone (Debian's Chromium, Playwright): bytes
   transferred, compressed, for every request the page makes (HTML, CSS, logo, fonts, scripts).
   Budget: at most 50 KB.
2. Service search over HTTP against the running server (uvicorn, one process, SQLite):
   latency percentiles of GET /api/v1/services?q=... and GET /layanan/?q=... with everyday
   queries over the full catalogue. Budget: p95 at most 30 ms.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _server import CHROMIUM, phone_page, running_server, write_section

QUERIES = [
    "ktp",
    "akta lahir",
    "skck",
    "paspor",
    "bikin kk",
    "akta kematian",
    "npwp",
    "nib",
    "perpanjang sim a",
    "bpjs kesehatan",
    "pasang listrik baru",
    "pbb",
    "nikah",
    "surat pindah",
    "kartu identitas anak",
    "cara mengurus akta kelahiran anak",
    "pajak kendaraan",
    "izin usaha",
    "legalisir",
    "pasport",
]
ROUNDS = 25  # 20 queries x 25 rounds = 500 requests per endpoint


def page_weight(base: str, path: str) -> dict[str, object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser, page = phone_page(pw)
        responses = []
        page.on("requestfinished", lambda req: responses.append(req))
        page.goto(base + path, wait_until="networkidle")
        rows = []
        for req in responses:
            sizes = req.sizes()
            resp = req.response()
            rows.append(
                {
                    "url": req.url.replace(base, ""),
                    "type": req.resource_type,
                    "encoding": (resp.headers.get("content-encoding", "") if resp else ""),
                    "bytes": sizes["responseBodySize"] + sizes["responseHeadersSize"],
                }
            )
        browser.close()
    return {"total": sum(r["bytes"] for r in rows), "requests": rows}


def latency(base: str, path: str) -> dict[str, float]:
    samples = []
    for _ in range(ROUNDS):
        for q in QUERIES:
            url = base + path + urllib.parse.quote_plus(q)
            start = time.perf_counter()
            with urllib.request.urlopen(url, timeout=10) as resp:  # noqa: S310 - local server
                resp.read()
                assert resp.status == 200
            samples.append((time.perf_counter() - start) * 1000)
    samples.sort()

    def pct(p: float) -> float:
        return samples[min(len(samples) - 1, round(p / 100 * len(samples)) - 1)]

    return {
        "n": len(samples),
        "p50": statistics.median(samples),
        "p95": pct(95),
        "p99": pct(99),
        "max": samples[-1],
    }


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    chromium = subprocess.run(
        [CHROMIUM, "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    return (
        f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}, {chromium}"
    )


def main() -> None:
    with running_server() as base:
        service_id = json.load(
            urllib.request.urlopen(  # noqa: S310 - local server
                base + "/api/v1/services?q=akta+lahir"
            )
        )[0]["id"]
        # Warm up once (the stemmer loads its dictionary on first use).
        urllib.request.urlopen(base + "/api/v1/services?q=ktp").read()  # noqa: S310
        weight = page_weight(base, f"/layanan/{service_id}/")
        weight_search = page_weight(base, "/layanan/?q=akta+lahir")
        api = latency(base, "/api/v1/services?q=")
        html = latency(base, "/layanan/?q=")
        services = len(json.load(urllib.request.urlopen(base + "/api/v1/services")))  # noqa: S310
    with running_server(extra_copies=3) as base:
        big = len(json.load(urllib.request.urlopen(base + "/api/v1/services")))  # noqa: S310
        urllib.request.urlopen(base + "/api/v1/services?q=ktp").read()  # noqa: S310
        api_big = latency(base, "/api/v1/services?q=")

    today = dt.date.today().isoformat()
    lines = [
        f"## Catalogue (foundation issue) — {today}",
        "",
        f"Machine: {machine()}.",
        "Server: `mpp serve` (uvicorn, one process), SQLite (WAL), Kukar's data "
        f"({services} services). Command: `make bench`.",
        "",
        "| figure | budget | measured |",
        "| --- | --- | --- |",
        f"| service page, first visit, bytes transferred (compressed, all requests) | ≤ 50 KB | "
        f"{weight['total'] / 1024:.1f} KB in {len(weight['requests'])} requests |",
        f"| search page with results, first visit (incl. htmx) | — | "
        f"{weight_search['total'] / 1024:.1f} KB in {len(weight_search['requests'])} requests |",
        f"| search API `GET /api/v1/services?q=…`, {api['n']} requests | p95 ≤ 30 ms | "
        f"p50 {api['p50']:.1f} ms, p95 {api['p95']:.1f} ms, p99 {api['p99']:.1f} ms |",
        f"| search page `GET /layanan/?q=…`, {html['n']} requests | p95 ≤ 30 ms | "
        f"p50 {html['p50']:.1f} ms, p95 {html['p95']:.1f} ms, p99 {html['p99']:.1f} ms |",
        f"| search API with a catalogue of {big} services (every service copied 3 times), "
        f"{api_big['n']} requests | — | p50 {api_big['p50']:.1f} ms, p95 {api_big['p95']:.1f} ms, "
        f"p99 {api_big['p99']:.1f} ms |",
        "",
        "Requests of the service page's first visit:",
        "",
        "| request | type | encoding | bytes |",
        "| --- | --- | --- | --- |",
        *[
            f"| `{r['url']}` | {r['type']} | {r['encoding'] or '—'} | {r['bytes']} |"
            for r in weight["requests"]
        ],
        "",
    ]
    section = "\n".join(lines)
    print(section)
    write_section("## Catalogue (foundation issue)", section)


if __name__ == "__main__":
    main()
