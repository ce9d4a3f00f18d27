"""Lay out one workshop submission as CSV rows: criteria, scores, key accounts, KPIs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from courseware.trainer.export import Cell, csv_time
from courseware.trainer.rubric import Rubric
from courseware.trainer.sheet import GradeSheet, rubric_total
from courseware.workshop.model import CUTOFF_TOP_N, FigureMeasure, Workshop
from courseware.workshop.scoring import Evaluation


@dataclass(frozen=True)
class SubmissionLabels:
    """Translated headings and vocabulary for the per-submission export."""

    criteria: str
    criterion: str
    description: str
    weight: str
    measure: str
    figure: str
    judgement: str
    thresholds: str
    ranking: str
    rank: str
    candidate: str
    score: str
    key_account: str
    yes: str
    cutoff: str
    top_n: str
    min_score: str
    justification: str
    kpis: str
    kpi: str
    definition: str
    unit: str
    target: str
    frequency: str
    data_source: str
    responsibility: str
    figure_names: Mapping[str, str]
    frequency_names: Mapping[str, str]
    responsibility_names: Mapping[str, str]
    # "Figure: margin"; the colon is the language's own (： in Chinese).
    figure_named: str = "%(label)s: %(figure)s"
    # The judgement's five written levels: the rubric grades how concrete they are.
    anchors: str = "Judgement anchors (levels 1 to 5)"


def _measure_cells(measure: object, labels: SubmissionLabels) -> list[Cell]:
    if isinstance(measure, FigureMeasure):
        thresholds = " / ".join(
            "" if value is None else f"{value:g}" for value in measure.thresholds
        )
        figure = labels.figure_names.get(measure.figure, measure.figure)
        return [labels.figure_named % {"label": labels.figure, "figure": figure}, thresholds, ""]
    anchors = getattr(measure, "anchors", ())
    return [labels.judgement, "", "\n".join(f"{level}. {text}" for level, text in
                                              enumerate(anchors, start=1))]


def submission_rows(
    workshop: Workshop,
    evaluation: Evaluation,
    candidate_names: Mapping[str, str],
    labels: SubmissionLabels,
) -> list[list[Cell]]:
    """Return the submission as blocks of rows separated by blank lines, trainee text as typed."""
    rows: list[list[Cell]] = [[labels.criteria]]
    rows.append(
        [labels.criterion, labels.description, labels.weight, labels.measure, labels.thresholds,
         labels.anchors]
    )
    for criterion in workshop.criteria:
        rows.append(
            [
                criterion.name,
                criterion.description,
                criterion.weight,
                *_measure_cells(criterion.measure, labels),
            ]
        )

    rows += [[], [labels.ranking]]
    rows.append(
        [
            labels.rank,
            labels.candidate,
            *(criterion.name for criterion in workshop.criteria),
            labels.score,
            labels.key_account,
        ]
    )
    for ranked in evaluation.ranking:
        rows.append(
            [
                ranked.rank,
                candidate_names.get(ranked.candidate_id, ranked.candidate_id),
                *ranked.points,
                round(ranked.score, 1),
                labels.yes if ranked.is_key_account else "",
            ]
        )

    cutoff_kind = labels.top_n if workshop.cutoff.kind == CUTOFF_TOP_N else labels.min_score
    value = workshop.cutoff.value
    rows += [[], [labels.cutoff, cutoff_kind, None if value is None else f"{value:g}"]]
    rows.append([labels.justification, workshop.justification])

    rows += [[], [labels.kpis]]
    rows.append(
        [
            labels.kpi,
            labels.definition,
            labels.unit,
            labels.target,
            labels.frequency,
            labels.data_source,
            labels.responsibility,
        ]
    )
    for kpi in workshop.kpis:
        rows.append(
            [
                kpi.name,
                kpi.definition,
                kpi.unit,
                kpi.target,
                labels.frequency_names.get(kpi.frequency, kpi.frequency),
                kpi.data_source,
                labels.responsibility_names.get(kpi.responsibility, kpi.responsibility),
            ]
        )
    return rows


@dataclass(frozen=True)
class SubmissionHeading:
    """Whose submission this is, and where it stands; the status arrives translated."""

    name: str
    email: str
    version: int
    submitted_at: str
    status: str


@dataclass(frozen=True)
class HeadingLabels:
    trainee: str
    email: str
    version: str
    submitted: str
    status: str


def heading_rows(heading: SubmissionHeading, labels: HeadingLabels) -> list[list[Cell]]:
    """Return the rows that name the trainee and the version, then a blank line."""
    return [
        [labels.trainee, heading.name],
        [labels.email, heading.email],
        [labels.version, heading.version],
        [labels.submitted, csv_time(heading.submitted_at)],
        [labels.status, heading.status],
        [],
    ]


@dataclass(frozen=True)
class GradeLabels:
    grade: str
    criterion: str
    points: str
    comment: str
    total: str
    overall_comment: str


def grade_rows(rubric: Rubric, sheet: GradeSheet | None, labels: GradeLabels) -> list[list[Cell]]:
    """Return the grade as saved: points and comment per rubric criterion, total, overall comment."""
    sheet = sheet or GradeSheet()
    rows: list[list[Cell]] = [[], [labels.grade], [labels.criterion, labels.points, labels.comment]]
    for criterion in rubric.criteria:
        rows.append([f"{criterion.title} ({criterion.max_points})",
                     sheet.levels.get(criterion.id), sheet.comment(criterion.id)])
    rows.append([f"{labels.total} ({rubric.max_points})",
                 rubric_total(rubric, sheet.levels) if sheet.levels else None])
    rows.append([labels.overall_comment, sheet.overall_comment])
    return rows
