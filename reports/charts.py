"""Inline SVG charts: horizontal bars and a donut, drawn as text with no script and no library.

The HTML report must open from a USB stick on an offline machine and print cleanly, so charts
are static SVG elements with their numbers written beside the bars (readable in black and
white, and by screen readers through ``<title>``). Every label is escaped.
"""

from __future__ import annotations

import math
from html import escape

#: Severity colours, shared with the stylesheet (critical → info).
SEVERITY_COLOURS = {
    "critical": "#8b0000", "high": "#d9480f", "medium": "#e8a100", "low": "#2f7ed8",
    "info": "#6c757d",
}
PALETTE = ("#2f7ed8", "#0d9488", "#7c3aed", "#d9480f", "#65a30d", "#db2777", "#0891b2",
           "#a16207", "#4b5563", "#9333ea")


def _clip(label: str, limit: int = 28) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def bar_chart(rows: list[tuple[str, int]], title: str, *, colours: dict[str, str] | None = None,
              keys: list[str] | None = None, width: int = 460) -> str:
    """Horizontal bars, one per ``(label, value)``; ``keys`` pick colours from ``colours``."""
    bar_h, gap, label_w, top = 18, 6, 190, 26
    height = top + max(1, len(rows)) * (bar_h + gap) + 4
    peak = max((v for _, v in rows), default=0) or 1
    span = width - label_w - 50
    parts = [f'<svg class="chart" role="img" '
             f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
             f"<title>{escape(title)}</title>",
             f'<text x="0" y="16" class="chart-title">{escape(title)}</text>']
    for i, (label, value) in enumerate(rows):
        y = top + i * (bar_h + gap)
        colour = PALETTE[i % len(PALETTE)]
        if colours and keys:
            colour = colours.get(keys[i], colour)
        length = round(span * value / peak, 1)
        parts.append(
            f'<g><title>{escape(label)} {value}</title>'
            f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end">{escape(_clip(label))}</text>'
            f'<rect x="{label_w}" y="{y}" width="{length}" height="{bar_h}" fill="{colour}"/>'
            f'<text x="{label_w + length + 5}" y="{y + 13}">{value}</text></g>')
    parts.append("</svg>")
    return "".join(parts)


def donut_chart(rows: list[tuple[str, int]], title: str, colours: list[str],
                *, size: int = 200) -> str:
    """A donut of ``(label, value)`` slices with a legend; the total sits in the middle."""
    total = sum(v for _, v in rows)
    r, stroke = size / 2 - 20, 28
    cx = cy = size / 2
    circumference = 2 * math.pi * r
    legend_w = 180
    height = max(size + 24, 30 + 20 * len(rows))
    parts = [f'<svg class="chart" role="img" '
             f'width="{size + legend_w}" height="{height}" '
             f'viewBox="0 0 {size + legend_w} {height}">',
             f"<title>{escape(title)}</title>",
             f'<text x="0" y="16" class="chart-title">{escape(title)}</text>',
             '<g transform="translate(0 24)">',
             f'<circle cx="{cx}" cy="{cy}" r="{r:.1f}" fill="none" stroke="#e9ecef" '
             f'stroke-width="{stroke}"/>']
    offset = 0.0
    for (label, value), colour in zip(rows, colours, strict=True):
        if not value:
            continue
        length = circumference * value / total
        parts.append(
            f'<circle cx="{cx}" cy="{cy}" r="{r:.1f}" fill="none" stroke="{colour}" '
            f'stroke-width="{stroke}" stroke-dasharray="{length:.2f} {circumference:.2f}" '
            f'stroke-dashoffset="{-offset:.2f}" transform="rotate(-90 {cx} {cy})">'
            f"<title>{escape(label)} {value}</title></circle>")
        offset += length
    parts.append(f'<text x="{cx}" y="{cy + 8}" text-anchor="middle" class="chart-total">'
                 f"{total}</text></g>")
    for i, ((label, value), colour) in enumerate(zip(rows, colours, strict=True)):
        y = 40 + i * 20
        parts.append(f'<rect x="{size + 4}" y="{y - 11}" width="12" height="12" '
                     f'fill="{colour}"/><text x="{size + 22}" y="{y}">'
                     f"{escape(_clip(label, 20))} {value}</text>")
    parts.append("</svg>")
    return "".join(parts)
