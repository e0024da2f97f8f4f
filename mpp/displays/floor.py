"""The floor map of a display board: the room as citizens see it from the waiting chairs.

Drawn from the Metapers hall's scene (the same plan as the virtual hall), but only what exists in
the room: the booths that have counters. A Mini MPP's virtual hall also shows every tenant of the
MPP and a portal to it (issue 5); its PATEN room has only the front desk, so its board shows only
that (issue 18, item 13). The map is cropped to those booths and labelled for reading from the
back of a waiting room on a 1080p TV (item 25): each booth carries its counter numbers as large
as the booth allows, tenant names only where few booths leave room for them (the counter cells
beside the map name the tenant of every counter). No links: a TV has no pointer.
"""

from __future__ import annotations

from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from mpp.metapers.models import FRONT_DESK

CHAR = 0.62  # width of a bold digit or letter, in font sizes
MARGIN = 1.0  # metres around the booths
ENTRANCE_BAND = 3.0  # metres below the booths for the entrance's label
NAMED_BOOTHS = 4  # up to this many booths, their names are drawn above them
MIN_WIDTH = 12.0  # metres: a lone front desk is not blown up to fill the TV


def _n(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def numbers_text(numbers: list[int]) -> str:
    """Counter numbers as one short label: 2–5 or 7–8 for a run, 14, 16 otherwise."""
    numbers = sorted(numbers)
    if len(numbers) > 1 and numbers[-1] - numbers[0] == len(numbers) - 1:
        return f"{numbers[0]}–{numbers[-1]}"
    return ", ".join(str(n) for n in numbers)


def _fit(text: str, width: float, height: float, cap: float) -> float:
    """The font size (metres) at which one line of `text` fits `width` × `height`."""
    return max(min(cap, height * 0.62, (width - 0.3) / (CHAR * max(len(text), 1))), 0.3)


def board_floor_map(scene: dict[str, Any]) -> SafeString | None:
    """The SVG of the booths with counters in `scene` (`metapers.scene.scene_of`), or None when
    none has a counter."""
    booths = [b for b in scene["booths"] if b["counters"]]
    if not booths:
        return None
    hall_w, hall_d = scene["size"]["w"], scene["size"]["d"]
    left = max(min(b["x"] for b in booths) - MARGIN, 0.0)
    right = min(max(b["x"] + b["w"] for b in booths) + MARGIN, hall_w)
    if right - left < MIN_WIDTH:
        middle = (left + right) / 2
        left, right = max(middle - MIN_WIDTH / 2, 0.0), min(middle + MIN_WIDTH / 2, hall_w)
    named = len(booths) <= NAMED_BOOTHS
    top = max(min(b["y"] for b in booths) - MARGIN - (1.6 if named else 0.0), 0.0)
    bottom = min(max(b["y"] + b["d"] for b in booths) + ENTRANCE_BAND, hall_d)
    width, height = right - left, bottom - top
    brand = escape(scene["mall"]["colors"][0])
    title = _("Letak loket di %(m)s") % {"m": scene["mall"]["short_name"]}
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="floor-map" role="img" '
        f'viewBox="{_n(left)} {_n(top)} {_n(width)} {_n(height)}" '
        f'preserveAspectRatio="xMidYMin meet" aria-labelledby="board-map-title" '
        f'font-family="system-ui,Arial,sans-serif" font-weight="700">',
        f'<title id="board-map-title">{escape(title)}</title>',
        f'<rect x="{_n(left)}" y="{_n(top)}" width="{_n(width)}" height="{_n(height)}" '
        f'fill="#ffffff" stroke="{brand}" stroke-width="0.2"/>',
    ]
    for booth in booths:
        out.append(_booth(booth, brand, named=named))
    # The entrance: the direction citizens came in from, at the foot of the map.
    entrance = escape(_("Pintu masuk"))
    x = min(max(scene["entrance"]["x"], left + 3), right - 3)
    size = _fit(str(_("Pintu masuk")), min(width, 10.0), ENTRANCE_BAND, min(1.6, width / 12))
    out.append(
        f'<g class="entrance"><rect x="{_n(x - 2)}" y="{_n(bottom - 0.35)}" width="4" '
        f'height="0.35" fill="#116329"/><text x="{_n(x)}" y="{_n(bottom - 0.7)}" '
        f'font-size="{_n(size)}" text-anchor="middle" fill="#116329">{entrance} ↓</text></g>'
    )
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every text above is escaped or a number


def _booth(booth: dict[str, Any], brand: str, *, named: bool) -> str:
    x, y, w, d = booth["x"], booth["y"], booth["w"], booth["d"]
    numbers = [int(c["number"]) for c in booth["counters"]]
    label = numbers_text(numbers)
    size = _fit(label, w, d, 2.0)
    name = str(FRONT_DESK) if booth["tenant"] is None else booth["tenant"]["short_name"]
    parts = [
        f'<g class="booth">'
        f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(w)}" height="{_n(d)}" rx="0.2" '
        f'fill="#fff8e1" stroke="{brand}" stroke-width="0.15"/>'
        f'<text x="{_n(x + w / 2)}" y="{_n(y + d / 2 + size * 0.36)}" font-size="{_n(size)}" '
        f'text-anchor="middle" fill="#1b1f23">{escape(label)}</text>'
    ]
    if named:
        name_size = _fit(name, w + 2 * MARGIN, 1.6 / 0.62, 1.1)
        parts.append(
            f'<text x="{_n(x + w / 2)}" y="{_n(y - 0.35)}" font-size="{_n(name_size)}" '
            f'text-anchor="middle" fill="#1b1f23">{escape(name)}</text>'
        )
    # data-counter: board.js rings the counters serving now and pulses the latest call's.
    parts.extend(
        f'<g class="desk" data-counter="{int(c["number"])}"><circle cx="{_n(c["x"])}" '
        f'cy="{_n(c["y"])}" r="0.45" fill="{brand}"/></g>'
        for c in booth["counters"]
    )
    parts.append("</g>")
    return "".join(parts)


def board_map(mall_id: int) -> SafeString | None:
    """The floor map a display board shows beside its calls, so a citizen sees where counter 3
    is; None for a mall without a hall or without counters placed in it."""
    from mpp.metapers.scene import load_hall, scene_of

    hall = load_hall(mall_id)
    if hall is None:
        return None
    return board_floor_map(scene_of(hall))
