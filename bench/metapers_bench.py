"""Benchmarks of Metapers (issue 5) on an Android phone under Lighthouse's "Slow 4G" mobile
throttling, written to docs/BENCHMARKS.md.

Debian's Chromium (Playwright, Pixel 5 profile, software WebGL through SwiftShader) with the
network and CPU throttled over the DevTools protocol with the values Lighthouse applies for its
mobile "Slow 4G" profile when it throttles through DevTools (its `mobileSlow4G` settings: 150 ms
round trip × 3.75 = 562.5 ms request latency, 1.6 Mbit/s × 0.9 down, 750 kbit/s × 0.9 up;
Network.emulateNetworkConditions) and a 4x slower CPU (Emulation.setCPUThrottlingRate), each
page on a first visit (empty cache, new context).

1. The entry page (the hall as a list, /metapers/mpp-kukar/): bytes on the critical path,
   compressed (the document and the resources the browser marks render-blocking), and the
   Largest Contentful Paint. Budgets: at most 100 KB; LCP under 2.5 s.
2. The 3D hall (/metapers/mpp-kukar/3d/): JavaScript bytes compressed and all bytes of the
   first visit, the time to the first 3D frame, and the renderer's draw calls and triangles.
   Budgets: at most 170 KB of JavaScript, 1 MB in all, first frame under 5 s, at most 30 draw
   calls and 50,000 triangles.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _server import CHROMIUM, CHROMIUM_ARGS, running_server, write_section
from catalog_bench import machine

# SwiftShader gives WebGL without a GPU (FIELD-NOTES); --disable-gpu would remove it.
WEBGL_ARGS = [
    *(a for a in CHROMIUM_ARGS if a != "--disable-gpu"),
    "--enable-unsafe-swiftshader",
    "--use-angle=swiftshader",
    "--ignore-gpu-blocklist",
]
# Lighthouse's mobileSlow4G as applied through DevTools (lighthouse-core/config/constants.js).
SLOW_4G = {
    "offline": False,
    "latency": 150 * 3.75,  # ms: Lighthouse's request latency for 150 ms RTT
    "downloadThroughput": 1.6 * 1024 * 0.9 * 1024 / 8,  # bytes/s
    "uploadThroughput": 750 * 0.9 * 1024 / 8,
}
CPU_SLOWDOWN = 4
SLUG = "mpp-kukar"

# The largest contentful paint seen so far, kept from the first byte of the page.
LCP_OBSERVER = """
window.__lcp = null;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) window.__lcp = entry.startTime;
}).observe({ type: "largest-contentful-paint", buffered: true });
"""


class Visit:
    """A first visit on a throttled phone, with every response's compressed size."""

    def __init__(self, pw: Any, browser: Any) -> None:
        self.context = browser.new_context(**pw.devices["Pixel 5"], locale="id-ID")
        self.context.add_init_script(LCP_OBSERVER)
        self.page = self.context.new_page()
        cdp = self.context.new_cdp_session(self.page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        cdp.send("Network.emulateNetworkConditions", SLOW_4G)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
        self.requests: dict[str, dict[str, Any]] = {}
        cdp.on("Network.responseReceived", self._response)
        cdp.on("Network.loadingFinished", self._finished)

    def _response(self, event: dict[str, Any]) -> None:
        self.requests[event["requestId"]] = {
            "url": event["response"]["url"],
            "type": event["type"],
            "encoding": event["response"]["headers"].get("content-encoding", ""),
            "bytes": 0,
        }

    def _finished(self, event: dict[str, Any]) -> None:
        if event["requestId"] in self.requests:
            self.requests[event["requestId"]]["bytes"] = int(event["encodedDataLength"])

    def rows(self, base: str) -> list[dict[str, Any]]:
        return [{**r, "url": r["url"].replace(base, "")} for r in self.requests.values()]

    def close(self) -> None:
        self.context.close()


def entry_page(pw: Any, browser: Any, base: str) -> dict[str, Any]:
    visit = Visit(pw, browser)
    page = visit.page
    page.goto(f"{base}/metapers/{SLUG}/", wait_until="load")
    page.wait_for_load_state("networkidle")
    lcp = page.evaluate("window.__lcp")
    blocking = set(
        page.evaluate(
            """() => performance.getEntriesByType("resource")
                .filter((e) => e.renderBlockingStatus === "blocking").map((e) => e.name)"""
        )
    )
    rows = visit.rows(base)
    critical = [r for r in rows if r["type"] == "Document" or base + r["url"] in blocking]
    visit.close()
    return {
        "lcp": lcp,
        "critical": sum(r["bytes"] for r in critical),
        "critical_rows": critical,
        "total": sum(r["bytes"] for r in rows),
        "rows": rows,
    }


def hall_3d(pw: Any, browser: Any, base: str) -> dict[str, Any]:
    visit = Visit(pw, browser)
    page = visit.page
    page.goto(f"{base}/metapers/{SLUG}/3d/", wait_until="load")
    page.wait_for_function("document.body.dataset.hallState === 'ready'", timeout=60_000)
    first_frame = page.evaluate("window.mppHall.firstFrameAt")
    stats = page.evaluate("window.mppHall.stats()")
    budget = page.evaluate("window.mppHall.budget")
    page.wait_for_function("window.mppHall.liveLoads >= 1", timeout=30_000)
    page.wait_for_load_state("networkidle")
    rows = visit.rows(base)
    visit.close()
    return {
        "first_frame": first_frame,
        "calls": stats["calls"],
        "triangles": stats["triangles"],
        "budget": budget,
        "js": sum(r["bytes"] for r in rows if r["type"] == "Script"),
        "total": sum(r["bytes"] for r in rows),
        "rows": rows,
    }


def ok(good: bool) -> str:
    return "within" if good else "**over**"


def main() -> None:
    from playwright.sync_api import sync_playwright

    with running_server() as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=WEBGL_ARGS)
        entry_page(pw, browser, base)  # warm the server (templates, first queries) once
        entry = entry_page(pw, browser, base)
        hall_3d(pw, browser, base)
        hall = hall_3d(pw, browser, base)
        browser.close()

    kb = 1024
    today = dt.date.today().isoformat()
    lines = [
        f"## Metapers (issue 5) — {today}",
        "",
        f"Machine: {machine()}.",
        "Server: `mpp serve` (uvicorn, one process), SQLite, Kukar's demo data and halls. Phone: "
        "Pixel 5 profile in Debian's Chromium, software WebGL (SwiftShader), first visit with "
        f'an empty cache, throttled as Lighthouse applies its mobile "Slow 4G" over DevTools: '
        f"{SLOW_4G['latency']} ms request latency, 1.47 Mbit/s down, 675 kbit/s up, CPU "
        f"{CPU_SLOWDOWN}x slower. Each page measured once after a warm-up visit. "
        "Command: `make bench`.",
        "",
        "| figure | budget | measured | |",
        "| --- | --- | --- | --- |",
        f"| entry page (list): critical path, compressed (document + render-blocking) | "
        f"≤ 100 KB | {entry['critical'] / kb:.1f} KB in {len(entry['critical_rows'])} "
        f"requests | {ok(entry['critical'] <= 100 * kb)} |",
        f"| entry page: Largest Contentful Paint | < 2.5 s | {entry['lcp'] / 1000:.2f} s | "
        f"{ok(entry['lcp'] < 2500)} |",
        f"| entry page: all bytes of the first visit | — | {entry['total'] / kb:.1f} KB in "
        f"{len(entry['rows'])} requests | |",
        f"| 3D hall: JavaScript, compressed | ≤ 170 KB | {hall['js'] / kb:.1f} KB | "
        f"{ok(hall['js'] <= 170 * kb)} |",
        f"| 3D hall: all bytes of the first visit | ≤ 1 MB | {hall['total'] / kb:.1f} KB in "
        f"{len(hall['rows'])} requests | {ok(hall['total'] <= 1024 * kb)} |",
        f"| 3D hall: time to the first 3D frame (from navigation start) | < 5 s | "
        f"{hall['first_frame'] / 1000:.2f} s | {ok(hall['first_frame'] < 5000)} |",
        f"| 3D hall (MPP): draw calls of a frame | ≤ 30 | {hall['calls']} (scene.py estimates "
        f"{hall['budget']['draw_calls']}) | {ok(hall['calls'] <= 30)} |",
        f"| 3D hall (MPP): triangles of a frame | ≤ 50,000 | {hall['triangles']:,} (scene.py "
        f"estimates {hall['budget']['triangles']:,}) | {ok(hall['triangles'] <= 50_000)} |",
        "",
        "Requests of the 3D hall's first visit (the service worker's own fetches, made after "
        "the page loads, are not counted):",
        "",
        "| request | type | encoding | bytes |",
        "| --- | --- | --- | --- |",
        *[
            f"| `{r['url'][:90]}` | {r['type']} | {r['encoding'] or '—'} | {r['bytes']} |"
            for r in hall["rows"]
        ],
        "",
    ]
    section = "\n".join(lines)
    print(section)
    write_section("## Metapers (issue 5)", section)


if __name__ == "__main__":
    main()
