"""Bar charts drawn on the server: readable without JavaScript, by screen readers, and at 200%.

One row per month: the month and its number are HTML text (so they stay at least 16 px and
wrap whole on a phone at any zoom), the bar is a tiny SVG stretched to its share of the
row. Colours are SVG presentation attributes and classes (the CSP forbids style attributes).
The chart is one image for screen readers, named by its title and described with every
value; the page also carries the numbers as a table.
"""
from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

BAR_COLOUR = "#0b4f8a"  # 8.6:1 on white


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")  # Vietnamese groups thousands with dots


def bar_chart(
    points: Sequence[tuple[str, int]], title: str, description: str, axis_label: str,
    chart_id: str,
) -> Markup:
    """A bar chart of (label, value) rows, named by its title and described for screen readers."""
    top = max((value for _label, value in points), default=0)
    parts = [
        f'<div class="chart" id="{chart_id}" role="img" '
        f'aria-labelledby="{chart_id}-title" aria-describedby="{chart_id}-desc">',
        f'<span class="visually-hidden" id="{chart_id}-title">{escape(title)}</span>',
        f'<span class="visually-hidden" id="{chart_id}-desc">{escape(description)}</span>',
        f'<p class="chart__axis">{escape(axis_label)}</p>',
        '<ol class="chart__rows">',
    ]
    for label, value in points:
        share = round(100 * value / top, 1) if top else 0
        parts.append(
            f'<li class="chart__row"><span class="chart__label">{escape(label)}</span>'
            '<svg class="chart__bar" viewBox="0 0 100 10" preserveAspectRatio="none" '
            f'aria-hidden="true" focusable="false"><rect width="{share}" height="10" '
            f'fill="{BAR_COLOUR}"/></svg>'
            f'<span class="chart__value">{_number(value)}</span></li>'
        )
    parts.append("</ol></div>")
    return Markup("".join(parts))  # noqa: S704 - every text above is escaped
