"""CSV exports that Excel opens correctly (Chinese included) and cannot be turned into formulas."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from courseware.trainer.rubric import Rubric
from courseware.trainer.sheet import rubric_total

# Spreadsheets evaluate a cell starting with these as a formula (OWASP "CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
Cell = str | int | float | None


def neutralise_cell(value: Cell) -> str | int | float:
    """Return the value safe to write: text that could start a formula gets a leading quote."""
    if value is None:
        return ""
    # Numbers we computed ourselves are data, never formulas; leave them numeric for Excel.
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    text = str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def csv_bytes(header: Sequence[Cell], rows: Iterable[Sequence[Cell]]) -> bytes:
    """Write a header and rows as UTF-8 CSV with a byte-order mark, every cell neutralised."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([neutralise_cell(cell) for cell in row])
    # The BOM is what makes Excel read the file as UTF-8 rather than the local code page.
    return buffer.getvalue().encode("utf-8-sig")


@dataclass(frozen=True)
class ResultRow:
    """One trainee's line in the cohort export; labels arrive already translated."""

    name: str
    email: str
    pages_read: int
    quiz_best_percent: float | None
    quiz_passed: bool | None
    status_label: str
    version: int | None
    levels: Mapping[str, int] = field(default_factory=dict)
    graded: bool = False


@dataclass(frozen=True)
class ResultLabels:
    """The translated column headings and yes/no words for the cohort export."""

    name: str
    email: str
    pages_read: str
    quiz_best: str
    quiz_passed: str
    status: str
    version: str
    total: str
    yes: str
    no: str
    # A heading with its points in brackets; the brackets are the language's own (（20） in
    # Chinese), so they come translated rather than typed here.
    with_points: str = "%(label)s (%(points)s)"


def cohort_results_table(
    rubric: Rubric, rows: Sequence[ResultRow], labels: ResultLabels
) -> tuple[list[Cell], list[list[Cell]]]:
    """Lay out the cohort's results: one column per rubric criterion, then the total."""
    header: list[Cell] = [
        labels.name,
        labels.email,
        labels.pages_read,
        labels.quiz_best,
        labels.quiz_passed,
        labels.status,
        labels.version,
        *(labels.with_points % {"label": criterion.title, "points": criterion.max_points}
          for criterion in rubric.criteria),
        labels.with_points % {"label": labels.total, "points": rubric.max_points},
    ]
    table: list[list[Cell]] = []
    for row in rows:
        passed: Cell = None
        if row.quiz_passed is not None:
            passed = labels.yes if row.quiz_passed else labels.no
        criterion_cells: list[Cell] = [
            row.levels.get(criterion.id) if row.graded else None for criterion in rubric.criteria
        ]
        total: Cell = rubric_total(rubric, row.levels) if row.graded else None
        table.append(
            [
                row.name,
                row.email,
                row.pages_read,
                row.quiz_best_percent,
                passed,
                row.status_label,
                row.version,
                *criterion_cells,
                total,
            ]
        )
    return header, table
