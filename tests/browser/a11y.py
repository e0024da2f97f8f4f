"""axe-core (from the npm registry, package.json) run inside a page, with the site's CSP on.

`assert_accessible(page)` fails with every violation of WCAG 2.1 A and AA, whatever its impact:
issue 18 asks for 0 on every page a citizen, kiosk, officer or TV shows."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Page

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page: Page, *, context: str = "document") -> list[str]:
    """The page's violations as readable lines: rule, impact, help and the first nodes."""
    if not AXE.exists():
        raise AssertionError(f"{AXE} is missing: run `npm ci` (make setup-dev)")
    # The script comes from the page's own origin: the CSP (script-src 'self') refuses the inline
    # script that add_script_tag(path=...) would write.
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(page.url))
    page.route("**/__axe.min.js", lambda route: route.fulfill(path=AXE))
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.add_script_tag(url=f"{origin}/__axe.min.js")
    result = page.evaluate(
        "([context, tags]) => axe.run(context === 'document' ? document : context,"
        " {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        [context, TAGS],
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(f"{n['target']} {n.get('failureSummary', '')[:160]!r}" for n in v["nodes"][:4])
        for v in result["violations"]
    ]


def assert_accessible(page: Page, *, context: str = "document") -> None:
    violations = axe_violations(page, context=context)
    assert violations == [], f"{page.url}:\n" + "\n".join(violations)
