"""The score chart's geometry."""

from courseware.workshop.chart import score_chart
from courseware.workshop.model import CUTOFF_SCORE, CUTOFF_TOP_N, Cutoff
from courseware.workshop.scoring import RankedCandidate


def line(candidate_id, score, rank, is_key=False):
    return RankedCandidate(candidate_id, score, (), rank, rank, is_key)


RANKING = (line("a", 100.0, 1, True), line("b", 50.0, 2, True), line("c", 20.0, 3))
NAMES = {"a": "Alpha", "b": "Beta", "c": "Gamma"}


def test_bars_are_proportional_to_the_score_and_best_first():
    chart = score_chart(RANKING, NAMES)
    assert [bar.label for bar in chart.bars] == ["Alpha", "Beta", "Gamma"]
    assert chart.bars[0].width == chart.plot_width
    assert chart.bars[1].width == chart.plot_width / 2
    assert chart.bars[0].y < chart.bars[1].y < chart.bars[2].y


def test_a_score_cutoff_is_drawn_at_its_value():
    chart = score_chart(RANKING, NAMES, Cutoff(CUTOFF_SCORE, 40))
    assert chart.cutoff_score == 40
    assert chart.cutoff_x == chart.plot_left + chart.plot_width * 0.4


def test_a_top_n_cutoff_is_drawn_under_the_last_candidate_in():
    chart = score_chart(RANKING, NAMES, Cutoff(CUTOFF_TOP_N, 2))
    assert chart.cutoff_x is None
    assert chart.bars[1].y < chart.boundary_y < chart.bars[2].y


def test_no_boundary_when_every_candidate_is_in():
    everyone = tuple(RankedCandidate(line.candidate_id, line.score, (), line.rank,
                                     line.position, True) for line in RANKING)
    assert score_chart(everyone, NAMES, Cutoff(CUTOFF_TOP_N, 3)).boundary_y is None


def test_no_cutoff_draws_no_line():
    chart = score_chart(RANKING, NAMES, Cutoff(CUTOFF_TOP_N, None))
    assert chart.cutoff_x is None and chart.boundary_y is None


def test_long_names_are_shortened_with_an_ellipsis():
    chart = score_chart(RANKING, {"a": "An extraordinarily long supermarket name", "b": "京城大卖场"
                                  "北方九十五家门店集团有限公司", "c": "Gamma"})
    assert chart.bars[0].label.endswith("…")
    assert chart.bars[0].full_label == "An extraordinarily long supermarket name"
    assert chart.bars[1].label.endswith("…")
    assert chart.bars[2].label == "Gamma"
