"""The cohort's roster: each trainee's progress, read in one query per area, sorted, paged and
counted for the dashboard, the exports and the grading queue."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from operator import attrgetter, itemgetter
from typing import Generic, NamedTuple, TypeVar

from sqlite_utils import Database

from courseware.quiz.store import best_scores
from courseware.trainer.grades import released_totals
from courseware.trainer.submissions import workshop_statuses
from courseware.workshop.model import DRAFT, NOT_STARTED, RELEASED, RETURNED, SUBMITTED

DASHBOARD_STATUSES = (NOT_STARTED, DRAFT, SUBMITTED, RETURNED, RELEASED)
SORT_KEYS = ("name", "pages", "quiz", "status", "grade")
# Trainees in the dashboard's table at once; the counts above it cover the whole cohort.
TRAINEES_PER_PAGE = 100
# What a page number too long to read stands for: past the last page of any cohort.
_PAST_ANY_PAGE = 10**9

T = TypeVar("T")


class TraineeProgress(NamedTuple):
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


def requested_page(raw: str | None) -> int:
    """Read the page number in the address: 1 for anything that is not a whole number.

    A number out of range is left for page_of, which shows the nearest page there is.
    """
    text = (raw or "").strip()
    if not (text.isascii() and text.isdecimal()):
        return 1  # blank, words, "-2", "1.5": the first page is the nearest there is
    digits = text.lstrip("0") or "0"
    return int(digits) if len(digits) <= 9 else _PAST_ANY_PAGE


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a sorted list: the items it shows and where it stands among the pages."""

    items: Sequence[T]
    number: int  # from 1, always a page there is
    count: int  # pages in all: at least 1, even for an empty list
    first: int  # the position of the first item shown, from 1 (0 when there is none)
    last: int  # the position of the last item shown (0 when there is none)
    total: int  # items on all the pages

    @property
    def previous(self) -> int | None:
        """Return the number of the page before, or None on the first."""
        return self.number - 1 if self.number > 1 else None

    @property
    def following(self) -> int | None:
        """Return the number of the page after, or None on the last."""
        return self.number + 1 if self.number < self.count else None

    @property
    def numbers(self) -> list[int | None]:
        """Return the page numbers to link: both ends, two either side of this one, None for a gap."""
        around = range(self.number - 2, self.number + 3)
        shown = sorted(n for n in {1, self.count, *around} if 1 <= n <= self.count)
        numbers: list[int | None] = []
        before = 0
        for number in shown:
            if number - before == 2:
                numbers.append(number - 1)  # one page between: link it rather than a gap
            elif number - before > 2:
                numbers.append(None)
            numbers.append(number)
            before = number
        return numbers


def page_of(items: Sequence[T], number: int, size: int) -> Page[T]:
    """Return page `number` (from 1) of the items, `size` to a page; out of range, the nearest."""
    count = max(1, (len(items) + size - 1) // size)
    number = min(max(number, 1), count)
    start = (number - 1) * size
    shown = items[start : start + size]
    return Page(shown, number, count, start + 1 if shown else 0, start + len(shown), len(items))


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


def trainees_with_pages_read(db: Database, cohort_id: int) -> list[tuple[int, str, str, int]]:
    """Return (id, name, email, pages read) for every trainee of the cohort, in one query."""
    # A count per trainee over page_views' primary key, not a join grouped by user.
    return db.execute(
        """SELECT users.id, users.name, users.email,
                  (SELECT count(*) FROM page_views WHERE page_views.user_id = users.id)
           FROM users
           WHERE users.cohort_id = ? AND users.role = 'trainee'
           ORDER BY users.id""",
        [cohort_id],
    ).fetchall()


def cohort_progress(db: Database, cohort_id: int, pages_total: int) -> list[TraineeProgress]:
    """Return each trainee's progress.

    Four queries whatever the cohort's size: trainees and pages, quiz, workshop, grades.
    """
    trainees = trainees_with_pages_read(db, cohort_id)
    quiz = best_scores(db, cohort_id)
    workshop = workshop_statuses(db, cohort_id)
    totals = released_totals(db, cohort_id)
    rows = []
    for user_id, name, email, pages in trainees:
        summary = quiz.get(user_id)
        status = workshop.get(user_id)
        submission_id = status.latest_submission_id if status else None
        # In TraineeProgress's field order.
        rows.append(TraineeProgress(
            user_id,
            name,
            email,
            min(pages, pages_total),  # pages_read
            summary.best_percent if summary else None,  # quiz_best_percent
            summary.passed if summary else None,  # quiz_passed
            summary.attempts if summary else 0,  # quiz_attempts
            dashboard_status(status.status if status else None),  # status
            status.version if status else None,  # version
            submission_id,
            totals.get(submission_id) if submission_id is not None else None,  # grade_total
        ))
    return rows
