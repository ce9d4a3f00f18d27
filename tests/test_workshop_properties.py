"""Invariants of the workshop core, checked with Hypothesis."""

import json

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
from courseware.workshop.scoring import rank_candidates, sensitivity, shift_weight

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
