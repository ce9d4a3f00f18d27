"""The trainee's workshop as plain, immutable data.

A `Workshop` holds everything a trainee hands in: the selection criteria (each
with a weight and a way of measuring it), the cut-off that turns a ranking into
a key-account list, the written justification, and the KPIs that will monitor
key-account performance.

Readers outside this area (the trainer's grading page) should rely on:

- `Workshop`, `Criterion`, `FigureMeasure`, `JudgementMeasure`, `Cutoff`, `Kpi`;
- `Workshop.from_dict(data)` to rebuild a stored version and `Workshop.to_dict()`
  to store one; `from_dict` never raises, whatever JSON it is given: missing or
  malformed fields fall back to empty values, so half-finished drafts load;
- the vocabularies `RESPONSIBILITIES`, `FREQUENCIES`, `HIGHER_IS_BETTER`,
  `LOWER_IS_BETTER`, `CUTOFF_SCORE`, `CUTOFF_TOP_N`.

Numbers the trainee has not (validly) entered are `None`: the model describes a
draft as faithfully as a finished piece of work. Completeness is judged
elsewhere (`courseware.workshop.validation`), scores in `courseware.workshop.scoring`.
Trainee-written text is kept exactly as typed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# A workshop's status, for the trainee and the trainer alike: NOT_STARTED until a first save,
# then its draft's or latest submission's.
NOT_STARTED = "not_started"
DRAFT = "draft"
SUBMITTED = "submitted"
RETURNED = "returned"
RELEASED = "released"
STATUSES = (DRAFT, SUBMITTED, RETURNED, RELEASED)

SCHEMA_VERSION = 1

MIN_CRITERIA = 2
MAX_CRITERIA = 8
MIN_KPIS = 3
MAX_KPIS = 10
MIN_POINTS = 1
MAX_POINTS = 5
THRESHOLD_COUNT = MAX_POINTS - MIN_POINTS  # values needed for 2, 3, 4 and 5 points
ANCHOR_COUNT = MAX_POINTS - MIN_POINTS + 1  # one written anchor per level 1..5

HIGHER_IS_BETTER = "higher"
LOWER_IS_BETTER = "lower"
DIRECTIONS = (HIGHER_IS_BETTER, LOWER_IS_BETTER)

CUTOFF_SCORE = "score"
CUTOFF_TOP_N = "top_n"
CUTOFF_KINDS = (CUTOFF_SCORE, CUTOFF_TOP_N)

# The account manager's responsibilities, pages 6 to 12 of the module.
RESPONSIBILITIES = (
    "revenue_growth",
    "profit_growth",
    "quality",
    "cost",
    "on_time",
    "relationship",
    "problem_solving",
    "forecasting",
)

FREQUENCIES = ("weekly", "monthly", "quarterly", "half_yearly", "yearly")


@dataclass(frozen=True)
class FigureMeasure:
    """Measure a criterion objectively from one of the case's figures.

    `thresholds[k]` is the value a candidate must reach to earn `k + 2` points:
    at least that value when `direction` is `HIGHER_IS_BETTER`, at most that
    value when it is `LOWER_IS_BETTER` (cost to serve, say). A candidate that
    reaches none of them earns 1 point. Well-formed thresholds are strictly
    ascending for "higher" and strictly descending for "lower".
    """

    figure: str = ""
    direction: str = HIGHER_IS_BETTER
    thresholds: tuple[float | None, ...] = (None,) * THRESHOLD_COUNT

    kind = "figure"

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready form of this measure."""
        return {
            "kind": self.kind,
            "figure": self.figure,
            "direction": self.direction,
            "thresholds": list(self.thresholds),
        }

    @classmethod
    def from_dict(cls, data: Any) -> FigureMeasure:
        """Rebuild a measure from stored JSON, tolerating missing or bad fields."""
        data = _mapping(data)
        direction = _text(data.get("direction"))
        raw = data.get("thresholds")
        raw = list(raw) if isinstance(raw, list | tuple) else []
        raw = (raw + [None] * THRESHOLD_COUNT)[:THRESHOLD_COUNT]
        return cls(
            figure=_text(data.get("figure")),
            direction=direction if direction in DIRECTIONS else HIGHER_IS_BETTER,
            thresholds=tuple(_number(value) for value in raw),
        )


@dataclass(frozen=True)
class JudgementMeasure:
    """Measure a criterion by the trainee's judgement on a 1 to 5 scale.

    `anchors[k]` describes level `k + 1`. `scores` maps a candidate id to the
    level the trainee gave it; unscored candidates are absent.
    """

    anchors: tuple[str, ...] = ("",) * ANCHOR_COUNT
    scores: Mapping[str, int] = field(default_factory=dict)

    kind = "judgement"

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready form of this measure."""
        return {"kind": self.kind, "anchors": list(self.anchors), "scores": dict(self.scores)}

    @classmethod
    def from_dict(cls, data: Any) -> JudgementMeasure:
        """Rebuild a measure from stored JSON, tolerating missing or bad fields."""
        data = _mapping(data)
        raw = data.get("anchors")
        raw = list(raw) if isinstance(raw, list | tuple) else []
        anchors = tuple(_text(value) for value in (raw + [""] * ANCHOR_COUNT)[:ANCHOR_COUNT])
        scores: dict[str, int] = {}
        for candidate_id, value in _mapping(data.get("scores")).items():
            number = _number(value)
            if number is not None and number == int(number):
                scores[str(candidate_id)] = int(number)
        return cls(anchors=anchors, scores=scores)


Measure = FigureMeasure | JudgementMeasure


@dataclass(frozen=True)
class Criterion:
    """One selection criterion: what it is, how much it counts, how it is measured."""

    name: str = ""
    description: str = ""
    weight: int | None = None  # whole percent
    measure: Measure = field(default_factory=FigureMeasure)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready form of this criterion."""
        return {
            "name": self.name,
            "description": self.description,
            "weight": self.weight,
            "measure": self.measure.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: Any) -> Criterion:
        """Rebuild a criterion from stored JSON, tolerating missing or bad fields."""
        data = _mapping(data)
        measure_data = _mapping(data.get("measure"))
        measure: Measure
        if measure_data.get("kind") == JudgementMeasure.kind:
            measure = JudgementMeasure.from_dict(measure_data)
        else:
            measure = FigureMeasure.from_dict(measure_data)
        weight = _number(data.get("weight"))
        return cls(
            name=_text(data.get("name")),
            description=_text(data.get("description")),
            weight=int(weight) if weight is not None and weight == int(weight) else None,
            measure=measure,
        )


@dataclass(frozen=True)
class Cutoff:
    """Where the ranking stops being the key-account list.

    With `CUTOFF_SCORE`, every candidate scoring at least `value` is in; with
    `CUTOFF_TOP_N`, the first `value` places are in (ties for the last place
    are all in).
    """

    kind: str = CUTOFF_TOP_N
    value: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready form of this cut-off."""
        return {"kind": self.kind, "value": self.value}

    @classmethod
    def from_dict(cls, data: Any) -> Cutoff:
        """Rebuild a cut-off from stored JSON, tolerating missing or bad fields."""
        data = _mapping(data)
        kind = _text(data.get("kind"))
        return cls(
            kind=kind if kind in CUTOFF_KINDS else CUTOFF_TOP_N,
            value=_number(data.get("value")),
        )


@dataclass(frozen=True)
class Kpi:
    """One measurement that monitors key-account performance.

    `responsibility` is one of `RESPONSIBILITIES` (or "" while unset) and
    `frequency` one of `FREQUENCIES` (or ""); the other fields are free text.
    """

    name: str = ""
    definition: str = ""
    unit: str = ""
    target: str = ""
    frequency: str = ""
    data_source: str = ""
    responsibility: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready form of this KPI."""
        return {
            "name": self.name,
            "definition": self.definition,
            "unit": self.unit,
            "target": self.target,
            "frequency": self.frequency,
            "data_source": self.data_source,
            "responsibility": self.responsibility,
        }

    @classmethod
    def from_dict(cls, data: Any) -> Kpi:
        """Rebuild a KPI from stored JSON, tolerating missing or bad fields."""
        data = _mapping(data)
        frequency = _text(data.get("frequency"))
        responsibility = _text(data.get("responsibility"))
        return cls(
            name=_text(data.get("name")),
            definition=_text(data.get("definition")),
            unit=_text(data.get("unit")),
            target=_text(data.get("target")),
            frequency=frequency if frequency in FREQUENCIES else "",
            data_source=_text(data.get("data_source")),
            responsibility=responsibility if responsibility in RESPONSIBILITIES else "",
        )


@dataclass(frozen=True)
class Workshop:
    """Everything one trainee hands in for the workshop."""

    criteria: tuple[Criterion, ...] = ()
    cutoff: Cutoff = field(default_factory=Cutoff)
    justification: str = ""
    kpis: tuple[Kpi, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready form of this workshop."""
        return {
            "schema": SCHEMA_VERSION,
            "criteria": [criterion.to_dict() for criterion in self.criteria],
            "cutoff": self.cutoff.to_dict(),
            "justification": self.justification,
            "kpis": [kpi.to_dict() for kpi in self.kpis],
        }

    @classmethod
    def from_dict(cls, data: Any) -> Workshop:
        """Rebuild a workshop from stored JSON; never raises, even on partial drafts."""
        data = _mapping(data)
        return cls(
            criteria=tuple(Criterion.from_dict(item) for item in _sequence(data.get("criteria"))),
            cutoff=Cutoff.from_dict(data.get("cutoff")),
            justification=_text(data.get("justification")),
            kpis=tuple(Kpi.from_dict(item) for item in _sequence(data.get("kpis"))),
        )


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _sequence(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else []


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _number(value: Any) -> float | None:
    # bool is an int subclass; a stored true/false is not a number the trainee typed.
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
