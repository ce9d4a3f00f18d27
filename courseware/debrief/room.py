"""The room's workshop debrief: what a cohort's workshops say together. Pure, no Flask.

The input is a list of workshops (the view decides whether they are the submitted versions
or the current drafts) and the case; `distribution_summary()` also takes plain 100-point
distributions, `{option: points}` per person, as a live weighting question gives them.

The rules a reader needs:

- **The room.** A workshop counts when its weights add up to more than 0 and it has a
  cut-off value; the others cannot be ranked yet and are counted apart (`left_out`).
- **Pooling by what a criterion measures.** Trainees name their criteria freely ("Size",
  "营收规模"), so criteria are pooled by the case's figure they measure from, and every
  judgement criterion is pooled as one "judgement". Each trainee's weights become shares
  of 100 per figure (two criteria on one figure add up). The room's weight of a figure is
  the mean share over the whole room, a trainee who does not use the figure counting 0,
  rounded to whole numbers that add up to 100 (largest remainders; ties go to the figure
  that comes first in the case).
- **The room's measures.** A pooled figure criterion takes the direction most of its users
  chose (a tie: the figure's usual direction) and, per threshold, the median of those
  users' thresholds; with no complete thresholds in the room it takes the candidates'
  20th, 40th, 60th and 80th percentiles. The pooled judgement gives each candidate the
  median of the trainees' judgements, each trainee's judgement being the weighted mean of
  their judgement criteria, rounded half up to a whole 1 to 5.
- **The room's cut-off** is the top N, N being the median size of the room's key-account
  lists rounded half up. The pooled workshop then goes through the workshop's own
  `scoring.evaluate()`: the room's ranking is exactly what that workshop would score.
- **Disputed candidates** are those on 30 % to 70 % of the room's key-account lists, both ends
  included.
- **Agreement** is Kendall's W with the correction for ties: 1 when everyone ranks alike,
  near 0 when the rankings share nothing. The candidates' ranking agreement uses each
  trainee's ranking (tied candidates share the mean of their places); the weights'
  agreement ranks the pooled figures by each trainee's share. W needs two people and two
  things to rank; it is None otherwise, or when every ranking is one big tie.
- **Tipping change.** For each pooled criterion, the smallest whole number of points its
  weight must rise (or fall) by, the others making up the difference in proportion as in
  the workshop's sensitivity analysis, for the room's key-account list to change.
- **Usage** counts, for every figure of the case and for judgement, the trainees with at
  least one criterion on it, so that a figure nobody used shows as 0.
- **KPI coverage** counts, per responsibility, the trainees with at least one KPI for it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from courseware.workshop.case import Candidate, Figure
from courseware.workshop.model import (
    CUTOFF_TOP_N,
    HIGHER_IS_BETTER,
    LOWER_IS_BETTER,
    MAX_POINTS,
    MIN_POINTS,
    RESPONSIBILITIES,
    THRESHOLD_COUNT,
    Criterion,
    Cutoff,
    FigureMeasure,
    JudgementMeasure,
    Workshop,
)
from courseware.workshop.scoring import Evaluation, RankedCandidate, evaluate, sensitivity

JUDGEMENT = "judgement"  # the pooling key of every judgement criterion
DISPUTED_LOW = Fraction(3, 10)
DISPUTED_HIGH = Fraction(7, 10)
WHOLE = 100
PERCENTILES = (Fraction(1, 5), Fraction(2, 5), Fraction(3, 5), Fraction(4, 5))


@dataclass(frozen=True)
class WeightSpread:
    """One option's (a figure's, or judgement's) weight across the room, in shares of 100."""

    key: str
    values: tuple[float, ...]  # the share each person who gave it weight gave it, ascending
    users: int  # how many gave it any weight
    mean: float  # over the whole room, a person who gave it nothing counting 0
    median: float | None  # of `values`
    lower_quartile: float | None
    upper_quartile: float | None


@dataclass(frozen=True)
class DistributionSummary:
    """What a room's 100-point distributions say: spread, agreement, the pooled weights."""

    size: int
    spreads: tuple[WeightSpread, ...]
    agreement: float | None  # Kendall's W of the options ranked by weight
    pooled: Mapping[str, int]  # whole numbers adding up to 100 (empty for an empty room)


@dataclass(frozen=True)
class CandidateFrequency:
    """How often one candidate made the room's key-account lists."""

    candidate_id: str
    chosen: int
    share: float  # 0 to 1 of the room
    disputed: bool


@dataclass(frozen=True)
class TipChange:
    """The smallest weight move in one direction that changes the room's key accounts."""

    step: int  # whole points, always positive
    weight_after: float
    entered: tuple[str, ...]
    left: tuple[str, ...]


@dataclass(frozen=True)
class Tipping:
    """One pooled criterion's tipping changes, up and down (None: no move changes the list)."""

    key: str
    weight: int
    increase: TipChange | None
    decrease: TipChange | None


@dataclass(frozen=True)
class RoomDebrief:
    """Everything the debrief shows about a room's workshops."""

    size: int  # workshops in the room
    left_out: int  # workshops that cannot be ranked yet
    keys: tuple[str, ...]  # the pooled options, the case's figures first, then judgement
    weights: DistributionSummary
    # Per case figure, then judgement, then any other key of `keys`: trainees with a criterion
    # on it (0 for a figure nobody used: a prompt of its own).
    usage: Mapping[str, int]
    frequencies: tuple[CandidateFrequency, ...]  # in the case's candidate order
    ranking_agreement: float | None
    pooled_workshop: Workshop
    pooled: Evaluation
    tipping: tuple[Tipping, ...]
    kpi_coverage: Mapping[str, int]  # per responsibility: trainees with a KPI for it

    @property
    def disputed(self) -> tuple[CandidateFrequency, ...]:
        """Return the candidates the room disagrees about, in the case's order."""
        return tuple(line for line in self.frequencies if line.disputed)


def criterion_key(criterion: Criterion) -> str:
    """Return what a criterion is pooled by: its figure's id, or JUDGEMENT ("" if unset)."""
    if isinstance(criterion.measure, JudgementMeasure):
        return JUDGEMENT
    return criterion.measure.figure


def weight_shares(workshop: Workshop) -> dict[str, Fraction]:
    """Return a workshop's weights as exact shares of 100 per pooling key (empty if no weight)."""
    weights: dict[str, int] = {}
    for criterion in workshop.criteria:
        key = criterion_key(criterion)
        weight = max(criterion.weight or 0, 0)
        if key and weight:
            weights[key] = weights.get(key, 0) + weight
    return _shares(weights)


def is_rankable(workshop: Workshop) -> bool:
    """Return whether a workshop has what a ranking and a key-account list need."""
    return bool(weight_shares(workshop)) and workshop.cutoff.value is not None


def kendalls_w(rankings: Sequence[Sequence[Fraction | int | float]]) -> Fraction | None:
    """Return Kendall's W, tie-corrected, of rankings (one list of ranks per person).

    Every ranking ranks the same items in the same order; tied items carry the mean of
    their places (use `mid_ranks()`). None for fewer than two people or two items, or
    when every ranking ties everything.
    """
    people = len(rankings)
    items = len(rankings[0]) if rankings else 0
    if people < 2 or items < 2 or any(len(ranking) != items for ranking in rankings):
        return None
    ranks = [[Fraction(value) for value in ranking] for ranking in rankings]
    mean_total = Fraction(people * (items + 1), 2)
    spread = sum((sum(ranking[i] for ranking in ranks) - mean_total) ** 2 for i in range(items))
    ties = sum(_tie_sum(ranking) for ranking in ranks)
    denominator = people * people * (items ** 3 - items) - people * ties
    if denominator <= 0:
        return None
    return 12 * spread / denominator


def mid_ranks(values: Sequence[Fraction | int | float]) -> list[Fraction]:
    """Return each value's rank, highest first, tied values sharing the mean of their places."""
    order = sorted(range(len(values)), key=lambda i: -values[i])
    ranks: list[Fraction] = [Fraction(0)] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        for position in range(start, end + 1):
            ranks[order[position]] = Fraction(start + end + 2, 2)
        start = end + 1
    return ranks


def ranking_ranks(ranking: Sequence[RankedCandidate], candidate_ids: Sequence[str]
                  ) -> list[Fraction]:
    """Return a scored ranking's mid-ranks in the case's candidate order."""
    # The scoring core's shared ranks (1, 2, 2, 4) say exactly which candidates tie.
    group_sizes: dict[int, int] = {}
    for line in ranking:
        group_sizes[line.rank] = group_sizes.get(line.rank, 0) + 1
    by_id = {line.candidate_id: line.rank + Fraction(group_sizes[line.rank] - 1, 2)
             for line in ranking}
    return [by_id[candidate_id] for candidate_id in candidate_ids]


def distribution_summary(distributions: Sequence[Mapping[str, float]],
                         options: Sequence[str] | None = None) -> DistributionSummary:
    """Summarise 100-point distributions, `{option: points}` per person.

    Each distribution is scaled to shares of 100 first, so one that adds up to 90 counts as
    much as one that adds up to 100; a distribution of no points at all is left out.
    `options` fixes the order (and adds options nobody weighted); by default the options
    appear in the order people first gave them points.
    """
    shares = [share for share in (_shares(d) for d in distributions) if share]
    keys = _option_order(shares, options)
    return _summary(shares, keys)


def room_debrief(workshops: Sequence[Workshop], candidates: Sequence[Candidate],
                 figures: Sequence[Figure]) -> RoomDebrief:
    """Pool a room's workshops and say what they agree and disagree about."""
    room = [workshop for workshop in workshops if is_rankable(workshop)]
    keys = _room_keys(room, figures)
    shares = [weight_shares(workshop) for workshop in room]
    weights = _summary(shares, keys)
    candidate_ids = [candidate.id for candidate in candidates]
    evaluations = [evaluate(workshop, candidates) for workshop in room]
    pooled_workshop = pool_workshop(room, candidates, figures, weights.pooled,
                                    [len(result.key_account_ids) for result in evaluations])
    pooled = evaluate(pooled_workshop, candidates)
    coverage = dict.fromkeys(RESPONSIBILITIES, 0)
    for workshop in room:
        for responsibility in {kpi.responsibility for kpi in workshop.kpis}:
            if responsibility in coverage:
                coverage[responsibility] += 1
    return RoomDebrief(
        size=len(room),
        left_out=len(workshops) - len(room),
        keys=keys,
        weights=weights,
        usage={key: sum(1 for workshop in room
                        if any(criterion_key(c) == key for c in workshop.criteria))
               for key in dict.fromkeys([*(f.id for f in figures), JUDGEMENT, *keys])},
        frequencies=key_account_frequencies(evaluations, candidate_ids),
        ranking_agreement=_as_float(kendalls_w(
            [ranking_ranks(result.ranking, candidate_ids) for result in evaluations])),
        pooled_workshop=pooled_workshop,
        pooled=pooled,
        tipping=tipping_changes(pooled_workshop, candidates) if room else (),
        kpi_coverage=coverage,
    )


def key_account_frequencies(evaluations: Sequence[Evaluation], candidate_ids: Sequence[str]
                            ) -> tuple[CandidateFrequency, ...]:
    """Return how many of the room's key-account lists name each candidate."""
    size = len(evaluations)
    lines = []
    for candidate_id in candidate_ids:
        chosen = sum(1 for result in evaluations if candidate_id in result.key_account_ids)
        share = Fraction(chosen, size) if size else Fraction(0)
        lines.append(CandidateFrequency(
            candidate_id=candidate_id, chosen=chosen, share=float(share),
            disputed=size > 0 and DISPUTED_LOW <= share <= DISPUTED_HIGH))
    return tuple(lines)


def pool_workshop(room: Sequence[Workshop], candidates: Sequence[Candidate],
                  figures: Sequence[Figure], pooled_weights: Mapping[str, int],
                  list_sizes: Sequence[int] | None = None) -> Workshop:
    """Return the one workshop that stands for the room: pooled weights, measures, cut-off.

    `list_sizes` are the room's key-account list lengths when the caller has them already.
    """
    usual = {figure.id: figure.better for figure in figures}
    criteria = []
    for key, weight in pooled_weights.items():
        if key == JUDGEMENT:
            measure: FigureMeasure | JudgementMeasure = _pooled_judgement(room, candidates)
        else:
            measure = _pooled_figure(room, candidates, key, usual.get(key, HIGHER_IS_BETTER))
        criteria.append(Criterion(name=key, weight=weight, measure=measure))
    if list_sizes is None:
        list_sizes = [len(evaluate(workshop, candidates).key_account_ids) for workshop in room]
    sizes = sorted(list_sizes)
    top = max(_round_half_up(_median(sizes)), 1) if sizes else 1
    return Workshop(criteria=tuple(criteria), cutoff=Cutoff(CUTOFF_TOP_N, top))


def tipping_changes(workshop: Workshop, candidates: Sequence[Candidate]) -> tuple[Tipping, ...]:
    """Return, per criterion, the smallest weight moves that change the key-account list."""
    criteria = workshop.criteria
    total = sum(max(c.weight or 0, 0) for c in criteria)
    found: dict[tuple[int, int], TipChange] = {}
    # The workshop's own sensitivity analysis, one step size at a time, smallest first.
    for step in range(1, total + 1):
        for change in sensitivity(criteria, candidates, workshop.cutoff, step=step):
            direction = 1 if change.delta > 0 else -1
            at = (change.criterion_index, direction)
            reached = change.weight_before + change.delta
            if at in found or not change.changed or not 0 <= reached <= total:
                continue
            found[at] = TipChange(step=step, weight_after=change.weight_after,
                                  entered=change.entered, left=change.left)
        if len(found) == 2 * len(criteria):
            break
    return tuple(
        Tipping(key=criterion.name, weight=criterion.weight or 0,
                increase=found.get((index, 1)), decrease=found.get((index, -1)))
        for index, criterion in enumerate(criteria)
    )


def _shares(weights: Mapping[str, float]) -> dict[str, Fraction]:
    # Through str so that a typed 33.3 is exactly 333/10, as the scoring core reads cut-offs.
    exact = {key: Fraction(str(value)) for key, value in weights.items()
             if not isinstance(value, bool) and isinstance(value, int | float) and value > 0}
    total = sum(exact.values())
    return {key: WHOLE * value / total for key, value in exact.items()} if total else {}


def _option_order(shares: Sequence[Mapping[str, Fraction]], options: Sequence[str] | None
                  ) -> tuple[str, ...]:
    keys = list(options or ())
    if options is None:
        for share in shares:
            keys.extend(key for key in share if key not in keys)
    return tuple(keys)


def _room_keys(room: Sequence[Workshop], figures: Sequence[Figure]) -> tuple[str, ...]:
    used = {criterion_key(c) for workshop in room for c in workshop.criteria} - {""}
    ordered = [figure.id for figure in figures if figure.id in used]
    # A criterion on a figure the case no longer has still counts, after the case's own.
    ordered += sorted(used - set(ordered) - {JUDGEMENT})
    return tuple(ordered + ([JUDGEMENT] if JUDGEMENT in used else []))


def _summary(shares: Sequence[Mapping[str, Fraction]], keys: Sequence[str]
             ) -> DistributionSummary:
    size = len(shares)
    spreads = []
    for key in keys:
        values = sorted(share[key] for share in shares if share.get(key))
        spreads.append(WeightSpread(
            key=key,
            values=tuple(float(value) for value in values),
            users=len(values),
            mean=float(sum(values, Fraction(0)) / size) if size else 0.0,
            median=_as_float(_median(values)),
            lower_quartile=_as_float(_quantile(values, Fraction(1, 4))),
            upper_quartile=_as_float(_quantile(values, Fraction(3, 4))),
        ))
    agreement = kendalls_w([mid_ranks([share.get(key, Fraction(0)) for key in keys])
                            for share in shares])
    return DistributionSummary(size=size, spreads=tuple(spreads),
                               agreement=_as_float(agreement),
                               pooled=_pooled_weights(shares, keys))


def _pooled_weights(shares: Sequence[Mapping[str, Fraction]], keys: Sequence[str]
                    ) -> dict[str, int]:
    """Return the room's mean shares as whole numbers adding up to 100 (largest remainders)."""
    if not shares:
        return {}
    means = {key: sum((share.get(key, Fraction(0)) for share in shares), Fraction(0))
             / len(shares) for key in keys}
    whole = {key: int(mean) for key, mean in means.items()}
    short = WHOLE - sum(whole.values())
    order = sorted(keys, key=lambda key: (-(means[key] - whole[key]), keys.index(key)))
    for key in order[:max(short, 0)]:
        whole[key] += 1
    return {key: weight for key, weight in whole.items() if weight or means[key]}


def _pooled_figure(room: Sequence[Workshop], candidates: Sequence[Candidate], figure: str,
                   usual: str) -> FigureMeasure:
    measures = [c.measure for workshop in room for c in workshop.criteria
                if isinstance(c.measure, FigureMeasure) and c.measure.figure == figure]
    higher = sum(1 for m in measures if m.direction == HIGHER_IS_BETTER)
    lower = len(measures) - higher
    direction = usual if higher == lower else HIGHER_IS_BETTER if higher > lower \
        else LOWER_IS_BETTER
    complete = [m.thresholds for m in measures
                if m.direction == direction and all(t is not None for t in m.thresholds)]
    if complete:
        thresholds = tuple(
            float(_median(sorted(Fraction(str(t[k])) for t in complete)))  # type: ignore[index]
            for k in range(THRESHOLD_COUNT))
    else:
        values = sorted(Fraction(str(c.figures[figure])) for c in candidates
                        if figure in c.figures)
        cuts = [float(_quantile(values, p)) for p in PERCENTILES] if values \
            else [None] * THRESHOLD_COUNT
        thresholds = tuple(cuts if direction == HIGHER_IS_BETTER else reversed(cuts))
    return FigureMeasure(figure=figure, direction=direction, thresholds=thresholds)


def _pooled_judgement(room: Sequence[Workshop], candidates: Sequence[Candidate]
                      ) -> JudgementMeasure:
    scores = {}
    for candidate in candidates:
        judged = sorted(score for score in (_trainee_judgement(w, candidate.id) for w in room)
                        if score is not None)
        if judged:
            median = _median(judged)
            scores[candidate.id] = min(max(_round_half_up(median), MIN_POINTS), MAX_POINTS)
    return JudgementMeasure(scores=scores)


def _trainee_judgement(workshop: Workshop, candidate_id: str) -> Fraction | None:
    total = Fraction(0)
    weights = 0
    for criterion in workshop.criteria:
        measure = criterion.measure
        weight = max(criterion.weight or 0, 0)
        if not isinstance(measure, JudgementMeasure) or not weight:
            continue
        score = measure.scores.get(candidate_id)
        if score is not None and MIN_POINTS <= score <= MAX_POINTS:
            total += weight * score
            weights += weight
    return total / weights if weights else None


def _tie_sum(ranking: Sequence[Fraction]) -> int:
    counts: dict[Fraction, int] = {}
    for rank in ranking:
        counts[rank] = counts.get(rank, 0) + 1
    return sum(t ** 3 - t for t in counts.values())


def _median(values: Sequence[Fraction | int]) -> Fraction | None:
    """Return the median of sorted values, or None for none."""
    return _quantile(values, Fraction(1, 2))


def _quantile(values: Sequence[Fraction | int], p: Fraction) -> Fraction | None:
    """Return the p-quantile of sorted values, interpolating between neighbours."""
    if not values:
        return None
    position = p * (len(values) - 1)
    below = int(position)
    above = min(below + 1, len(values) - 1)
    fraction = position - below
    return Fraction(values[below]) + fraction * (Fraction(values[above]) - Fraction(values[below]))


def _round_half_up(value: Fraction | None) -> int:
    return 0 if value is None else int((value + Fraction(1, 2)) // 1)


def _as_float(value: Fraction | None) -> float | None:
    return None if value is None else float(value)
