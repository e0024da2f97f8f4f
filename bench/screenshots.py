"""Screenshots of the main screens for the README (docs/screenshots/), on an Android phone profile.

Run with `make screenshots`: a fresh demo database, `mpp serve`, Debian's Chromium.
"""

from __future__ import annotations

import json
import sys
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _server import ROOT, phone_page, running_server
from survey_page_bench import _PREPARE as FINISHED_TICKET

OUT = ROOT / "docs" / "screenshots"


def main() -> None:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    survey_path = OUT / ".survey-path"
    env = {"MPP_BENCH_OUT": str(survey_path), "MPP_DEMO_ALWAYS_OPEN": "1"}
    with running_server(extra_env=env, prepare=FINISHED_TICKET) as base, sync_playwright() as pw:
        hits = json.load(urllib.request.urlopen(base + "/api/v1/services?q=akta+lahir"))  # noqa: S310
        service_id = hits[0]["id"]
        browser, page = phone_page(pw)
        shots = {
            "home": "/",
            "service": f"/layanan/{service_id}/?mall=mpp-kukar",
            "search": "/layanan/?q=akta+lahir",
            "mini-mpp": "/mal/mini-mpp-loa-kulu/",
            "checklist": f"/layanan/{service_id}/cetak/",
            "investment": "/investasi/",
            "survey": survey_path.read_text(),
            "ikm": "/mal/mpp-kukar/ikm/",
        }
        survey_path.unlink()
        for name, path in shots.items():
            page.goto(base + path, wait_until="networkidle")
            page.screenshot(path=str(OUT / f"{name}.png"))
        desktop = browser.new_context(viewport={"width": 1280, "height": 800}, locale="id-ID")
        admin = desktop.new_page()
        admin.goto(base + "/admin/login/")
        admin.fill("#id_username", "pengawas.loakulu")
        admin.fill("#id_password", "demo-mpp-kukar")
        admin.click("input[type=submit]")
        admin.goto(base + "/admin/malls/mall/", wait_until="networkidle")
        admin.screenshot(path=str(OUT / "admin-supervisor.png"))
        browser.close()
    print(f"Screenshots written to {OUT}")


if __name__ == "__main__":
    main()
