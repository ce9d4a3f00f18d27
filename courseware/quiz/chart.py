"""Draw a horizontal bar chart as inline SVG markup, server-side, with no script."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

LOW_VALUE = 0.5


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None
    caption: str


def bar_chart_svg(
    bars: Sequence[Bar],
    title: str,
    *,
    width: int = 640,
    label_width: int = 64,
    caption_width: int = 64,
    bar_height: int = 20,
    gap: int = 8,
) -> Markup:
    """Return an SVG of one bar per value (0 to 1), low values marked with a class for CSS."""
    track_width = width - label_width - caption_width
    height = len(bars) * (bar_height + gap) + gap
    parts = [
        f'<svg class="bar-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}"'
        f' width="100%" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for index, bar in enumerate(bars):
        y = gap + index * (bar_height + gap)
        middle = y + bar_height / 2
        value = min(max(bar.value or 0.0, 0.0), 1.0)
        low = " bar-chart__bar--low" if bar.value is not None and bar.value < LOW_VALUE else ""
        parts.append(
            f'<text class="bar-chart__label" x="0" y="{middle}" dominant-baseline="middle"'
            f' fill="currentColor">{escape(bar.label)}</text>'
            f'<rect class="bar-chart__track" x="{label_width}" y="{y}" width="{track_width}"'
            f' height="{bar_height}" fill="#e5e7eb"/>'
            f'<rect class="bar-chart__bar{low}" x="{label_width}" y="{y}"'
            f' width="{round(track_width * value, 1)}" height="{bar_height}" fill="#2563eb"/>'
            f'<text class="bar-chart__caption" x="{width}" y="{middle}" text-anchor="end"'
            f' dominant-baseline="middle" fill="currentColor">{escape(bar.caption)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 # nosec B704: every text put in is escaped above
