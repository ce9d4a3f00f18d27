"""The quiz attempts export: one row per attempt, with the points of every question."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from courseware.trainer.export import Cell, csv_time


@dataclass(frozen=True)
class AttemptLine:
    """One graded attempt; `number` counts the trainee's attempts from 1, oldest first."""

    name: str
    email: str
    number: int
    submitted_at: str
    lang: str
    percent: float
    passed: bool
    points: Sequence[float]  # per question, in the bank's order


@dataclass(frozen=True)
class AttemptLabels:
    name: str
    email: str
    attempt: str
    submitted: str
    language: str
    percent: str
    passed: str
    yes: str
    no: str


def attempts_table(
    question_headings: Sequence[str], lines: Sequence[AttemptLine], labels: AttemptLabels
) -> tuple[list[Cell], list[list[Cell]]]:
    """Lay out the attempts: who, which attempt, when, the score, then one column per question."""
    header: list[Cell] = [labels.name, labels.email, labels.attempt, labels.submitted,
                          labels.language, labels.percent, labels.passed, *question_headings]
    rows: list[list[Cell]] = [
        [line.name, line.email, line.number, csv_time(line.submitted_at), line.lang,
         round(line.percent, 2), labels.yes if line.passed else labels.no,
         *(round(points, 2) for points in line.points)]
        for line in lines
    ]
    return header, rows
