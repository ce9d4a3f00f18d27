"""Translate between the workshop page's flat form fields and the `Workshop` model.

The page posts plain fields (`criteria-0-name`, `criteria-0-threshold-2`,
`criteria-1-score-shopnow`, `kpis-3-responsibility`...), so it works without
JavaScript and the autosave script can send the very same fields. Parsing never
fails: a number the trainee mistyped, or typed out of its range, becomes `None` in the
model (so nothing uses it), is reported as a problem, and is kept verbatim in
`Parsed.unparsed` so the draft can give it back exactly as typed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from courseware.workshop import numbers
from courseware.workshop.model import (
    ANCHOR_COUNT,
    CUTOFF_KINDS,
    CUTOFF_SCORE,
    CUTOFF_TOP_N,
    DIRECTIONS,
    FREQUENCIES,
    HIGHER_IS_BETTER,
    RESPONSIBILITIES,
    THRESHOLD_COUNT,
    Criterion,
    Cutoff,
    FigureMeasure,
    JudgementMeasure,
    Kpi,
    Measure,
    Workshop,
)
from courseware.workshop.numbers import NumberRule
from courseware.workshop.validation import Problem

KPI_TEXT_FIELDS = ("name", "definition", "unit", "target", "data_source")
# Far beyond any real workshop; stops a crafted post from creating thousands of rows.
ROW_INDEX_LIMIT = 50

_ROW = re.compile(r"^(criteria|kpis)-(\d{1,3})-")


@dataclass(frozen=True)
class Parsed:
    """A parsed form: the model, the number fields that did not parse, and why."""

    workshop: Workshop
    unparsed: dict[str, str] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()


def parse_fields(fields: Mapping[str, str], candidate_ids: Iterable[str]) -> Parsed:
    """Build a `Workshop` from posted fields, keeping every mistyped number."""
    reader = _Reader(fields)
    candidate_ids = tuple(candidate_ids)
    rows = _rows(fields)
    criteria = tuple(
        _parse_criterion(reader, f"criteria-{index}-", candidate_ids)
        for index in rows["criteria"]
    )
    kpis = tuple(_parse_kpi(reader, f"kpis-{index}-") for index in rows["kpis"])
    kind = reader.text("cutoff-kind")
    kind = kind if kind in CUTOFF_KINDS else CUTOFF_TOP_N
    cutoff = Cutoff(kind=kind, value=reader.number("cutoff-value",
                                                   cutoff_rule(kind, len(candidate_ids))))
    workshop = Workshop(
        criteria=criteria,
        cutoff=cutoff,
        justification=reader.text("justification"),
        kpis=kpis,
    )
    return Parsed(workshop=workshop, unparsed=reader.unparsed, problems=tuple(reader.problems))


def cutoff_rule(kind: str, candidate_count: int) -> NumberRule:
    """The rule for the cut-off's value, which depends on the cut-off's kind."""
    return numbers.CUTOFF_SCORE if kind == CUTOFF_SCORE else numbers.cutoff_count(candidate_count)


def to_fields(workshop: Workshop, unparsed: Mapping[str, str] | None = None) -> dict[str, str]:
    """Return the form fields that show `workshop`, mistyped numbers restored as typed."""
    fields: dict[str, str] = {}
    for index, criterion in enumerate(workshop.criteria):
        prefix = f"criteria-{index}-"
        measure = criterion.measure
        fields[prefix + "name"] = criterion.name
        fields[prefix + "description"] = criterion.description
        fields[prefix + "weight"] = format_number(criterion.weight)
        fields[prefix + "kind"] = measure.kind
        if isinstance(measure, FigureMeasure):
            fields[prefix + "figure"] = measure.figure
            fields[prefix + "direction"] = measure.direction
            for position, threshold in enumerate(measure.thresholds):
                fields[f"{prefix}threshold-{position}"] = format_number(threshold)
        else:
            for level, anchor in enumerate(measure.anchors, start=1):
                fields[f"{prefix}anchor-{level}"] = anchor
            for candidate_id, score in measure.scores.items():
                fields[f"{prefix}score-{candidate_id}"] = format_number(score)
    for index, kpi in enumerate(workshop.kpis):
        prefix = f"kpis-{index}-"
        for name in (*KPI_TEXT_FIELDS, "frequency", "responsibility"):
            fields[prefix + name] = getattr(kpi, name)
    fields["cutoff-kind"] = workshop.cutoff.kind
    fields["cutoff-value"] = format_number(workshop.cutoff.value)
    fields["justification"] = workshop.justification
    fields.update(unparsed or {})
    return fields


def row_count(fields: Mapping[str, str], group: str) -> int:
    """Return how many rows of `criteria` or `kpis` the fields hold."""
    return len(_row_indexes(fields, group))


def add_row(fields: Mapping[str, str], group: str) -> dict[str, str]:
    """Return the fields with an empty row appended to `criteria` or `kpis`."""
    renumbered = _renumber(fields, group, skip=None)
    renumbered[f"{group}-{row_count(renumbered, group)}-name"] = ""
    return renumbered


def remove_row(fields: Mapping[str, str], group: str, index: int) -> dict[str, str]:
    """Return the fields without row `index` of `criteria` or `kpis`, later rows moved up."""
    return _renumber(fields, group, skip=index)


def starter_fields() -> dict[str, str]:
    """Return the fields of a new workshop: two empty criteria and three empty KPIs."""
    return to_fields(Workshop(criteria=(Criterion(), Criterion()), kpis=(Kpi(), Kpi(), Kpi())))


def _renumber(fields: Mapping[str, str], group: str, skip: int | None) -> dict[str, str]:
    # Rows are numbered 0, 1, 2... in the order they appear, whatever gaps a post left.
    indexes = [index for index in _row_indexes(fields, group) if index != skip]
    new_index = {old: new for new, old in enumerate(indexes)}
    result: dict[str, str] = {}
    for name, value in fields.items():
        match = _ROW.match(name)
        if not match or match.group(1) != group:
            result[name] = value
        elif int(match.group(2)) in new_index:
            rest = name[match.end():]
            result[f"{group}-{new_index[int(match.group(2))]}-{rest}"] = value
    return result


def format_number(value: float | None) -> str:
    """Show a number the way a person would type it: 10 rather than 10.0."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _row_indexes(fields: Mapping[str, str], group: str) -> list[int]:
    return _rows(fields)[group]


def _rows(fields: Mapping[str, str]) -> dict[str, list[int]]:
    """Return the row numbers of both groups, each in order, in one pass over the names."""
    # Each row's prefix ("criteria-0-") once, then its number: a row has a dozen fields.
    prefixes = {found[0] for found in map(_ROW.match, fields) if found}
    indexes: dict[str, set[int]] = {"criteria": set(), "kpis": set()}
    for prefix in prefixes:
        group, index, _rest = prefix.split("-")
        if int(index) < ROW_INDEX_LIMIT:  # "criteria-07-" and "criteria-7-" are one row
            indexes[group].add(int(index))
    return {group: sorted(numbers) for group, numbers in indexes.items()}


def _parse_criterion(reader: _Reader, prefix: str, candidate_ids: tuple[str, ...]) -> Criterion:
    measure: Measure
    if reader.text(prefix + "kind") == JudgementMeasure.kind:
        scores = {}
        for candidate_id in candidate_ids:
            score = reader.number(f"{prefix}score-{candidate_id}", numbers.SCORE)
            if score is not None:
                scores[candidate_id] = int(score)
        measure = JudgementMeasure(
            anchors=tuple(reader.text(f"{prefix}anchor-{level}")
                          for level in range(1, ANCHOR_COUNT + 1)),
            scores=scores,
        )
    else:
        direction = reader.text(prefix + "direction")
        measure = FigureMeasure(
            figure=reader.text(prefix + "figure"),
            direction=direction if direction in DIRECTIONS else HIGHER_IS_BETTER,
            thresholds=tuple(reader.number(f"{prefix}threshold-{position}", numbers.THRESHOLD)
                             for position in range(THRESHOLD_COUNT)),
        )
    weight = reader.number(prefix + "weight", numbers.WEIGHT)
    return Criterion(
        name=reader.text(prefix + "name"),
        description=reader.text(prefix + "description"),
        weight=None if weight is None else int(weight),
        measure=measure,
    )


def _parse_kpi(reader: _Reader, prefix: str) -> Kpi:
    frequency = reader.text(prefix + "frequency")
    responsibility = reader.text(prefix + "responsibility")
    return Kpi(
        **{name: reader.text(prefix + name) for name in KPI_TEXT_FIELDS},
        frequency=frequency if frequency in FREQUENCIES else "",
        responsibility=responsibility if responsibility in RESPONSIBILITIES else "",
    )


class _Reader:
    """Read text and numbers from the fields, noting every number that does not parse."""

    def __init__(self, fields: Mapping[str, str]) -> None:
        self.fields = fields
        self.unparsed: dict[str, str] = {}
        self.problems: list[Problem] = []

    def text(self, name: str) -> str:
        value = self.fields.get(name, "")
        # Browsers post CRLF; store the trainee's text with plain newlines.
        return value.replace("\r\n", "\n") if isinstance(value, str) else ""

    def number(self, name: str, rule: NumberRule) -> float | None:
        raw = self.text(name)
        value, code = numbers.read_number(raw, rule)
        if code is not None:
            self.unparsed[name] = raw.strip()
            limits = {"min": rule.low, "max": rule.high} if code == rule.range_code else {}
            self.problems.append(Problem(name, code, limits))
        return value

