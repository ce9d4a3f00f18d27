"""The cohort dashboard's rows: each trainee's progress, sorting, counts, the grading queue."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# The workshop store's statuses, as the trainer reads them; `released` means graded.
NOT_STARTED = "not_started"
DRAFT = "draft"
SUBMITTED = "submitted"
RETURNED = "returned"
GRADED = "graded"
DASHBOARD_STATUSES = (NOT_STARTED, DRAFT, SUBMITTED, RETURNED, GRADED)
SORT_KEYS = ("name", "pages", "quiz", "status", "grade")


@dataclass(frozen=True)
class TraineeProgress:
    """One trainee's line on the dashboard."""

    user_id: int
    name: str
    email: str
    pages_read: int
    quiz_best_percent: float | None
    quiz_passed: bool | None
    quiz_attempts: int
    status: str
    version: int | None
    submission_id: int | None
    grade_total: int | None

    @property
    def needs_grading(self) -> bool:
        """Tell whether the trainee is waiting for the trainer."""
        return self.status == SUBMITTED


def dashboard_status(store_status: str | None) -> str:
    """Map the workshop store's status (None when nothing saved yet) to the dashboard's."""
    if store_status is None:
        return NOT_STARTED
    if store_status == "released":
        return GRADED
    if store_status in DASHBOARD_STATUSES:
        return store_status
    return NOT_STARTED


def _sort_value(row: TraineeProgress, key: str) -> float | str | int | None:
    if key == "pages":
        return row.pages_read
    if key == "quiz":
        return row.quiz_best_percent
    if key == "status":
        return DASHBOARD_STATUSES.index(row.status)
    if key == "grade":
        return row.grade_total
    return row.name.casefold()


def sort_progress(
    rows: Iterable[TraineeProgress], key: str, descending: bool = False
) -> list[TraineeProgress]:
    """Sort rows by a column; blanks go last either way and ties fall back to the name."""
    if key not in SORT_KEYS:
        key = "name"
    by_name = sorted(rows, key=lambda row: (row.name.casefold(), row.user_id))
    present = [row for row in by_name if _sort_value(row, key) is not None]
    blank = [row for row in by_name if _sort_value(row, key) is None]
    # sorted() is stable, so rows with equal values keep the name order from by_name.
    present.sort(key=lambda row: _sort_value(row, key), reverse=descending)
    return present + blank


def status_counts(rows: Iterable[TraineeProgress]) -> dict[str, int]:
    """Count trainees per workshop status, every status present even at zero."""
    counts = dict.fromkeys(DASHBOARD_STATUSES, 0)
    for row in rows:
        counts[row.status] = counts.get(row.status, 0) + 1
    return counts


def adjacent_ungraded(
    queue: Sequence[tuple[int, bool]], current: int
) -> tuple[int | None, int | None]:
    """Return the previous and next submission ids still to grade around the current one.

    `queue` lists (submission id, needs grading) in the order the trainer works through
    them; when the current one is not in it, the next is the first still to grade.
    """
    ids = [submission_id for submission_id, _ in queue]
    position = ids.index(current) if current in ids else -1
    before = queue[:position] if position >= 0 else []
    after = queue[position + 1 :]
    previous = next((sid for sid, todo in reversed(before) if todo), None)
    following = next((sid for sid, todo in after if todo), None)
    return previous, following
