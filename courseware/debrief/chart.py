"""Lay out the debrief's two charts; `templates/debrief/_charts.html` draws them as inline SVG.

Pure geometry, as `courseware.workshop.chart`: the weights' strip plot (one row per pooled
option, a dot per trainee, the middle half of the room as a box, the median as a line) and
the key-account frequencies (one bar per candidate, the disputed band shaded).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from courseware.debrief.room import DISPUTED_HIGH, DISPUTED_LOW, CandidateFrequency, WeightSpread
from courseware.workshop.chart import shorten_label

WIDTH = 960  # drawn at the projector's width; CSS scales it down on smaller screens
LABEL_WIDTH = 290
VALUE_WIDTH = 90
ROW_HEIGHT = 44
TOP = 36
BOTTOM = 10
DOT_RADIUS = 7
DOT_LANES = (-9, 0, 9)  # equal weights sit side by side in three lanes, not on one another
TICKS = (0, 20, 40, 60, 80, 100)
LABEL_UNITS = 21  # Latin letters at the projector's 20 px; a Chinese character counts as two


@dataclass(frozen=True)
class Dot:
    """One trainee's weight."""

    x: float
    y: float


@dataclass(frozen=True)
class StripRow:
    """One option's dots, box and median."""

    label: str
    full_label: str
    y: float  # the row's middle line
    dots: tuple[Dot, ...]
    box_x: float | None
    box_width: float
    median_x: float | None
    room_x: float  # the room's pooled weight
    room_weight: int
    users: int


@dataclass(frozen=True)
class Tick:
    """A grid line with its value."""

    value: int
    x: float


@dataclass(frozen=True)
class StripChart:
    """Everything the strip plot's SVG needs."""

    width: int
    height: int
    plot_left: float
    plot_width: float
    top: int
    bottom_y: float
    rows: tuple[StripRow, ...]
    ticks: tuple[Tick, ...]


@dataclass(frozen=True)
class FrequencyBar:
    """One candidate's share of the room's key-account lists."""

    label: str
    full_label: str
    y: float
    width: float
    text_y: float
    chosen: int
    percent: int
    disputed: bool


@dataclass(frozen=True)
class FrequencyChart:
    """Everything the frequency chart's SVG needs."""

    width: int
    height: int
    plot_left: float
    plot_width: float
    top: int
    bottom_y: float
    band_x: float  # the disputed band, 30 % to 70 %
    band_width: float
    bars: tuple[FrequencyBar, ...]
    ticks: tuple[Tick, ...]
    bar_height: int


def strip_chart(spreads: Sequence[WeightSpread], labels: Mapping[str, str],
                pooled: Mapping[str, int]) -> StripChart:
    """Lay out one row per option: each trainee's share of 100 as a dot."""
    plot_left, plot_width = float(LABEL_WIDTH), float(WIDTH - LABEL_WIDTH - VALUE_WIDTH)
    rows = []
    for index, spread in enumerate(spreads):
        y = TOP + index * ROW_HEIGHT + ROW_HEIGHT / 2
        seen: dict[float, int] = {}
        dots = []
        for value in spread.values:
            lane = seen.get(value, 0)
            seen[value] = lane + 1
            dots.append(Dot(x=_x(plot_left, plot_width, value),
                            y=y + DOT_LANES[lane % len(DOT_LANES)]))
        box_x = None if spread.lower_quartile is None \
            else _x(plot_left, plot_width, spread.lower_quartile)
        box_end = None if spread.upper_quartile is None \
            else _x(plot_left, plot_width, spread.upper_quartile)
        label = labels.get(spread.key, spread.key)
        rows.append(StripRow(
            label=shorten_label(label, LABEL_UNITS),
            full_label=label,
            y=y,
            dots=tuple(dots),
            box_x=box_x,
            box_width=0.0 if box_x is None or box_end is None else round(box_end - box_x, 2),
            median_x=None if spread.median is None else _x(plot_left, plot_width, spread.median),
            room_x=_x(plot_left, plot_width, pooled.get(spread.key, 0)),
            room_weight=pooled.get(spread.key, 0),
            users=spread.users,
        ))
    height = TOP + len(rows) * ROW_HEIGHT + BOTTOM
    return StripChart(width=WIDTH, height=height, plot_left=plot_left, plot_width=plot_width,
                      top=TOP, bottom_y=height - BOTTOM, rows=tuple(rows),
                      ticks=_ticks(plot_left, plot_width))


def frequency_chart(frequencies: Sequence[CandidateFrequency], names: Mapping[str, str]
                    ) -> FrequencyChart:
    """Lay out one bar per candidate, most chosen first, over the shaded disputed band."""
    plot_left, plot_width = float(LABEL_WIDTH), float(WIDTH - LABEL_WIDTH - VALUE_WIDTH)
    bar_height = 26
    row_height = 36
    ordered = sorted(frequencies, key=lambda line: -line.chosen)  # stable: case order in ties
    bars = []
    for index, line in enumerate(ordered):
        y = TOP + index * row_height + (row_height - bar_height) / 2
        name = names.get(line.candidate_id, line.candidate_id)
        bars.append(FrequencyBar(
            label=shorten_label(name, LABEL_UNITS),
            full_label=name,
            y=y,
            width=round(plot_width * line.share, 2),
            text_y=y + bar_height - 7,
            chosen=line.chosen,
            percent=round(100 * line.share),
            disputed=line.disputed,
        ))
    height = TOP + len(bars) * row_height + BOTTOM
    low = _x(plot_left, plot_width, float(100 * DISPUTED_LOW))
    high = _x(plot_left, plot_width, float(100 * DISPUTED_HIGH))
    return FrequencyChart(width=WIDTH, height=height, plot_left=plot_left,
                          plot_width=plot_width, top=TOP, bottom_y=height - BOTTOM,
                          band_x=low, band_width=round(high - low, 2), bars=tuple(bars),
                          ticks=_ticks(plot_left, plot_width), bar_height=bar_height)


def _x(left: float, width: float, value: float) -> float:
    return round(left + width * max(0.0, min(float(value), 100.0)) / 100, 2)


def _ticks(left: float, width: float) -> tuple[Tick, ...]:
    return tuple(Tick(value, _x(left, width, value)) for value in TICKS)
