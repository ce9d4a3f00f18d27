"""Scoring of the workshop: hand-computed examples, ties, threshold edges, sensitivity."""

from fractions import Fraction
from pathlib import Path

import pytest

from courseware.content import load_area
from courseware.workshop.case import Candidate
from courseware.workshop.model import (
    CUTOFF_SCORE,
    CUTOFF_TOP_N,
    HIGHER_IS_BETTER,
    LOWER_IS_BETTER,
    Criterion,
    Cutoff,
    FigureMeasure,
    JudgementMeasure,
    Kpi,
    Workshop,
)
from courseware.workshop.scoring import (
    criterion_points,
    evaluate,
    kpi_coverage,
    points_for_value,
    rank_candidates,
    sensitivity,
    uncovered_responsibilities,
    weight_total,
    weighted_score,
)
from tests.support.scoring_oracle import shift_weight

CONTENT = Path(__file__).resolve().parent.parent / "content"


def candidate(candidate_id: str, **figures: float) -> Candidate:
    return Candidate(
        id=candidate_id,
        name=candidate_id.title(),
        segment="",
        category="customer",
        description="",
        figures=figures,
        facts={},
        relationship="good",
    )


def judged(name: str, weight: int, **scores: int) -> Criterion:
    return Criterion(
        name=name, weight=weight, measure=JudgementMeasure(anchors=("a",) * 5, scores=scores)
    )


def by_figure(name: str, weight: int, figure: str, thresholds, direction=HIGHER_IS_BETTER):
    return Criterion(
        name=name,
        weight=weight,
        measure=FigureMeasure(figure=figure, direction=direction, thresholds=thresholds),
    )


HIGHER = FigureMeasure(figure="revenue", direction=HIGHER_IS_BETTER, thresholds=(10, 20, 30, 40))
LOWER = FigureMeasure(figure="cost", direction=LOWER_IS_BETTER, thresholds=(15, 10, 7, 5))


@pytest.mark.parametrize(
    ("value", "points"),
    [
        (-5, 1),
        (9.99, 1),
        (10, 2),
        (19.99, 2),
        (20, 3),
        (29.99, 3),
        (30, 4),
        (39.99, 4),
        (40, 5),
        (1000, 5),
    ],
)
def test_reaching_a_threshold_earns_its_points_when_higher_is_better(value, points):
    assert points_for_value(value, HIGHER) == points


@pytest.mark.parametrize(
    ("value", "points"),
    [
        (40, 1),
        (15.01, 1),
        (15, 2),
        (10.01, 2),
        (10, 3),
        (7.01, 3),
        (7, 4),
        (5.01, 4),
        (5, 5),
        (0, 5),
    ],
)
def test_staying_at_or_under_a_threshold_earns_its_points_when_lower_is_better(value, points):
    assert points_for_value(value, LOWER) == points


def test_a_missing_threshold_gives_no_points_rather_than_a_guess():
    measure = FigureMeasure(figure="revenue", thresholds=(10, None, 30, 40))
    assert points_for_value(35, measure) is None


def test_thresholds_out_of_order_stop_at_the_first_one_not_reached():
    measure = FigureMeasure(figure="revenue", thresholds=(10, 50, 20, 30))
    assert points_for_value(25, measure) == 2


def test_judgement_points_are_the_trainees_scores_within_1_to_5():
    criterion = judged("Relationship", 100, a=4, b=0, c=6)
    assert criterion_points(criterion, candidate("a")) == 4
    assert criterion_points(criterion, candidate("b")) is None
    assert criterion_points(criterion, candidate("c")) is None
    assert criterion_points(criterion, candidate("unscored")) is None


def test_a_figure_the_candidate_lacks_gives_no_points():
    criterion = by_figure("Revenue", 100, "revenue", (10, 20, 30, 40))
    assert criterion_points(criterion, candidate("a", cost=3)) is None


def test_weighted_score_by_hand():
    # 50% x 4 + 30% x 2 + 20% x 5 = 3.6 of 5 points = 72 of 100.
    criteria = (
        by_figure("Revenue", 50, "revenue", (10, 20, 30, 40)),
        by_figure("Cost", 30, "cost", (15, 10, 7, 5), LOWER_IS_BETTER),
        judged("Relationship", 20, acme=5),
    )
    assert weighted_score(criteria, candidate("acme", revenue=35, cost=12)) == 72.0


def test_top_points_everywhere_score_100_and_bottom_points_score_20():
    criteria = (judged("A", 60, best=5, worst=1), judged("B", 40, best=5, worst=1))
    assert weighted_score(criteria, candidate("best")) == 100.0
    assert weighted_score(criteria, candidate("worst")) == 20.0


def test_scores_stay_within_100_while_weights_do_not_add_up_yet():
    # 30 x 5 + 30 x 1 = 180 of a possible 300.
    criteria = (judged("A", 30, x=5), judged("B", 30, x=1))
    assert weighted_score(criteria, candidate("x")) == 60.0


def test_missing_points_count_as_nothing():
    criteria = (judged("A", 50, x=5), judged("B", 50))
    assert weighted_score(criteria, candidate("x")) == 50.0


def test_no_weights_means_a_score_of_0():
    assert weighted_score((judged("A", 0, x=5),), candidate("x")) == 0.0
    assert weighted_score((), candidate("x")) == 0.0


def test_weight_total_ignores_empty_weights():
    criteria = (judged("A", 40), Criterion(name="B"), judged("C", 35))
    assert weight_total(criteria) == 75


CANDIDATES = tuple(candidate(name) for name in ("ann", "bob", "cy", "dee", "eve"))
TIED = (judged("A", 100, ann=3, bob=5, cy=3, dee=2, eve=5),)


def test_ranking_orders_by_score_and_breaks_ties_by_case_order():
    ranking = rank_candidates(TIED, CANDIDATES)
    assert [line.candidate_id for line in ranking] == ["bob", "eve", "ann", "cy", "dee"]
    assert [line.position for line in ranking] == [1, 2, 3, 4, 5]


def test_tied_candidates_share_a_rank_and_the_next_rank_is_skipped():
    ranking = rank_candidates(TIED, CANDIDATES)
    assert [line.rank for line in ranking] == [1, 1, 3, 3, 5]


def test_different_points_with_the_same_weighted_total_are_a_tie():
    # p: 10 x 1 + 20 x 2 = 50; q: 10 x 5 + 20 x nothing = 50.
    criteria = (judged("A", 10, p=1, q=5), judged("B", 20, p=2))
    ranking = rank_candidates(criteria, (candidate("p"), candidate("q")))
    assert ranking[0].rank == ranking[1].rank == 1


def test_top_n_cutoff_takes_the_first_n():
    ranking = rank_candidates(TIED, CANDIDATES, Cutoff(kind=CUTOFF_TOP_N, value=4))
    assert [line.candidate_id for line in ranking if line.is_key_account] == [
        "bob",
        "eve",
        "ann",
        "cy",
    ]


def test_top_n_cutoff_takes_every_candidate_tied_for_the_last_place():
    ranking = rank_candidates(TIED, CANDIDATES, Cutoff(kind=CUTOFF_TOP_N, value=3))
    assert [line.candidate_id for line in ranking if line.is_key_account] == [
        "bob",
        "eve",
        "ann",
        "cy",
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [(60, ["bob", "eve", "ann", "cy"]), (60.01, ["bob", "eve"]), (100, ["bob", "eve"]),
     (100.5, []), (0, ["bob", "eve", "ann", "cy", "dee"])],
)
def test_score_cutoff_takes_every_candidate_at_or_above_it(value, expected):
    ranking = rank_candidates(TIED, CANDIDATES, Cutoff(kind=CUTOFF_SCORE, value=value))
    assert [line.candidate_id for line in ranking if line.is_key_account] == expected


def test_score_cutoff_compares_decimals_exactly():
    # 1 x 4 + 99 x 3 = 301, a score of exactly 60.2; the float 60.2 is a hair above that.
    criteria = (judged("A", 1, x=4), judged("B", 99, x=3))
    ranking = rank_candidates(criteria, (candidate("x"),), Cutoff(kind=CUTOFF_SCORE, value=60.2))
    assert ranking[0].score == pytest.approx(60.2)
    assert ranking[0].is_key_account


@pytest.mark.parametrize("cutoff", [Cutoff(CUTOFF_TOP_N, None), Cutoff(CUTOFF_TOP_N, 0),
                                    Cutoff(CUTOFF_SCORE, None), None])
def test_no_usable_cutoff_selects_nobody(cutoff):
    ranking = rank_candidates(TIED, CANDIDATES, cutoff)
    assert not any(line.is_key_account for line in ranking)


# Sensitivity, by hand: weights A 50 / B 50, top 1.
# X: A5 B1 = 60, Y: A1 B4 = 50. With A 40 / B 60: X = 52, Y = 56, so Y replaces X.
# With A 60 / B 40: X = 68, Y = 44, nothing changes.
SENSITIVE = (judged("A", 50, x=5, y=1), judged("B", 50, x=1, y=4))
PAIR = (candidate("x"), candidate("y"))


def test_sensitivity_shows_which_weight_moves_change_the_key_accounts():
    rows = sensitivity(SENSITIVE, PAIR, Cutoff(CUTOFF_TOP_N, 1))
    summary = [(row.criterion_name, row.delta, row.weight_after, row.entered, row.left)
               for row in rows]
    assert summary == [
        ("A", 10, 60.0, (), ()),
        ("A", -10, 40.0, ("y",), ("x",)),
        ("B", 10, 60.0, ("y",), ("x",)),
        ("B", -10, 40.0, (), ()),
    ]
    assert [row.changed for row in rows] == [False, True, True, False]


def test_sensitivity_does_not_move_a_weight_below_0_or_above_the_total():
    criteria = (judged("A", 95, x=5), judged("B", 5, x=1), judged("C", 0, x=1))
    rows = sensitivity(criteria, PAIR, Cutoff(CUTOFF_TOP_N, 1))
    moves = [(row.criterion_name, row.delta, row.weight_after) for row in rows]
    assert moves == [("A", 10, 100.0), ("A", -10, 85.0), ("B", 10, 15.0), ("B", -10, 0.0),
                     ("C", 10, 10.0)]


def test_a_single_criterion_has_no_weight_to_trade():
    assert sensitivity((judged("A", 100, x=5),), PAIR, Cutoff(CUTOFF_TOP_N, 1)) == ()


def test_shifting_a_weight_takes_from_the_others_in_proportion():
    assert shift_weight([50, 30, 20], 0, 10) == (60, 24, 16)
    # The 10 points C gives up go 5:3 to A and B.
    assert shift_weight([50, 30, 20], 2, -10) == (Fraction(225, 4), Fraction(135, 4), 10)


def test_kpi_coverage_counts_kpis_per_responsibility():
    kpis = (Kpi(name="Forecast accuracy", responsibility="forecasting"),
            Kpi(name="OTIF", responsibility="on_time"),
            Kpi(name="Bias", responsibility="forecasting"),
            Kpi(name="No responsibility yet"))
    coverage = kpi_coverage(kpis)
    assert coverage["forecasting"] == 2
    assert coverage["on_time"] == 1
    assert sum(coverage.values()) == 3
    assert uncovered_responsibilities(kpis) == (
        "revenue_growth", "profit_growth", "quality", "cost", "relationship", "problem_solving",
    )


def test_evaluate_the_real_case_by_hand():
    case = load_area(CONTENT, "workshop").in_lang("en")
    workshop = Workshop(
        criteria=(
            # Revenue: >= 10 -> 2, >= 30 -> 3, >= 60 -> 4, >= 100 -> 5.
            by_figure("Revenue", 40, "revenue", (10, 30, 60, 100)),
            # Growth: >= 0 -> 2, >= 5 -> 3, >= 15 -> 4, >= 30 -> 5.
            by_figure("Growth", 40, "growth_3y", (0, 5, 15, 30)),
            # Cost to serve: <= 14 -> 2, <= 11 -> 3, <= 8 -> 4, <= 6 -> 5.
            by_figure("Cost", 20, "cost_to_serve", (14, 11, 8, 6), LOWER_IS_BETTER),
        ),
        cutoff=Cutoff(kind=CUTOFF_TOP_N, value=3),
    )
    result = evaluate(workshop, case.candidates)
    scores = {line.candidate_id: line.score for line in result.ranking}
    # ShopNow: revenue 64 -> 4, growth 38 -> 5, cost 7.0 -> 4: (160 + 200 + 80) / 5 = 88.
    assert scores["shopnow"] == 88.0
    # Huadong: 86 -> 4, 4.5 -> 2, 9.5 -> 3: (160 + 80 + 60) / 5 = 60.
    assert scores["huadong-fresh"] == 60.0
    # Jingcheng: 120 -> 5, -3 -> 1, 12 -> 2: (200 + 40 + 40) / 5 = 56.
    assert scores["jingcheng-hyper"] == 56.0
    assert result.key_account_ids[0] == "shopnow"
    assert result.weight_total == 100
    assert len(result.sensitivity) == 6
