"""The debrief's charts put each trainee's weight and each candidate's share where they belong."""

from courseware.debrief.chart import frequency_chart, strip_chart
from courseware.debrief.room import CandidateFrequency, distribution_summary


def test_each_weight_is_a_dot_at_its_value_and_equal_weights_sit_apart():
    summary = distribution_summary([{"a": 50, "b": 50}, {"a": 50, "b": 50}, {"a": 100}])
    chart = strip_chart(summary.spreads, {"a": "Revenue"}, summary.pooled)
    row = chart.rows[0]
    zero, hundred = chart.ticks[0].x, chart.ticks[-1].x
    assert [dot.x for dot in row.dots] == [(zero + hundred) / 2] * 2 + [hundred]
    assert len({dot.y for dot in row.dots[:2]}) == 2  # two trainees at 50, two dots
    assert row.label == "Revenue" and chart.rows[1].label == "b"
    assert row.room_weight == 67


def test_candidates_are_listed_most_chosen_first_with_long_names_cut():
    lines = [CandidateFrequency("x", 1, 0.25, False),
             CandidateFrequency("y", 2, 0.5, True),
             CandidateFrequency("z", 4, 1.0, False)]
    names = {"x": "X", "y": "A candidate with a very long name indeed", "z": "Z"}
    chart = frequency_chart(lines, names)
    assert [bar.full_label for bar in chart.bars] == ["Z", names["y"], "X"]
    assert chart.bars[1].label.endswith("…") and chart.bars[1].disputed
    assert chart.bars[0].width == chart.plot_width
    assert [bar.percent for bar in chart.bars] == [100, 50, 25]
