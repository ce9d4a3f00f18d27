"""CSV exports that Excel opens correctly (Chinese included) and cannot be turned into formulas."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import quote

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


# Characters no file name may hold on Windows or macOS, and control characters.
_UNSAFE_IN_FILE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


def export_filename(*parts: str, day: date, extension: str = "csv") -> str:
    """Return a file name of the parts and the day, e.g. "Spring cohort results 2026-12-07.csv"."""
    words = [_UNSAFE_IN_FILE_NAME.sub(" ", part).strip(" .") for part in parts]
    stem = " ".join(" ".join(word.split()) for word in words if word)
    return f"{stem} {day.isoformat()}.{extension}".lstrip()


def content_disposition(filename: str) -> str:
    """Return an attachment header any browser reads, the UTF-8 name (RFC 6266) with an ASCII one."""
    fallback = " ".join(re.sub(r"[^A-Za-z0-9._-]+", " ", filename).split())
    if fallback.startswith("."):
        fallback = "export" + fallback
    return f'attachment; filename="{fallback}"; filename*=UTF-8\'\'{quote(filename, safe="")}'


def csv_time(iso: str | None) -> str:
    """Return a stored UTC moment as "2026-12-07 09:30", which spreadsheets read as a date."""
    if not iso:
        return ""
    return iso.replace("T", " ").removesuffix("Z")[:16]


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
    quiz_best_at: str | None = None  # when the best score was first reached (UTC)
    quiz_attempts: int = 0
    overall_comment: str = ""  # the trainer's, once released or returned
    released_at: str | None = None


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
    quiz_best_at: str = "Quiz best score on (UTC)"
    quiz_attempts: str = "Quiz attempts"
    overall_comment: str = "Overall comment"
    released_at: str = "Grade released on (UTC)"


def cohort_results_table(
    rubric: Rubric, rows: Sequence[ResultRow], labels: ResultLabels
) -> tuple[list[Cell], list[list[Cell]]]:
    """Lay out the cohort's results: one column per rubric criterion, then the total."""
    header: list[Cell] = [
        labels.name,
        labels.email,
        labels.pages_read,
        labels.quiz_best,
        labels.quiz_best_at,
        labels.quiz_attempts,
        labels.quiz_passed,
        labels.status,
        labels.version,
        *(labels.with_points % {"label": criterion.title, "points": criterion.max_points}
          for criterion in rubric.criteria),
        labels.with_points % {"label": labels.total, "points": rubric.max_points},
        labels.overall_comment,
        labels.released_at,
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
                csv_time(row.quiz_best_at),
                row.quiz_attempts,
                passed,
                row.status_label,
                row.version,
                *criterion_cells,
                total,
                row.overall_comment,
                csv_time(row.released_at) if row.graded else "",
            ]
        )
    return header, table
