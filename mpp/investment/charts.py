"""Charts drawn on the server as SVG: the same drawing on the web page (no JavaScript, readable
on a cheap phone, values in <title> tooltips and a table beside each) and in the PDF export.
See docs/adr/0007-investment-realization.md for why not a browser chart library."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from mpp.investment.formats import percent, rupiah
from mpp.investment.models import Nature

GREEN = "#0b5d3b"
GREY = "#9aa5a0"
GOLD = "#c98a12"
NATURE_COLOURS = {
    Nature.EXTRACTIVE: "#8c510a",
    Nature.RESOURCE_BASED: "#d8b365",
    Nature.NON_EXTRACTIVE: "#01665e",
}
FONT = 'font-family="DejaVu Sans, Arial, sans-serif"'


def _svg(width: int, height: int, label: str, body: list[str]) -> SafeString:
    return mark_safe(  # noqa: S308 - every text below is escaped
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(label)}" class="chart" {FONT} font-size="14">'
        f"<title>{escape(label)}</title>{''.join(body)}</svg>"
    )


def _nice_max(value: int) -> int:
    """A round top for an axis: 1, 2, 2.5 or 5 times a power of ten above `value`."""
    if value <= 0:
        return 1
    power = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        top = int(step * power)
        if top >= value:
            return top
    return 10 * power


def _axis(top: int, x0: int, x1: int, y0: int, height: int) -> list[str]:
    parts = []
    for i in range(5):
        value = top * i // 4
        y = y0 - height * i / 4
        parts.append(
            f'<line x1="{x0}" x2="{x1}" y1="{y:.1f}" y2="{y:.1f}" stroke="#dfe5e2"/>'
            f'<text x="{x0 - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#4a5550">'
            f"{escape(rupiah(value, short=True))}</text>"
        )
    return parts


def quarter_bars(
    current: Sequence[int], previous: Sequence[int], year: int, *, label: str
) -> SafeString:
    """Realization per quarter, this year beside the previous year."""
    width, height, left, bottom, top_pad = 480, 290, 78, 240, 20
    top = _nice_max(max([*current, *previous, 0]))
    plot_h = bottom - top_pad
    body = _axis(top, left, width - 10, bottom, plot_h)
    slot = (width - left - 10) / 4
    for q in range(4):
        x = left + q * slot
        for offset, (value, colour, yr) in enumerate(
            ((previous[q], GREY, year - 1), (current[q] if q < len(current) else None, GREEN, year))
        ):
            if value is None:
                continue
            h = plot_h * value / top
            tip = _("Triwulan %(q)d %(y)d: %(v)s") % {"q": q + 1, "y": yr, "v": rupiah(value)}
            bx = x + slot * 0.15 + offset * slot * 0.36
            body.append(
                f'<rect x="{bx:.1f}" y="{bottom - h:.1f}" width="{slot * 0.34:.1f}" '
                f'height="{h:.1f}" fill="{colour}" rx="2"><title>{escape(tip)}</title></rect>'
            )
        quarter = _("Triwulan %(q)d") % {"q": q + 1}
        body.append(
            f'<text x="{x + slot / 2:.1f}" y="{bottom + 18}" text-anchor="middle">'
            f"{escape(quarter)}</text>"
        )
    body += _legend([(GREY, str(year - 1)), (GREEN, str(year))], left, height - 8)
    return _svg(width, height, label, body)


def cumulative_lines(
    cumulative: Sequence[int],
    previous: Sequence[int],
    targets: Sequence[tuple[str, int]],
    *,
    label: str,
) -> SafeString:
    """Cumulative realization through the year against the previous year and the targets."""
    width, height, left, bottom, top_pad = 480, 290, 78, 240, 20
    top = _nice_max(max([*cumulative, *previous, *(t for _, t in targets), 0]))
    plot_h = bottom - top_pad
    body = _axis(top, left, width - 10, bottom, plot_h)
    step = (width - left - 40) / 4

    def point(i: int, value: int) -> tuple[float, float]:
        return left + 20 + step * (i + 0.5), bottom - plot_h * value / top

    for name, value in targets:
        y = bottom - plot_h * value / top
        body.append(
            f'<line x1="{left}" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GOLD}" '
            f'stroke-dasharray="6 4" stroke-width="2"/><text x="{width - 12}" y="{y - 5:.1f}" '
            f'text-anchor="end" fill="#7a5209">{escape(name)}: {escape(rupiah(value, short=True))}'
            "</text>"
        )
    for series, colour in ((previous, GREY), (cumulative, GREEN)):
        if not series:
            continue
        xy = [point(i, v) for i, v in enumerate(series)]
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in xy)
        body.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="3"/>')
        for i, value in enumerate(series):
            x, y = point(i, value)
            tip = _("s.d. triwulan %(q)d: %(v)s") % {"q": i + 1, "v": rupiah(value)}
            body.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"><title>'
                f"{escape(tip)}"
                "</title></circle>"
            )
    for i in range(4):
        x, _y = point(i, 0)
        through = _("s.d. TW %(q)d") % {"q": i + 1}
        body.append(
            f'<text x="{x:.1f}" y="{bottom + 18}" text-anchor="middle">{escape(through)}</text>'
        )
    return _svg(width, height, label, body)


def nature_stack(
    years: Sequence[tuple[int, dict[str, float], float, str]], policy_year: int, *, label: str
) -> SafeString:
    """100 % columns per year: extractive, resource-based, other; the downstreaming share as a
    dot; a line where the policy shift starts. `years`: (year, shares, downstream, caption)."""
    width, height, left, bottom, top_pad = 480, 320, 44, 236, 34
    plot_h = bottom - top_pad
    slot = (width - left - 10) / max(len(years), 1)
    body = []
    for i in range(5):
        y = bottom - plot_h * i / 4
        body.append(
            f'<line x1="{left}" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}" stroke="#dfe5e2"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{25 * i}%</text>'
        )
    order = (Nature.EXTRACTIVE, Nature.RESOURCE_BASED, Nature.NON_EXTRACTIVE)
    downstream_word = _("hilirisasi")
    shift = _("%(y)d: arah baru, hilirisasi") % {"y": policy_year}
    for i, (year, shares, downstream, caption) in enumerate(years):
        x = left + i * slot + slot * 0.2
        y = float(bottom)
        for nature in order:
            h = plot_h * shares.get(nature, 0.0)
            y -= h
            body.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.6:.1f}" height="{h:.1f}" '
                f'fill="{NATURE_COLOURS[nature]}"><title>{escape(str(year))} '
                f"{escape(str(Nature(nature).label))}: {escape(percent(shares.get(nature, 0.0)))}"
                "</title></rect>"
            )
        dy = bottom - plot_h * downstream
        body.append(
            f'<circle cx="{x + slot * 0.3:.1f}" cy="{dy:.1f}" r="5" fill="#fff" stroke="#111" '
            f'stroke-width="2"><title>{escape(str(year))} '
            f"{escape(downstream_word)}: {escape(percent(downstream))}</title></circle>"
            f'<text x="{x + slot * 0.3:.1f}" y="{bottom + 16}" text-anchor="middle">{year}</text>'
            f'<text x="{x + slot * 0.3:.1f}" y="{bottom + 32}" text-anchor="middle" '
            f'font-size="12" fill="#4a5550">{escape(caption)}</text>'
        )
        if year == policy_year:
            lx = left + i * slot
            body.append(
                f'<line x1="{lx:.1f}" x2="{lx:.1f}" y1="{top_pad - 14}" y2="{bottom}" '
                f'stroke="#111" stroke-dasharray="4 3"/><text x="{lx + 4:.1f}" '
                f'y="{top_pad - 18}" font-size="12">'
                f"{escape(shift)}</text>"
            )
    if years and policy_year == years[-1][0] + 1:
        lx = width - 12
        body.append(
            f'<line x1="{lx}" x2="{lx}" y1="{top_pad - 14}" y2="{bottom}" stroke="#111" '
            f'stroke-dasharray="4 3"/><text x="{lx - 4}" y="{top_pad - 18}" text-anchor="end" '
            f'font-size="12">{escape(shift)}'
            "</text>"
        )
    legend = [(NATURE_COLOURS[n], str(Nature(n).label)) for n in order]
    body += _legend(legend[:2], 0, height - 28)
    body += _legend(legend[2:], 0, height - 8)
    body.append(
        f'<circle cx="{width - 110}" cy="{height - 13}" r="5" fill="#fff" stroke="#111" '
        f'stroke-width="2"/><text x="{width - 100}" y="{height - 8}">'
        f"{escape(downstream_word)}</text>"
    )
    return _svg(width, height, label, body)


def hbars(items: Sequence[tuple[str, int]], *, label: str, colour: str = GREEN) -> SafeString:
    """Horizontal bars with their value: top sectors, kecamatan."""
    row, left, width = 28, 170, 480
    height = row * len(items) + 10
    top = max([v for _, v in items] + [1])
    body = []
    for i, (name, value) in enumerate(items):
        y = 5 + i * row
        w = (width - left - 84) * value / top
        short = name if len(name) <= 20 else name[:19] + "…"
        body.append(
            f'<text x="{left - 8}" y="{y + 16}" text-anchor="end">{escape(short)}</text>'
            f'<rect x="{left}" y="{y + 3}" width="{max(w, 1):.1f}" height="{row - 8}" '
            f'fill="{colour}" rx="2"><title>{escape(name)}: {escape(rupiah(value))}</title></rect>'
            f'<text x="{left + w + 6:.1f}" y="{y + 16}">{escape(rupiah(value, short=True))}</text>'
        )
    return _svg(width, height, label, body)


def split_bar(parts: Sequence[tuple[str, int, str]], *, label: str) -> SafeString:
    """One bar split in parts (PMA and PMDN; men, women, foreign workers)."""
    width, height = 480, 70
    total = sum(v for _, v, _ in parts) or 1
    x = 0.0
    body = []
    for name, value, colour in parts:
        w = width * value / total
        body.append(
            f'<rect x="{x:.1f}" y="0" width="{w:.1f}" height="34" fill="{colour}">'
            f"<title>{escape(name)}: {escape(percent(value / total))}</title></rect>"
        )
        if w > 90:
            body.append(
                f'<text x="{x + 8:.1f}" y="22" fill="#fff" font-weight="bold">'
                f"{escape(name)} {escape(percent(value / total))}</text>"
            )
        x += w
    body += _legend([(c, n) for n, _, c in parts], 0, height - 8)
    return _svg(width, height, label, body)


def _legend(items: Sequence[tuple[str, str]], x: int, y: int) -> list[str]:
    parts = []
    for colour, name in items:
        parts.append(
            f'<rect x="{x}" y="{y - 10}" width="12" height="12" fill="{colour}"/>'
            f'<text x="{x + 16}" y="{y}">{escape(name)}</text>'
        )
        x += 28 + 9 * len(name)
    return parts
