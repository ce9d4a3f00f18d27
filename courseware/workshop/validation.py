"""Check a workshop for mistakes and, before submission, for completeness.

Pure: problems are codes attached to form field names; the views turn each
code into a message in the page's language (`courseware.workshop.messages`).
Mistakes are reported on every save, but the draft is saved anyway, so nothing
the trainee typed is ever lost; missing pieces are reported only on submission.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from courseware.workshop.model import (
    ANCHOR_COUNT,
    HIGHER_IS_BETTER,
    MAX_CRITERIA,
    MAX_KPIS,
    MIN_CRITERIA,
    MIN_KPIS,
    FigureMeasure,
    JudgementMeasure,
    Workshop,
)

# Longest text accepted per field, in characters (Chinese or not).
LENGTH_LIMITS = {
    "name": 80,
    "description": 500,
    "anchor": 200,
    "justification": 4000,
    "definition": 500,
    "unit": 30,
    "target": 80,
    "data_source": 120,
}
WEIGHTS_FIELD = "weights"
CRITERIA_FIELD = "criteria"
KPIS_FIELD = "kpis"


@dataclass(frozen=True)
class Problem:
    """Something wrong or missing, tied to the form field it concerns."""

    field: str
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)


def find_problems(
    workshop: Workshop,
    figure_ids: Collection[str],
    candidate_ids: Collection[str],
    *,
    for_submission: bool = False,
) -> tuple[Problem, ...]:
    """Return the mistakes in a workshop, plus what is missing when it is to be submitted."""
    found: list[Problem] = []
    _check_criteria(workshop, figure_ids, candidate_ids, for_submission, found)
    _check_cutoff(workshop, len(candidate_ids), for_submission, found)
    _check_length("justification", workshop.justification, "justification", found)
    if for_submission and not workshop.justification.strip():
        found.append(Problem("justification", "required"))
    _check_kpis(workshop, for_submission, found)
    return tuple(found)


def _check_criteria(workshop, figure_ids, candidate_ids, for_submission, found) -> None:
    criteria = workshop.criteria
    if len(criteria) > MAX_CRITERIA:
        found.append(Problem(CRITERIA_FIELD, "too_many_criteria", {"max": MAX_CRITERIA}))
    elif for_submission and len(criteria) < MIN_CRITERIA:
        found.append(Problem(CRITERIA_FIELD, "too_few_criteria", {"min": MIN_CRITERIA}))
    # A new workshop has no weights yet: that is a start, not a mistake.
    if for_submission or any(criterion.weight is not None for criterion in criteria):
        total = sum(criterion.weight or 0 for criterion in criteria)
        if total != 100:
            found.append(Problem(WEIGHTS_FIELD, "weights_sum", {"sum": total}))
    seen_names: set[str] = set()
    for index, criterion in enumerate(criteria):
        prefix = f"criteria-{index}-"
        name = criterion.name.strip()
        if name and name.casefold() in seen_names:
            found.append(Problem(prefix + "name", "duplicate_name"))
        seen_names.add(name.casefold())
        if not name and (for_submission or _has_content(criterion)):
            found.append(Problem(prefix + "name", "required"))
        _check_length(prefix + "name", criterion.name, "name", found)
        _check_length(prefix + "description", criterion.description, "description", found)
        if for_submission and criterion.weight is None:
            found.append(Problem(prefix + "weight", "required"))
        measure = criterion.measure
        if isinstance(measure, FigureMeasure):
            _check_figure(prefix, measure, figure_ids, for_submission, found)
        else:
            _check_judgement(prefix, measure, candidate_ids, for_submission, found)


def _check_figure(prefix, measure: FigureMeasure, figure_ids, for_submission, found) -> None:
    if measure.figure and measure.figure not in figure_ids:
        found.append(Problem(prefix + "figure", "unknown_figure"))
    elif for_submission and not measure.figure:
        found.append(Problem(prefix + "figure", "required"))
    given = [value for value in measure.thresholds if value is not None]
    ascending = measure.direction == HIGHER_IS_BETTER
    if any(
        (later <= earlier) if ascending else (later >= earlier)
        for earlier, later in zip(given, given[1:], strict=False)
    ):
        code = "thresholds_ascending" if ascending else "thresholds_descending"
        found.append(Problem(prefix + "thresholds", code))
    elif for_submission and len(given) < len(measure.thresholds):
        found.append(Problem(prefix + "thresholds", "thresholds_required"))


def _check_judgement(prefix, measure: JudgementMeasure, candidate_ids, for_submission,
                     found) -> None:
    for level, anchor in enumerate(measure.anchors, start=1):
        _check_length(f"{prefix}anchor-{level}", anchor, "anchor", found)
    if for_submission and sum(1 for anchor in measure.anchors if anchor.strip()) < ANCHOR_COUNT:
        found.append(Problem(prefix + "anchors", "anchors_required"))
    if for_submission:
        missing = [cid for cid in candidate_ids if cid not in measure.scores]
        if missing:
            found.append(Problem(prefix + "scores", "scores_required", {"count": len(missing)}))


def _check_cutoff(workshop: Workshop, candidate_count: int, for_submission, found) -> None:
    # Its range is a number rule (courseware.workshop.numbers): a value out of range never
    # reaches the model.
    if workshop.cutoff.value is None and for_submission:
        found.append(Problem("cutoff-value", "required"))


def _check_kpis(workshop: Workshop, for_submission: bool, found: list[Problem]) -> None:
    kpis = workshop.kpis
    if len(kpis) > MAX_KPIS:
        found.append(Problem(KPIS_FIELD, "too_many_kpis", {"max": MAX_KPIS}))
    elif for_submission and len(kpis) < MIN_KPIS:
        found.append(Problem(KPIS_FIELD, "too_few_kpis", {"min": MIN_KPIS}))
    seen_names: set[str] = set()
    for index, kpi in enumerate(kpis):
        prefix = f"kpis-{index}-"
        name = kpi.name.strip()
        if name and name.casefold() in seen_names:
            found.append(Problem(prefix + "name", "duplicate_name"))
        seen_names.add(name.casefold())
        for attribute in ("name", "definition", "unit", "target", "data_source"):
            _check_length(prefix + attribute, getattr(kpi, attribute), attribute, found)
        if for_submission:
            for attribute in ("name", "definition", "unit", "target", "frequency",
                              "data_source", "responsibility"):
                if not getattr(kpi, attribute).strip():
                    found.append(Problem(prefix + attribute, "required"))


def _check_length(field_name: str, value: str, limit_key: str, found: list[Problem]) -> None:
    limit = LENGTH_LIMITS[limit_key]
    if len(value) > limit:
        found.append(Problem(field_name, "too_long", {"max": limit, "length": len(value)}))


def _has_content(criterion) -> bool:
    return bool(criterion.description.strip() or criterion.weight is not None)
