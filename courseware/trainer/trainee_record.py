"""One trainee's record for their trainer: the pages read and when, read in a query or two."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from flask import abort
from sqlite_utils import Database

from courseware.db import fetch_all


class _Page(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def title(self) -> str: ...


@dataclass(frozen=True)
class PageRead:
    """One module page as the trainer sees it on a trainee's record."""

    page_id: str
    title: str
    first_read_at: str | None  # None: not opened yet


def reading_record(pages: Sequence[_Page], first_read: Mapping[str, str]) -> list[PageRead]:
    """Return every module page in order with the moment the trainee first opened it."""
    return [PageRead(page.id, page.title, first_read.get(page.id)) for page in pages]


def first_read_dates(db: Database, user_id: int) -> dict[str, str]:
    """Return when the trainee first opened each page they have read, by page id."""
    return dict(db.execute(
        "SELECT page_id, first_viewed_at FROM page_views WHERE user_id = ?", [user_id]
    ).fetchall())


def trainee_in_cohort_or_404(db: Database, cohort_id: int, trainee_id: int) -> dict[str, Any]:
    """Return the trainee (id, name, email) if they are in the cohort; 404 otherwise."""
    rows = fetch_all(
        db,
        "SELECT id, name, email, created_at FROM users"
        " WHERE id = ? AND cohort_id = ? AND role = 'trainee'",
        [trainee_id, cohort_id],
    )
    if not rows:
        abort(404)
    return rows[0]


# Every table that files a trainee's work under their cohort; quiz attempts and pages read
# follow the trainee alone.
_COHORT_TABLES = ("workshop_drafts", "workshop_submissions", "grades")


def move_trainee(db: Database, trainee_id: int, to_cohort: int) -> None:
    """Move the trainee, with their workshop versions, drafts and grades, to another cohort."""
    db.execute("UPDATE users SET cohort_id = ? WHERE id = ? AND role = 'trainee'",
               [to_cohort, trainee_id])
    for table in _COHORT_TABLES:
        column = "trainee_id" if table == "grades" else "user_id"
        db.execute(f"UPDATE {table} SET cohort_id = ? WHERE {column} = ?",  # noqa: S608 # nosec B608: our table names
                   [to_cohort, trainee_id])
