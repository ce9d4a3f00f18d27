"""The cohort dashboard's rows: each trainee's progress, sorting, counts, the grading queue."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from operator import attrgetter, itemgetter
from typing import NamedTuple

# The workshop store's statuses, as the trainer reads them; `released` means graded.
NOT_STARTED = "not_started"
DRAFT = "draft"
SUBMITTED = "submitted"
RETURNED = "returned"
GRADED = "graded"
DASHBOARD_STATUSES = (NOT_STARTED, DRAFT, SUBMITTED, RETURNED, GRADED)
SORT_KEYS = ("name", "pages", "quiz", "status", "grade")


class TraineeProgress(NamedTuple):
    """One trainee's line on the dashboard.

    A named tuple, not a dataclass: a cohort of 500 builds 500 of them per page, and the page
    keeps each row's HTML keyed by the row itself, so building, hashing and comparing them
    must be cheap.
    """

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


_STATUS_ORDER = {status: index for index, status in enumerate(DASHBOARD_STATUSES)}
_SORT_VALUES: dict[str, Callable[[TraineeProgress], float | str | int | None]] = {
    "name": lambda row: row.name.casefold(),
    "pages": attrgetter("pages_read"),
    "quiz": attrgetter("quiz_best_percent"),
    "status": lambda row: _STATUS_ORDER[row.status],
    "grade": attrgetter("grade_total"),
}


def _name_order(row: TraineeProgress) -> tuple[str, int]:
    return row.name.casefold(), row.user_id


def sort_progress(
    rows: Iterable[TraineeProgress], key: str, descending: bool = False
) -> list[TraineeProgress]:
    """Sort rows by a column; blanks go last either way and ties fall back to the name."""
    value = _SORT_VALUES.get(key, _SORT_VALUES["name"])
    # Each row's value is taken once: a cohort of 500 sorts on every page load.
    valued = [(value(row), row) for row in sorted(rows, key=_name_order)]
    present = [pair for pair in valued if pair[0] is not None]
    blank = [row for sort_value, row in valued if sort_value is None]
    # sort() is stable, so rows with equal values keep the name order.
    present.sort(key=itemgetter(0), reverse=descending)
    return [row for _value, row in present] + blank


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
