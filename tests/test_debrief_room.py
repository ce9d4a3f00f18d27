"""The room's debrief core: pooling, agreement, disputed candidates, tipping changes."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from courseware.debrief.room import (
    JUDGEMENT,
    distribution_summary,
    kendalls_w,
    mid_ranks,
    room_debrief,
)
from courseware.workshop.case import Candidate, Figure
from courseware.workshop.model import (
    CUTOFF_SCORE,
    CUTOFF_TOP_N,
    RESPONSIBILITIES,
    Criterion,
    Cutoff,
    FigureMeasure,
    JudgementMeasure,
    Kpi,
    Workshop,
)
from courseware.workshop.scoring import evaluate, rank_candidates, sensitivity
from tests.test_workshop_properties import workshops as any_workshop

IDS = [f"c{i:02d}" for i in range(14)]
FIGURES = (Figure("f", "F", "", "higher"), Figure("g", "G", "", "lower"))


@st.composite
def case_candidates(draw):
    return tuple(
        Candidate(id=candidate_id, name=candidate_id, segment="", category="customer",
                  description="", relationship="good", facts={},
                  figures={"f": draw(st.integers(0, 100)), "g": draw(st.integers(0, 100))})
        for candidate_id in IDS
    )


@st.composite
def thresholds(draw, direction):
    values = sorted(draw(st.lists(st.integers(0, 100), min_size=4, max_size=4, unique=True)))
    return tuple(float(v) for v in (values if direction == "higher" else reversed(values)))


@st.composite
def workshops(draw, min_criteria=1):
    keys = draw(st.lists(st.sampled_from(["f", "g", JUDGEMENT]), min_size=min_criteria,
                         max_size=4))
    criteria = []
    for index, key in enumerate(keys):
        if key == JUDGEMENT:
            measure = JudgementMeasure(scores=draw(st.dictionaries(
                st.sampled_from(IDS), st.integers(1, 5))))
        else:
            direction = draw(st.sampled_from(["higher", "lower"]))
            measure = FigureMeasure(figure=key, direction=direction,
                                    thresholds=draw(thresholds(direction)))
        criteria.append(Criterion(name=f"k{index}", weight=draw(st.integers(0, 100)),
                                  measure=measure))
    cutoff = draw(st.sampled_from([Cutoff(CUTOFF_TOP_N, draw(st.integers(1, 8))),
                                   Cutoff(CUTOFF_SCORE, draw(st.integers(20, 90)))]))
    kpis = tuple(Kpi(name="k", responsibility=r) for r in draw(
        st.lists(st.sampled_from(RESPONSIBILITIES), max_size=4)))
    return Workshop(criteria=tuple(criteria), cutoff=cutoff, kpis=kpis)


rooms = st.lists(workshops(), min_size=0, max_size=8)


def ranking(candidates, ids_best_first):
    """A workshop whose only criterion is a judgement scoring the candidates in this order."""
    scores = {candidate_id: 5 - min(place // 3, 4) for place, candidate_id
              in enumerate(ids_best_first)}
    return Workshop(criteria=(Criterion("J", weight=100, measure=JudgementMeasure(scores=scores)),),
                    cutoff=Cutoff(CUTOFF_TOP_N, 3))


# Kendall's W


@given(st.permutations(list(range(1, 8))), st.integers(2, 10))
def test_w_is_1_when_everyone_ranks_alike(ranks, people):
    assert kendalls_w([ranks] * people) == 1


@given(st.lists(st.integers(0, 3), min_size=2, max_size=10), st.integers(2, 6))
def test_w_is_1_for_identical_rankings_with_ties(values, people):
    ranks = mid_ranks(values)
    w = kendalls_w([ranks] * people)
    assert w == (None if len(set(values)) == 1 else 1)


@given(st.lists(st.permutations(list(range(1, 6))), min_size=2, max_size=8), st.randoms())
def test_w_does_not_depend_on_the_order_of_the_people(rankings, random):
    shuffled = list(rankings)
    random.shuffle(shuffled)
    assert kendalls_w(shuffled) == kendalls_w(rankings)


@given(st.lists(st.lists(st.integers(0, 4), min_size=5, max_size=5), min_size=2, max_size=8))
def test_w_stays_between_0_and_1(values):
    w = kendalls_w([mid_ranks(row) for row in values])
    assert w is None or 0 <= w <= 1


def test_w_of_two_opposite_rankings_is_0():
    assert kendalls_w([[1, 2, 3], [3, 2, 1]]) == 0


def test_w_corrects_for_ties():
    # Three raters, four items, the third ties the middle two. By hand: rank sums 3, 7.5,
    # 7.5, 12 around a mean of 7.5 give S = 40.5; one tie of two gives 2**3 - 2 = 6; so
    # W = 12 * 40.5 / (3**2 * (4**3 - 4) - 3 * 6) = 486 / 522. Without the correction: 0.9.
    rankings = [[1, 2, 3, 4], [1, 3, 2, 4], [1, Fraction(5, 2), Fraction(5, 2), 4]]
    assert kendalls_w(rankings) == Fraction(486, 522)


def test_w_needs_two_people_and_two_things():
    assert kendalls_w([[1, 2, 3]]) is None
    assert kendalls_w([[1], [1]]) is None
    assert kendalls_w([]) is None


def test_mid_ranks_share_the_mean_of_tied_places():
    assert mid_ranks([10, 30, 30, 5]) == [3, Fraction(3, 2), Fraction(3, 2), 4]


# The room


@settings(max_examples=60, deadline=None)
@given(rooms, case_candidates(), st.randoms())
def test_the_debrief_does_not_depend_on_the_order_of_the_trainees(room, candidates, random):
    shuffled = list(room)
    random.shuffle(shuffled)
    first = room_debrief(room, candidates, FIGURES)
    second = room_debrief(shuffled, candidates, FIGURES)
    assert first.ranking_agreement == second.ranking_agreement
    assert first.weights.agreement == second.weights.agreement
    assert first.weights.pooled == second.weights.pooled
    assert first.frequencies == second.frequencies
    assert first.pooled.ranking == second.pooled.ranking


@settings(max_examples=60, deadline=None)
@given(rooms, case_candidates())
def test_the_rooms_ranking_is_the_scoring_cores_ranking_of_the_pooled_weights(room, candidates):
    debrief = room_debrief(room, candidates, FIGURES)
    pooled = debrief.pooled_workshop
    assert {c.name: c.weight for c in pooled.criteria} == dict(debrief.weights.pooled)
    assert debrief.pooled.ranking == rank_candidates(pooled.criteria, candidates, pooled.cutoff)
    if debrief.size:
        assert sum(debrief.weights.pooled.values()) == 100
        for spread in debrief.weights.spreads:
            assert abs(debrief.weights.pooled.get(spread.key, 0) - spread.mean) < 1


@settings(max_examples=60, deadline=None)
@given(workshops(), case_candidates(), st.integers(1, 6))
def test_a_room_that_agrees_chooses_what_each_trainee_chose(workshop, candidates, people):
    keys = [c.name for c in workshop.criteria]
    distinct = Workshop(
        criteria=tuple(Criterion(name=c.name, weight=w, measure=c.measure) for c, w
                       in zip(workshop.criteria, _whole_shares(len(keys)), strict=True)
                       if c.measure.kind == "figure" or c is _first_judgement(workshop)),
        cutoff=workshop.cutoff)
    used = [c.measure.figure if c.measure.kind == "figure" else JUDGEMENT
            for c in distinct.criteria]
    own = evaluate(distinct, candidates)
    if len(set(used)) != len(used) or not own.key_account_ids or not distinct.criteria:
        return
    debrief = room_debrief([distinct] * people, candidates, FIGURES)
    if sum(c.weight for c in distinct.criteria) != 100:
        return
    assert debrief.pooled.key_account_ids == own.key_account_ids
    assert [line.candidate_id for line in debrief.pooled.ranking] == \
        [line.candidate_id for line in own.ranking]
    if people > 1:
        assert debrief.ranking_agreement in (1.0, None)


def _first_judgement(workshop):
    return next((c for c in workshop.criteria if c.measure.kind == "judgement"), None)


def _whole_shares(count):
    base = [100 // count] * count
    base[0] += 100 - sum(base)
    return base


@settings(max_examples=40, deadline=None)
@given(rooms.filter(bool), case_candidates())
def test_a_tipping_change_is_the_smallest_that_changes_the_list(room, candidates):
    debrief = room_debrief(room, candidates, FIGURES)
    pooled = debrief.pooled_workshop
    for index, tipping in enumerate(debrief.tipping):
        for change, sign in ((tipping.increase, 1), (tipping.decrease, -1)):
            if change is None:
                continue
            at_step = _move(pooled, candidates, index, sign * change.step)
            assert at_step.changed and set(at_step.entered) == set(change.entered)
            for smaller in range(1, change.step):
                assert not _move(pooled, candidates, index, sign * smaller).changed


def _move(workshop, candidates, index, delta):
    rows = sensitivity(workshop.criteria, candidates, workshop.cutoff, step=abs(delta))
    return next(row for row in rows if row.criterion_index == index and row.delta == delta)


@settings(max_examples=60, deadline=None)
@given(rooms, case_candidates())
def test_counts_are_bounded_by_the_room(room, candidates):
    debrief = room_debrief(room, candidates, FIGURES)
    assert debrief.size + debrief.left_out == len(room)
    for line in debrief.frequencies:
        assert 0 <= line.chosen <= debrief.size
        assert line.disputed == (debrief.size > 0 and 0.3 <= line.chosen / debrief.size <= 0.7)
    assert all(0 <= n <= debrief.size for n in debrief.usage.values())
    assert all(0 <= n <= debrief.size for n in debrief.kpi_coverage.values())
    for spread in debrief.weights.spreads:
        assert spread.users == len(spread.values) <= debrief.size


@given(st.lists(st.dictionaries(st.sampled_from("abcd"), st.integers(0, 100)), max_size=10))
def test_a_distribution_pools_to_whole_numbers_adding_up_to_100(distributions):
    summary = distribution_summary(distributions)
    counted = [d for d in distributions if sum(d.values())]
    assert summary.size == len(counted)
    assert sum(summary.pooled.values()) == (100 if counted else 0)


def test_disputed_means_30_to_70_percent_of_the_room():
    candidates = _plain_candidates()
    # Of ten trainees, c00 is on every list, c01 on seven, c02 on three, c03 on two.
    lists = [["c00"] + (["c01"] if n < 7 else []) + (["c02"] if n < 3 else [])
             + (["c03"] if n < 2 else []) for n in range(10)]
    debrief = room_debrief([_choosing(chosen) for chosen in lists], candidates, FIGURES)
    disputed = [line.candidate_id for line in debrief.disputed]
    assert disputed == ["c01", "c02"]
    assert {line.candidate_id: line.chosen for line in debrief.frequencies}["c03"] == 2


def test_workshops_without_weights_or_cut_off_are_left_out():
    candidates = _plain_candidates()
    unweighted = Workshop(criteria=(Criterion("x", weight=None),), cutoff=Cutoff(CUTOFF_TOP_N, 2))
    no_cutoff = Workshop(criteria=_choosing(["c00"]).criteria, cutoff=Cutoff(CUTOFF_TOP_N, None))
    debrief = room_debrief([unweighted, no_cutoff, _choosing(["c00"])], candidates, FIGURES)
    assert (debrief.size, debrief.left_out) == (1, 2)


def test_an_empty_room_has_nothing_to_pool():
    debrief = room_debrief([], _plain_candidates(), FIGURES)
    assert debrief.size == 0 and debrief.weights.pooled == {} and debrief.tipping == ()
    assert debrief.ranking_agreement is None and debrief.disputed == ()


def test_criteria_are_pooled_by_the_figure_they_measure():
    candidates = _plain_candidates()
    size = Criterion("Size", weight=50, measure=FigureMeasure("f", "higher", (1, 2, 3, 4)))
    scale = Criterion("规模", weight=30, measure=FigureMeasure("f", "higher", (3, 4, 5, 6)))
    cost = Criterion("Cost", weight=20, measure=FigureMeasure("g", "lower", (9, 7, 5, 3)))
    both = Workshop(criteria=(size, scale, cost), cutoff=Cutoff(CUTOFF_TOP_N, 3))
    only = Workshop(criteria=(size, cost), cutoff=Cutoff(CUTOFF_TOP_N, 3))
    debrief = room_debrief([both, only], candidates, FIGURES)
    # Shares: 80 and 20, then 50/70 of 100 (71.43) and 28.57: the room's mean is 75.71 and 24.29.
    assert debrief.weights.pooled == {"f": 76, "g": 24}
    assert debrief.usage == {"f": 2, "g": 2, JUDGEMENT: 0}
    f_measure = debrief.pooled_workshop.criteria[0].measure
    # Per threshold, the median of the three criteria on f: 1, 3, 1 and so on.
    assert f_measure.thresholds == (1.0, 2.0, 3.0, 4.0)


def test_a_live_distribution_names_its_options_in_order():
    summary = distribution_summary([{"Revenue": 60, "Margin": 40}, {"Margin": 90, "Fit": 10}],
                                   options=["Revenue", "Margin", "Fit", "Growth"])
    assert [s.key for s in summary.spreads] == ["Revenue", "Margin", "Fit", "Growth"]
    assert summary.pooled == {"Revenue": 30, "Margin": 65, "Fit": 5}
    assert [s.users for s in summary.spreads] == [1, 2, 1, 0]
    assert summary.spreads[1].values == (40.0, 90.0)


@pytest.mark.parametrize("bad", [{"a": -5, "b": True}, {"a": 0}, {}])
def test_a_distribution_of_no_real_points_is_left_out(bad):
    assert distribution_summary([bad]).size == 0


def _plain_candidates():
    return tuple(Candidate(id=i, name=i, segment="", category="customer", description="",
                           relationship="good", facts={}, figures={"f": n, "g": 100 - n})
                 for n, i in enumerate(IDS))


def _choosing(chosen):
    """A workshop whose key accounts are exactly `chosen` (judged 5, everyone else 1)."""
    scores = {i: 5 if i in chosen else 1 for i in IDS}
    return Workshop(criteria=(Criterion("J", weight=100, measure=JudgementMeasure(scores=scores)),),
                    cutoff=Cutoff(CUTOFF_SCORE, 100))


@settings(max_examples=60, deadline=None)
@given(st.lists(any_workshop, max_size=6))
def test_any_draft_however_odd_gives_a_debrief(room):
    # Drafts come with missing weights, unknown figures, scores out of range and odd cut-offs.
    candidates = _plain_candidates()
    debrief = room_debrief(room, candidates, FIGURES)
    assert debrief.size + debrief.left_out == len(room)
    assert len(debrief.pooled.ranking) == len(candidates)
