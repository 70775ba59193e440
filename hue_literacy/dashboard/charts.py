"""Bar charts drawn on the server as SVG: readable without JavaScript and by screen readers.

Bars run sideways, one row per month, so the month names and the numbers stay large on a
360 px phone. Every value is written as text next to its bar; colours are SVG presentation
attributes and classes (the CSP forbids style attributes).
"""
from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

WIDTH = 360
ROW = 32
TOP = 34
LABEL_WIDTH = 96
VALUE_WIDTH = 60
BAR_COLOUR = "#0b4f8a"  # 8.6:1 on white
INK = "#1b1b1b"
AXIS = "#5f6368"


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")  # Vietnamese groups thousands with dots


def bar_chart(
    points: Sequence[tuple[str, int]], title: str, description: str, axis_label: str,
    chart_id: str,
) -> Markup:
    """An SVG bar chart of (label, value) rows, with a <title>, a <desc> and axis labels."""
    height = TOP + ROW * len(points) + 8
    plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    top = max((value for _label, value in points), default=0)
    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'font-family="inherit" font-size="16">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
        f'<text class="chart__axis-label" x="{LABEL_WIDTH}" y="18" fill="{INK}" '
        f'font-size="14">{escape(axis_label)}</text>',
        f'<line x1="{LABEL_WIDTH}" y1="{TOP - 6}" x2="{LABEL_WIDTH}" '
        f'y2="{TOP + ROW * len(points)}" stroke="{AXIS}" stroke-width="2"/>',
    ]
    for row, (label, value) in enumerate(points):
        y = TOP + row * ROW
        width = round(plot * value / top, 1) if top else 0
        middle = y + ROW / 2 + 5
        parts.append(
            f'<g class="chart__row"><text x="{LABEL_WIDTH - 8}" y="{middle}" text-anchor="end" '
            f'fill="{INK}">{escape(label)}</text>'
            f'<rect class="chart__bar" x="{LABEL_WIDTH}" y="{y + 4}" width="{width}" '
            f'height="{ROW - 8}" fill="{BAR_COLOUR}"/>'
            f'<text class="chart__value" x="{LABEL_WIDTH + width + 6}" y="{middle}" '
            f'fill="{INK}" font-weight="700">{_number(value)}</text></g>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text above is escaped
