"""Score a trainee's workshop: pure functions, no Flask, no database.

The same functions serve the trainee's page and the trainer's grading page.
The rules a reader needs:

- A criterion gives each candidate 1 to 5 points. Figure criteria: the
  candidate earns `k + 2` points when its figure reaches `thresholds[k]`
  (at least it for "higher is better", at most it for "lower is better"),
  checking the thresholds in order and stopping at the first one not reached;
  reaching none gives 1 point. Judgement criteria: the trainee's score.
  A missing figure, threshold or score gives no points (`None`).
- The weighted score is `100 * sum(weight * points) / (5 * sum(weights))`:
  100 means top points on every criterion. Missing points count as 0.
  Dividing by the actual weight total keeps scores within 0 to 100 while a
  draft's weights do not yet add up to 100; when they do, the score is simply
  `sum(weight * points) / 5`.
- Scores are compared exactly (fractions), so ties are real ties. The ranking
  orders by score, highest first, and breaks ties by the case's candidate
  order; tied candidates share a rank (1, 2, 2, 4).
- Cut-off "score": every candidate scoring at least the value is a key
  account. Cut-off "top N": every candidate ranked N or better, so a tie for
  the last place takes all the tied candidates in.
- Sensitivity: each criterion's weight is moved by 10 points up and down
  (within 0 and the weight total), the other weights give or take the
  difference in proportion to their size so the total stays the same, and
  the key-account list is recomputed with the same cut-off.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from courseware.workshop.case import Candidate
from courseware.workshop.model import (
    CUTOFF_SCORE,
    CUTOFF_TOP_N,
    LOWER_IS_BETTER,
    MAX_POINTS,
    MIN_POINTS,
    RESPONSIBILITIES,
    Criterion,
    Cutoff,
    FigureMeasure,
    JudgementMeasure,
    Kpi,
    Workshop,
)

SENSITIVITY_STEP = 10


@dataclass(frozen=True)
class RankedCandidate:
    """One line of the ranking table."""

    candidate_id: str
    score: float  # 0 to 100
    points: tuple[int | None, ...]  # per criterion, in the workshop's order
    rank: int  # 1-based, shared by tied candidates
    position: int  # 1-based place in the ranking after tie-breaking
    is_key_account: bool


@dataclass(frozen=True)
class WeightChange:
    """What moving one criterion's weight does to the key-account list."""

    criterion_index: int
    criterion_name: str
    delta: int  # the move asked for: +10 or -10
    weight_before: int
    weight_after: float  # after clamping to 0 and the weight total
    entered: tuple[str, ...]  # candidate ids that become key accounts
    left: tuple[str, ...]  # candidate ids that stop being key accounts

    @property
    def changed(self) -> bool:
        """Return whether the key-account list differs."""
        return bool(self.entered or self.left)


@dataclass(frozen=True)
class Evaluation:
    """Everything the pages show about a workshop's numbers."""

    ranking: tuple[RankedCandidate, ...]
    key_account_ids: tuple[str, ...]
    weight_total: int
    sensitivity: tuple[WeightChange, ...]
    kpi_coverage: dict[str, int]
    uncovered_responsibilities: tuple[str, ...]


def points_for_value(value: float, measure: FigureMeasure) -> int | None:
    """Return the 1-5 points a figure earns, or None while a threshold is missing."""
    if any(threshold is None for threshold in measure.thresholds):
        return None
    points = MIN_POINTS
    for threshold in measure.thresholds:
        reached = value <= threshold if measure.direction == LOWER_IS_BETTER else value >= threshold
        if not reached:
            break
        points += 1
    return points


def criterion_points(criterion: Criterion, candidate: Candidate) -> int | None:
    """Return the points one criterion gives one candidate, or None if it cannot tell."""
    measure = criterion.measure
    if isinstance(measure, JudgementMeasure):
        score = measure.scores.get(candidate.id)
        return score if score is not None and MIN_POINTS <= score <= MAX_POINTS else None
    value = candidate.figures.get(measure.figure)
    return None if value is None else points_for_value(value, measure)


def weight_total(criteria: Iterable[Criterion]) -> int:
    """Return the sum of the entered weights."""
    return sum(criterion.weight or 0 for criterion in criteria)


def weighted_score(criteria: Sequence[Criterion], candidate: Candidate) -> float:
    """Return one candidate's weighted score, 0 to 100."""
    points = tuple(criterion_points(criterion, candidate) for criterion in criteria)
    return float(_exact_score(_weights(criteria), points))


def rank_candidates(
    criteria: Sequence[Criterion], candidates: Sequence[Candidate], cutoff: Cutoff | None = None
) -> tuple[RankedCandidate, ...]:
    """Rank the candidates by weighted score, marking the key accounts if a cut-off is given."""
    table = _points_table(criteria, candidates)
    return _rank(candidates, table, _weights(criteria), cutoff)


def sensitivity(
    criteria: Sequence[Criterion],
    candidates: Sequence[Candidate],
    cutoff: Cutoff,
    step: int = SENSITIVITY_STEP,
) -> tuple[WeightChange, ...]:
    """Return, per criterion and direction, how a weight move changes the key accounts."""
    table = _points_table(criteria, candidates)
    weights = _weights(criteria)
    before = _rank(candidates, table, weights, cutoff)
    return _sensitivity(criteria, candidates, table, weights, cutoff, before, step)


def kpi_coverage(kpis: Iterable[Kpi]) -> dict[str, int]:
    """Return how many KPIs monitor each responsibility, in the course's order."""
    coverage = dict.fromkeys(RESPONSIBILITIES, 0)
    for kpi in kpis:
        if kpi.responsibility in coverage:
            coverage[kpi.responsibility] += 1
    return coverage


def uncovered_responsibilities(kpis: Iterable[Kpi]) -> tuple[str, ...]:
    """Return the responsibilities no KPI monitors yet."""
    return tuple(name for name, count in kpi_coverage(kpis).items() if count == 0)


def evaluate(workshop: Workshop, candidates: Sequence[Candidate]) -> Evaluation:
    """Compute the ranking, key accounts, sensitivity and KPI coverage of a workshop."""
    # One points table and one ranking serve the ranking and the sensitivity alike.
    criteria = workshop.criteria
    table = _points_table(criteria, candidates)
    weights = _weights(criteria)
    ranking = _rank(candidates, table, weights, workshop.cutoff)
    coverage = kpi_coverage(workshop.kpis)
    return Evaluation(
        ranking=ranking,
        key_account_ids=tuple(line.candidate_id for line in ranking if line.is_key_account),
        weight_total=weight_total(criteria),
        sensitivity=_sensitivity(criteria, candidates, table, weights, workshop.cutoff, ranking,
                                 SENSITIVITY_STEP),
        kpi_coverage=coverage,
        uncovered_responsibilities=tuple(name for name, count in coverage.items() if count == 0),
    )


def _weights(criteria: Sequence[Criterion]) -> list[int]:
    # A negative weight is invalid input; counting it as 0 keeps scores within 0 to 100.
    return [max(criterion.weight or 0, 0) for criterion in criteria]


def _points_table(
    criteria: Sequence[Criterion], candidates: Sequence[Candidate]
) -> list[tuple[int | None, ...]]:
    return [tuple(criterion_points(c, candidate) for c in criteria) for candidate in candidates]


def _sensitivity(
    criteria: Sequence[Criterion],
    candidates: Sequence[Candidate],
    table: Sequence[tuple[int | None, ...]],
    weights: Sequence[int],
    cutoff: Cutoff,
    before: Sequence[RankedCandidate],
    step: int,
) -> tuple[WeightChange, ...]:
    """`sensitivity()` on whole numbers: each weight move exact, scaled to whole numbers.

    Moving weight `i` from `c` to `t` (of a total `T`, the rest `r = T - c`) leaves each
    other weight `w` at `w * (T - t) / r`. Multiplied by `r`, every moved weight is a whole
    number (`t * r` and `w * (T - t)`), and scaling all weights alike changes no score. Each
    candidate's weighted sum then follows from the unmoved sum in one step, instead of
    re-scoring the whole table in fractions for each of up to 16 moves.
    """
    before_ids = [line.candidate_id for line in before if line.is_key_account]
    threshold = _score_threshold(cutoff)
    top = _top_n(cutoff)
    total = sum(weights)
    points = [[p or 0 for p in row] for row in table]
    sums = [sum(w * p for w, p in zip(weights, row, strict=True)) for row in points]
    changes = []
    for index, criterion in enumerate(criteria):
        current = weights[index]
        rest = total - current
        for delta in (step, -step):
            target = min(max(current + delta, 0), total)
            if target == current or rest == 0:
                continue
            keep = total - target
            moved = [keep * (whole - current * row[index]) + target * rest * row[index]
                     for whole, row in zip(sums, points, strict=True)]
            # The moved weights add up to `rest * total`; scores are out of 100.
            denominator = MAX_POINTS * rest * total
            after_ids = [candidates[i].id for i, rank, _position in _ranked_order(moved)
                         if _is_key(100 * moved[i], rank, denominator, threshold, top)]
            changes.append(
                WeightChange(
                    criterion_index=index,
                    criterion_name=criterion.name,
                    delta=delta,
                    weight_before=current,
                    weight_after=float(target),
                    entered=tuple(i for i in after_ids if i not in before_ids),
                    left=tuple(i for i in before_ids if i not in after_ids),
                )
            )
    return tuple(changes)


def _exact_score(weights: Sequence[int], points: Sequence[int | None]) -> Fraction:
    numerators, denominator = _score_numerators(weights, [points])
    return Fraction(numerators[0], denominator)


def _score_numerators(weights: Sequence[int],
                      table: Sequence[Sequence[int | None]]) -> tuple[list[int], int]:
    """Return each row's exact score as a numerator over one common denominator."""
    # Whole-number weights keep every score exact while ranking compares plain integers.
    total = sum(weights)
    if total == 0:
        return [0] * len(table), 1
    numerators = [100 * sum(w * (p or 0) for w, p in zip(weights, points, strict=True))
                  for points in table]
    return numerators, MAX_POINTS * total


def _rank(
    candidates: Sequence[Candidate],
    table: Sequence[tuple[int | None, ...]],
    weights: Sequence[int],
    cutoff: Cutoff | None,
) -> tuple[RankedCandidate, ...]:
    scores, denominator = _score_numerators(weights, table)
    threshold = _score_threshold(cutoff)
    top = _top_n(cutoff)
    ranked = []
    for i, rank, position in _ranked_order(scores):
        ranked.append(
            RankedCandidate(
                candidate_id=candidates[i].id,
                score=scores[i] / denominator,
                points=table[i],
                rank=rank,
                position=position,
                is_key_account=_is_key(scores[i], rank, denominator, threshold, top),
            )
        )
    return tuple(ranked)


def _ranked_order(scores: Sequence[int]) -> list[tuple[int, int, int]]:
    """Return (index, rank, position) for each score, best first; ties share a rank."""
    # sorted() is stable, so equal scores keep the case's candidate order.
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    lines = []
    rank = 0
    for position, i in enumerate(order, start=1):
        if position == 1 or scores[i] != scores[order[position - 2]]:
            rank = position
        lines.append((i, rank, position))
    return lines


def _is_key(score: int, rank: int, denominator: int, threshold: Fraction | None,
            top: int | None) -> bool:
    return (threshold is not None
            and score * threshold.denominator >= threshold.numerator * denominator) or (
        top is not None and rank <= top
    )


def _score_threshold(cutoff: Cutoff | None) -> Fraction | None:
    if cutoff is None or cutoff.kind != CUTOFF_SCORE or cutoff.value is None:
        return None
    # Through str so that a typed 60.1 is exactly 601/10, not its binary neighbour.
    return Fraction(str(cutoff.value))


def _top_n(cutoff: Cutoff | None) -> int | None:
    if cutoff is None or cutoff.kind != CUTOFF_TOP_N or cutoff.value is None or cutoff.value < 1:
        return None
    return int(cutoff.value)


