"""Survey charts drawn on the server as SVG, like the investment dashboard's (no JavaScript,
readable on a cheap phone, the same drawing in the PDF): the converted value (NRR × 25) per
element against the grade boundaries, and the index per quarter.

Every chart has a table of the same values beside it for screen readers; the SVG carries a
label and <title> tooltips only."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from mpp.surveys import ikm

FONT = 'font-family="DejaVu Sans, Arial, sans-serif"'
GRADE_COLOURS = {"A": "#0b5d3b", "B": "#3f8f5f", "C": "#c98a12", "D": "#b3261e"}
LINE = "#dfe5e2"
MUTED = "#4a5550"
FLOOR, CEILING = 25, 100  # the converted scale runs from 25 (all 1s) to 100 (all 4s)


def decimal_id(value: Decimal | None, places: int = 2) -> str:
    """94.98 → "94,98": the Indonesian decimal comma; None → "–"."""
    if value is None:
        return "–"
    return f"{value:.{places}f}".replace(".", ",")


def _svg(width: int, height: int, label: str, body: list[str]) -> SafeString:
    return mark_safe(  # noqa: S308 - every text below is escaped
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(label)}" class="chart" {FONT} font-size="14">'
        f"<title>{escape(label)}</title>{''.join(body)}</svg>"
    )


def _boundaries() -> list[tuple[Decimal, str]]:
    """The lowest converted value of grades A, B and C (D starts at the floor)."""
    return [(lowest, mutu) for lowest, mutu, _kinerja in ikm.GRADES if mutu != "D"]


def element_bars(rows: Sequence[tuple[str, str, Decimal | None]], *, label: str) -> SafeString:
    """One bar per element: its NRR × 25 on the 25–100 scale, coloured by its grade, with
    dashed lines where grades A, B and C begin. `rows`: (code, name, converted value).

    Labels start at the left edge and are cut to what fits (a right-aligned label longer than
    its column ran off the drawing: "U2" printed as "I2" in the PDF). The grade lines carry
    their letter only; their thresholds are one legend line under the bars (written beside the
    lines, "C ≥ 65,00" and "B ≥ 76,61" overlapped)."""
    row_h, left, width, top = 30, 250, 700, 26
    plot_w = width - left - 70
    legend_y = top + row_h * len(rows) + 24
    height = legend_y + 10
    name_chars = 24  # DejaVu Sans at 14 px: about 8.5 px a character, after "U1 " in bold

    def x_of(value: Decimal | float) -> float:
        return left + plot_w * (float(value) - FLOOR) / (CEILING - FLOOR)

    body = []
    legend = []
    for lowest, mutu in _boundaries():
        x = x_of(lowest)
        body.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top - 6}" y2="{legend_y - 18}" '
            f'stroke="{GRADE_COLOURS[mutu]}" stroke-dasharray="4 3"/>'
            f'<text x="{x:.1f}" y="{top - 10}" font-size="13" font-weight="bold" '
            f'text-anchor="middle" fill="{GRADE_COLOURS[mutu]}">{escape(mutu)}</text>'
        )
        legend.append(f"{mutu} ≥ {decimal_id(lowest)}")
    lowest_c = min(lowest for lowest, _mutu in _boundaries())
    legend.append(f"D < {decimal_id(lowest_c)}")
    for i, (code, name, value) in enumerate(rows):
        y = top + i * row_h
        short = name if len(name) <= name_chars else name[: name_chars - 1] + "…"
        body.append(
            f'<text x="4" y="{y + 19}"><tspan font-weight="bold">{escape(code)}</tspan> '
            f"{escape(short)}</text>"
        )
        if value is None:
            body.append(f'<text x="{left + 4}" y="{y + 19}" fill="{MUTED}">–</text>')
            continue
        mutu, kinerja = ikm.grade_of(value)
        w = max(x_of(value) - left, 1.0)
        tip = f"{code} {name}: {decimal_id(value)} ({mutu}, {gettext(kinerja)})"
        body.append(
            f'<rect x="{left}" y="{y + 5}" width="{w:.1f}" height="{row_h - 10}" '
            f'fill="{GRADE_COLOURS[mutu]}" rx="2"><title>{escape(tip)}</title></rect>'
            f'<text x="{left + w + 6:.1f}" y="{y + 19}">{escape(decimal_id(value))}</text>'
        )
    body.append(
        f'<text x="{left}" y="{legend_y}" font-size="12" fill="{MUTED}">'
        f"{escape(' · '.join(legend))}</text>"
    )
    return _svg(width, height, label, body)


def trend(points: Sequence[tuple[str, Decimal | None, bool]], *, label: str) -> SafeString:
    """The converted value per period as a line over the grade bands; a provisional (running)
    period is drawn hollow, a period without responses leaves a gap. `points`: (label, value,
    is_provisional)."""
    width, height, left, bottom, top = 640, 300, 52, 250, 16
    plot_h = bottom - top
    slot = (width - left - 12) / max(len(points), 1)

    def y_of(value: Decimal | float) -> float:
        return bottom - plot_h * (float(value) - FLOOR) / (CEILING - FLOOR)

    body = []
    for tick in range(FLOOR, CEILING + 1, 25):
        y = y_of(tick)
        body.append(
            f'<line x1="{left}" x2="{width - 12}" y1="{y:.1f}" y2="{y:.1f}" stroke="{LINE}"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{MUTED}">{tick}</text>'
        )
    for lowest, mutu in _boundaries():
        y = y_of(lowest)
        body.append(
            f'<line x1="{left}" x2="{width - 12}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{GRADE_COLOURS[mutu]}" stroke-dasharray="4 3"/>'
            f'<text x="{width - 14}" y="{y - 4:.1f}" text-anchor="end" font-size="12" '
            f'fill="{GRADE_COLOURS[mutu]}">{escape(mutu)}</text>'
        )
    segment: list[str] = []
    segments: list[list[str]] = []
    for i, (_name, value, _provisional) in enumerate(points):
        if value is None:
            if segment:
                segments.append(segment)
            segment = []
            continue
        segment.append(f"{left + slot * (i + 0.5):.1f},{y_of(value):.1f}")
    if segment:
        segments.append(segment)
    for part in segments:
        body.append(
            f'<polyline points="{" ".join(part)}" fill="none" stroke="{GRADE_COLOURS["A"]}" '
            'stroke-width="3"/>'
        )
    for i, (name, value, provisional) in enumerate(points):
        x = left + slot * (i + 0.5)
        words = name.split(" ", 1)
        body.append(
            f'<text x="{x:.1f}" y="{bottom + 18}" text-anchor="middle" font-size="12">'
            f"{escape(words[0])}</text>"
            f'<text x="{x:.1f}" y="{bottom + 33}" text-anchor="middle" font-size="12" '
            f'fill="{MUTED}">{escape(words[1] if len(words) > 1 else "")}</text>'
        )
        if value is None:
            continue
        mutu, _kinerja = ikm.grade_of(value)
        fill = "#fff" if provisional else GRADE_COLOURS[mutu]
        tip = f"{name}: {decimal_id(value)} ({mutu})"
        body.append(
            f'<circle cx="{x:.1f}" cy="{y_of(value):.1f}" r="5" fill="{fill}" '
            f'stroke="{GRADE_COLOURS[mutu]}" stroke-width="2"><title>{escape(tip)}</title>'
            f'</circle><text x="{x:.1f}" y="{y_of(value) - 10:.1f}" text-anchor="middle" '
            f'font-size="12">{escape(decimal_id(value))}</text>'
        )
    return _svg(width, height, label, body)
