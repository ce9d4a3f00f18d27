"""Invariants of the workshop core, checked with Hypothesis."""

import json
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from courseware.workshop.case import Candidate
from courseware.workshop.model import (
    CUTOFF_SCORE,
    CUTOFF_TOP_N,
    FREQUENCIES,
    RESPONSIBILITIES,
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
    rank_candidates,
    sensitivity,
)
from tests.support.scoring_oracle import shift_weight

IDS = [f"c{i:02d}" for i in range(16)]
finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)
text = st.text(max_size=20)


@st.composite
def candidates(draw):
    count = draw(st.integers(min_value=1, max_value=16))
    return tuple(
        Candidate(id=IDS[i], name=IDS[i], segment="", category="customer", description="",
                  figures={"f": draw(finite)}, facts={}, relationship="good")
        for i in range(count)
    )


@st.composite
def criteria(draw):
    count = draw(st.integers(min_value=1, max_value=8))
    result = []
    for index in range(count):
        weight = draw(st.none() | st.integers(min_value=0, max_value=100))
        if draw(st.booleans()):
            measure = JudgementMeasure(
                anchors=tuple(draw(text) for _ in range(5)),
                scores=draw(st.dictionaries(st.sampled_from(IDS), st.integers(0, 6))),
            )
        else:
            measure = FigureMeasure(
                figure=draw(st.sampled_from(["f", "absent"])),
                direction=draw(st.sampled_from(["higher", "lower"])),
                thresholds=tuple(draw(st.none() | finite) for _ in range(4)),
            )
        result.append(Criterion(name=f"k{index}", description=draw(text), weight=weight,
                                measure=measure))
    return tuple(result)


cutoffs = st.builds(
    Cutoff,
    kind=st.sampled_from([CUTOFF_SCORE, CUTOFF_TOP_N]),
    value=st.none() | st.integers(min_value=-5, max_value=120) | finite,
)

kpis = st.builds(
    Kpi, name=text, definition=text, unit=text, target=text,
    frequency=st.sampled_from(("", *FREQUENCIES)), data_source=text,
    responsibility=st.sampled_from(("", *RESPONSIBILITIES)),
)

workshops = st.builds(
    Workshop, criteria=criteria(), cutoff=cutoffs, justification=text,
    kpis=st.lists(kpis, max_size=10).map(tuple),
)


@given(criteria(), candidates(), cutoffs)
def test_scores_stay_within_0_and_100(criteria, candidates, cutoff):
    for line in rank_candidates(criteria, candidates, cutoff):
        assert 0 <= line.score <= 100


@given(criteria(), candidates(), cutoffs)
def test_ranking_is_by_score_with_ties_in_case_order(criteria, candidates, cutoff):
    ranking = rank_candidates(criteria, candidates, cutoff)
    order = {candidate.id: index for index, candidate in enumerate(candidates)}
    assert sorted(line.candidate_id for line in ranking) == sorted(order)
    for before, after in zip(ranking, ranking[1:], strict=False):
        assert before.score >= after.score
        if before.score == after.score:
            assert order[before.candidate_id] < order[after.candidate_id]
            assert before.rank == after.rank
        else:
            assert after.rank == after.position


@given(criteria(), candidates(), cutoffs)
def test_every_key_account_outscores_every_other_candidate(criteria, candidates, cutoff):
    ranking = rank_candidates(criteria, candidates, cutoff)
    inside = [line.score for line in ranking if line.is_key_account]
    outside = [line.score for line in ranking if not line.is_key_account]
    if inside and outside:
        assert min(inside) > max(outside)


@given(criteria(), candidates(), st.integers(min_value=1, max_value=16))
def test_top_n_selects_at_least_n(criteria, candidates, n):
    ranking = rank_candidates(criteria, candidates, Cutoff(CUTOFF_TOP_N, n))
    assert sum(line.is_key_account for line in ranking) >= min(n, len(candidates))


@given(st.lists(st.integers(min_value=0, max_value=100), min_size=1, max_size=8),
       st.data(), st.sampled_from([10, -10]))
def test_shifting_a_weight_keeps_the_total_and_no_weight_negative(weights, data, delta):
    index = data.draw(st.integers(min_value=0, max_value=len(weights) - 1))
    shifted = shift_weight(weights, index, delta)
    if shifted is not None:
        assert sum(shifted) == sum(weights)
        assert all(weight >= 0 for weight in shifted)
        assert 0 < abs(shifted[index] - weights[index]) <= abs(delta)


@given(criteria(), candidates(), cutoffs)
def test_sensitivity_reports_only_real_changes(criteria, candidates, cutoff):
    before = {line.candidate_id for line in rank_candidates(criteria, candidates, cutoff)
              if line.is_key_account}
    for row in sensitivity(criteria, candidates, cutoff):
        assert not set(row.entered) & before
        assert set(row.left) <= before


def plain_key_accounts(weights, points_table, candidates, cutoff):
    """The key accounts, best first, straight from the rules in scoring's docstring."""
    total = sum(weights, Fraction(0))
    scores = [Fraction(0) if total == 0 else
              100 * sum((w * (p or 0) for w, p in zip(weights, row, strict=True)), Fraction(0))
              / (5 * total) for row in points_table]
    order = sorted(range(len(candidates)), key=lambda i: -scores[i])
    chosen = []
    for i in order:
        rank = 1 + sum(1 for other in scores if other > scores[i])
        if cutoff.value is not None and (
                (cutoff.kind == CUTOFF_SCORE and scores[i] >= Fraction(str(cutoff.value)))
                or (cutoff.kind == CUTOFF_TOP_N and cutoff.value >= 1
                    and rank <= int(cutoff.value))):
            chosen.append(candidates[i].id)
    return chosen


def plain_sensitivity(criteria, candidates, cutoff):
    """Sensitivity the straightforward way: move each weight, re-rank everything in fractions."""
    weights = [Fraction(max(c.weight or 0, 0)) for c in criteria]
    table = [[criterion_points(c, candidate) for c in criteria] for candidate in candidates]
    before = plain_key_accounts(weights, table, candidates, cutoff)
    rows = []
    for index, criterion in enumerate(criteria):
        for delta in (10, -10):
            moved = shift_weight(weights, index, delta)
            if moved is None:
                continue
            after = plain_key_accounts(moved, table, candidates, cutoff)
            rows.append((index, criterion.name, delta, int(weights[index]), float(moved[index]),
                         tuple(i for i in after if i not in before),
                         tuple(i for i in before if i not in after)))
    return rows


@given(criteria(), candidates(), cutoffs)
def test_sensitivity_matches_re_ranking_with_fractions(criteria, candidates, cutoff):
    fast = [(row.criterion_index, row.criterion_name, row.delta, row.weight_before,
             row.weight_after, row.entered, row.left)
            for row in sensitivity(criteria, candidates, cutoff)]
    assert fast == plain_sensitivity(criteria, candidates, cutoff)


@given(workshops, candidates())
def test_evaluate_agrees_with_the_separate_functions(workshop, candidates):
    result = evaluate(workshop, candidates)
    ranking = rank_candidates(workshop.criteria, candidates, workshop.cutoff)
    assert result.ranking == ranking
    assert result.key_account_ids == tuple(line.candidate_id for line in ranking
                                           if line.is_key_account)
    assert result.sensitivity == sensitivity(workshop.criteria, candidates, workshop.cutoff)
    assert result.kpi_coverage == kpi_coverage(workshop.kpis)
    assert result.uncovered_responsibilities == tuple(
        name for name, count in kpi_coverage(workshop.kpis).items() if count == 0)


@given(workshops)
def test_a_workshop_survives_the_trip_through_json(workshop):
    stored = json.loads(json.dumps(workshop.to_dict()))
    assert Workshop.from_dict(stored).to_dict() == workshop.to_dict()


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.sampled_from(["criteria", "kpis", "cutoff", "measure", "kind",
                                       "judgement", "weight", "thresholds", "scores", "value",
                                       "anchors", "name", "frequency"]), children, max_size=5),
    max_leaves=30,
)


@given(json_values)
def test_loading_any_stored_json_never_raises(data):
    workshop = Workshop.from_dict(data)
    assert isinstance(workshop, Workshop)
    assert Workshop.from_dict(workshop.to_dict()) == workshop
