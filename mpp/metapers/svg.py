"""The floor map of a hall drawn on the server as SVG, from the same scene data as the 3D hall.

One SVG unit is one metre (the viewBox is the hall), so the map scales to any screen width and
stays sharp when zoomed on a phone. Each booth is a link to its booth page with an accessible
name ("Disdukcapil Kukar, Loket 2, 3, 4, 5"); the front desk ("Loket Pelayanan, Loket 1, 2")
links to the hall's list, where a visitor chooses the tenant. Every text is escaped here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from mpp.metapers.models import FRONT_DESK

ROOM_FILL = {"service": "#ffffff", "paten": "#ffffff", "lobby": "#eef2f5"}
BOOTH_FILL, FRONT_DESK_FILL = "#fff8e1", "#e3f1fb"
# Widths of a bold system sans-serif character, in font sizes (capitals are wider).
CAPITAL_WIDTH, CHAR_WIDTH = 0.86, 0.7
MAX_FONT = 0.7  # metres


def _n(value: float) -> str:
    """A coordinate without trailing zeros: 12.0 → 12, 1.25 → 1.25."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _width(line: str) -> float:
    return sum(CAPITAL_WIDTH if c.isupper() else CHAR_WIDTH for c in line)


def _lines(name: str, width: float) -> tuple[list[str], float]:
    """The name on at most two lines and the font size that fits them in `width` metres."""
    words = name.split()
    if len(words) > 1 and _width(name) * MAX_FONT > width:
        best = min(
            range(1, len(words)),
            key=lambda i: max(_width(" ".join(words[:i])), _width(" ".join(words[i:]))),
        )
        lines = [" ".join(words[:best]), " ".join(words[best:])]
    else:
        lines = [name]
    longest = max(_width(line) for line in lines)
    size = min(MAX_FONT, (width - 0.3) / longest)
    return lines, max(size, 0.25)


def counters_text(numbers: list[int]) -> str:
    if not numbers:
        return ""
    if len(numbers) == 1:
        return _("Loket %(n)d") % {"n": numbers[0]}
    return _("Loket %(n)s") % {"n": ", ".join(str(n) for n in numbers)}


def floor_map(
    scene: dict[str, Any],
    *,
    booth_url: Callable[[str], str],
    portal_url: Callable[[str], str],
    front_desk_url: str,
) -> SafeString:
    """The SVG of a scene (`scene.scene_of`); `booth_url(tenant_slug)`, `portal_url(mall_slug)`
    and `front_desk_url` give the links."""
    w, d = scene["size"]["w"], scene["size"]["d"]
    title = _("Denah %(m)s") % {"m": scene["mall"]["short_name"]}
    brand = escape(scene["mall"]["colors"][0])
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="floor-map" viewBox="-0.5 -0.5 '
        f'{_n(w + 1)} {_n(d + 1)}" width="100%" preserveAspectRatio="xMidYMin meet" '
        f'aria-labelledby="map-title" font-family="system-ui,sans-serif">',
        f'<title id="map-title">{escape(title)}</title>',
        f'<rect x="0" y="0" width="{_n(w)}" height="{_n(d)}" fill="#f6f7f8" '
        f'stroke="{brand}" stroke-width="0.3"/>',
    ]
    for room in scene["rooms"]:
        out.append(
            f'<g class="room"><title>{escape(room["name"])}</title>'
            f'<rect x="{_n(room["x"])}" y="{_n(room["y"])}" width="{_n(room["w"])}" '
            f'height="{_n(room["d"])}" fill="{ROOM_FILL.get(room["kind"], "#ffffff")}" '
            f'stroke="#8a939c" stroke-width="0.15"/>'
            f'<text x="{_n(room["x"] + 0.4)}" y="{_n(room["y"] + 1.1)}" '
            f'font-size="0.8" fill="#5b6470">{escape(room["name"])}</text></g>'
        )
    for booth in scene["booths"]:
        if booth["tenant"] is None:
            out.append(_booth(booth, str(FRONT_DESK), front_desk_url, brand))
        else:
            url = booth_url(booth["tenant"]["slug"])
            out.append(_booth(booth, booth["tenant"]["short_name"], url, brand))
    out.append(_entrance(scene))
    if scene["portal"] is not None:
        out.append(_portal(scene["portal"], portal_url(scene["portal"]["to"])))
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped or a number


def _booth(booth: dict[str, Any], name: str, url: str, brand: str) -> str:
    numbers = [c["number"] for c in booth["counters"]]
    counters = counters_text(numbers)
    # The accessible name starts with the visible name (WCAG 2.5.3, "label in name").
    label = f"{name}, {counters}" if counters else name
    x, y, w, d = booth["x"], booth["y"], booth["w"], booth["d"]
    lines, size = _lines(name, w)
    top = y + d / 2 - (len(lines) - 1) * size * 0.6
    # One text element, its lines as tspans separated by a space: the link's visible text reads
    # "Disdukcapil Kukar", not "DisdukcapilKukar".
    texts = (
        f'<text font-size="{_n(size)}" text-anchor="middle" font-weight="600" fill="#1b1f23">'
        + " ".join(
            f'<tspan x="{_n(x + w / 2)}" y="{_n(top + i * size * 1.2)}">{escape(line)}</tspan>'
            for i, line in enumerate(lines)
        )
        + "</text>"
    )
    # data-counter: the display board marks the counter being called (displays/board.js).
    desks = "".join(
        f'<g class="desk" data-counter="{int(c["number"])}">'
        f'<circle cx="{_n(c["x"])}" cy="{_n(c["y"])}" r="0.45" fill="{brand}"/>'
        f'<text x="{_n(c["x"])}" y="{_n(c["y"] + 0.17)}" font-size="0.5" text-anchor="middle" '
        f'fill="#ffffff">{c["number"]}</text></g>'
        for c in booth["counters"]
    )
    front = booth["front_desk"]
    kind, fill = ("booth front-desk", FRONT_DESK_FILL) if front else ("booth", BOOTH_FILL)
    return (
        f'<a href="{escape(url)}" aria-label="{escape(label)}" class="{kind}">'
        f"<title>{escape(label)}</title>"
        f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(w)}" height="{_n(d)}" rx="0.2" '
        f'fill="{fill}" stroke="{brand}" stroke-width="0.12"/>{texts}</a>'
        # Outside the link: the numbers are in its name already, and a visible text inside it
        # that is not in the name fails "label in name". Taps fall through to the booth.
        f'<g aria-hidden="true" pointer-events="none">{desks}</g>'
    )


def _entrance(scene: dict[str, Any]) -> str:
    x, y = scene["entrance"]["x"], scene["entrance"]["y"]
    label = escape(_("Pintu masuk"))
    return (
        f'<g class="entrance"><title>{label}</title>'
        f'<rect x="{_n(x - 1.5)}" y="{_n(y - 0.3)}" width="3" height="0.6" fill="#1a7f37"/>'
        f'<text x="{_n(x)}" y="{_n(y - 0.7)}" font-size="0.7" text-anchor="middle" '
        f'fill="#1a7f37">{label}</text></g>'
    )


def _portal(portal: dict[str, Any], url: str) -> str:
    label = escape(_("Portal ke %(m)s") % {"m": portal["name"]})
    x, y = portal["x"], portal["y"]
    return (
        f'<a href="{escape(url)}" aria-label="{label}" class="portal"><title>{label}</title>'
        f'<circle cx="{_n(x + 3)}" cy="{_n(y - 2)}" r="1" fill="#5b2a86"/>'
        f'<text x="{_n(x + 3)}" y="{_n(y - 3.3)}" font-size="0.7" text-anchor="middle" '
        f'fill="#5b2a86">{label}</text></a>'
    )
