"""Lay out the bar chart of weighted scores with its cut-off line.

Pure geometry: `score_chart()` turns a ranking into coordinates and
`templates/workshop/_score_chart.html` draws them as inline SVG (server-side,
no script). The trainer's grading page reuses both:
`{% with chart=chart %}{% include "workshop/_score_chart.html" %}{% endwith %}`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from courseware.workshop.model import CUTOFF_SCORE, Cutoff
from courseware.workshop.scoring import RankedCandidate

# Narrow on purpose: the chart is read on phones first; CSS caps its width on desktops.
WIDTH = 420  # drawn at about 300 px on a 360 px phone: its type stays legible
LABEL_WIDTH = 170  # thirteen letters of a wide bold font at the phone size
SCORE_WIDTH = 55  # "100.0" fits beside a full bar
ROW_HEIGHT = 30
BAR_HEIGHT = 20
TOP = 40  # room for the axis labels and the cut-off caption
BOTTOM = 8
LABEL_UNITS = 13  # Latin letters; a Chinese character counts as two
TICKS = (0, 20, 40, 60, 80, 100)


@dataclass(frozen=True)
class Bar:
    """One candidate's bar."""

    label: str
    full_label: str
    score: float
    is_key_account: bool
    y: float
    width: float
    text_y: float


@dataclass(frozen=True)
class Tick:
    """A grid line on the score axis."""

    value: int
    x: float


@dataclass(frozen=True)
class ScoreChart:
    """Everything the SVG partial needs."""

    width: int
    height: int
    plot_left: float
    plot_width: float
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    cutoff_x: float | None
    cutoff_score: float | None
    boundary_y: float | None  # between the last key account and the next, for a top-N cut-off
    top: int
    bottom_y: float
    bar_height: int


def score_chart(
    ranking: Sequence[RankedCandidate],
    names: Mapping[str, str],
    cutoff: Cutoff | None = None,
) -> ScoreChart:
    """Lay out one horizontal bar per candidate, best first, and the cut-off line.

    A score cut-off is a vertical line at its value; a top-N cut-off is a
    horizontal line under the last candidate that made it.
    """
    plot_left = float(LABEL_WIDTH)
    plot_width = float(WIDTH - LABEL_WIDTH - SCORE_WIDTH)
    bars = []
    for row, line in enumerate(ranking):
        y = TOP + row * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) / 2
        name = names.get(line.candidate_id, line.candidate_id)
        bars.append(
            Bar(
                label=_shorten(name, LABEL_UNITS),
                full_label=name,
                score=line.score,
                is_key_account=line.is_key_account,
                y=y,
                width=round(plot_width * max(0.0, min(line.score, 100.0)) / 100, 2),
                text_y=y + BAR_HEIGHT - 4,
            )
        )
    cutoff_score = _cutoff_score(cutoff)
    key_rows = [row for row, line in enumerate(ranking) if line.is_key_account]
    boundary_y = None
    if cutoff is not None and cutoff.value is not None and cutoff.kind != CUTOFF_SCORE \
            and key_rows and key_rows[-1] + 1 < len(ranking):
        boundary_y = float(TOP + (key_rows[-1] + 1) * ROW_HEIGHT)
    height = TOP + len(bars) * ROW_HEIGHT + BOTTOM
    return ScoreChart(
        width=WIDTH,
        height=height,
        plot_left=plot_left,
        plot_width=plot_width,
        bars=tuple(bars),
        ticks=tuple(Tick(value, round(plot_left + plot_width * value / 100, 2))
                    for value in TICKS),
        cutoff_x=None if cutoff_score is None
        else round(plot_left + plot_width * cutoff_score / 100, 2),
        cutoff_score=cutoff_score,
        boundary_y=boundary_y,
        top=TOP,
        bottom_y=height - BOTTOM,
        bar_height=BAR_HEIGHT,
    )


def _cutoff_score(cutoff: Cutoff | None) -> float | None:
    if cutoff is None or cutoff.value is None or cutoff.kind != CUTOFF_SCORE:
        return None
    return float(max(0.0, min(float(cutoff.value), 100.0)))


def shorten_label(label: str, limit: int) -> str:
    """Return the label cut to `limit` Latin letters' width with an ellipsis (a chart's axis)."""
    return _shorten(label, limit)


def _shorten(label: str, limit: int) -> str:
    # Chinese characters are about twice as wide as Latin letters.
    width = 0
    for index, char in enumerate(label):
        width += 2 if ord(char) > 0x2E80 else 1
        if width > limit:
            return label[:index] + "…"
    return label
