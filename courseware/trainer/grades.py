"""Grades in the database: one per submitted version, saved as drafts, then released or returned.

Writers pass the connection of an open `courseware.db.write()` block, so that reading the
stored revision and writing the next one happen under the same lock.
"""

from __future__ import annotations

import calendar
import json
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from courseware.db import TIME_FORMAT, fetch_all, utc_now
from courseware.trainer.rubric import Rubric
from courseware.trainer.sheet import GradeSheet, rubric_total
from courseware.workshop.model import RELEASED, RETURNED, SUBMITTED

DRAFT = "draft"

_GRADE_QUERY = """
    SELECT grades.*, saver.name AS saved_by_name
    FROM grades LEFT JOIN users AS saver ON saver.id = grades.saved_by
"""


@dataclass(frozen=True)
class StoredGrade:
    """A grade as stored: the sheet, its revision, and whether it was released or returned."""

    submission_id: int
    cohort_id: int
    trainee_id: int
    version: int
    sheet: GradeSheet
    total: int
    revision: int
    outcome: str
    saved_by_name: str | None
    saved_at: str | None
    decided_at: str | None

    @property
    def is_released(self) -> bool:
        """Tell whether the trainee may see the grade and its total."""
        return self.outcome == RELEASED

    @property
    def is_visible_to_trainee(self) -> bool:
        """Tell whether the trainee may read this feedback (released or returned)."""
        return self.outcome in (RELEASED, RETURNED)

    def trainee_sees(self, settled_before: str) -> bool:
        """Tell whether the trainee sees it now: decided, and no longer open to undo."""
        return self.is_visible_to_trainee and (self.decided_at or "") <= settled_before

    def can_undo(self, settled_before: str) -> bool:
        """Tell whether the release or return may still be taken back."""
        return self.is_visible_to_trainee and (self.decided_at or "") > settled_before


class GradeConflict(Exception):
    """Someone saved the grade since this page loaded; `stored` is what they saved."""

    def __init__(self, stored: StoredGrade) -> None:
        super().__init__(f"grade of submission {stored.submission_id} is at {stored.revision}")
        self.stored = stored


def _grade(row: dict[str, Any]) -> StoredGrade:
    try:
        raw = json.loads(row["sheet"])
    except ValueError:
        raw = {}
    return StoredGrade(
        submission_id=row["submission_id"],
        cohort_id=row["cohort_id"],
        trainee_id=row["trainee_id"],
        version=row["version"],
        sheet=GradeSheet.from_dict(raw),
        total=row["total"],
        revision=row["revision"],
        outcome=row["outcome"],
        saved_by_name=row.get("saved_by_name"),
        saved_at=row["saved_at"],
        decided_at=row["decided_at"],
    )


def load_grade(db: Database, submission_id: int) -> StoredGrade | None:
    """Return the grade of one submitted version, or None before any save."""
    rows = fetch_all(db, _GRADE_QUERY + " WHERE grades.submission_id = ?", [submission_id])
    return _grade(rows[0]) if rows else None


def grades_of_trainee(db: Database, trainee_id: int) -> dict[int, StoredGrade]:
    """Return every grade of one trainee's versions, keyed by submission id."""
    rows = fetch_all(db, _GRADE_QUERY + " WHERE grades.trainee_id = ?", [trainee_id])
    return {row["submission_id"]: _grade(row) for row in rows}


def grades_of_cohort(db: Database, cohort_id: int) -> dict[int, StoredGrade]:
    """Return every grade in the cohort keyed by submission id, in one query."""
    rows = fetch_all(db, _GRADE_QUERY + " WHERE grades.cohort_id = ?", [cohort_id])
    return {row["submission_id"]: _grade(row) for row in rows}


def released_totals(db: Database, cohort_id: int) -> dict[int, int]:
    """Return the total of every released grade in the cohort by submission id, in one query."""
    # The dashboard shows only the totals, so it reads no grade's sheet.
    return dict(db.execute(
        "SELECT submission_id, total FROM grades WHERE cohort_id = ? AND outcome = ?",
        [cohort_id, RELEASED],
    ).fetchall())


def save_sheet(
    db: Database,
    *,
    submission: Any,
    rubric: Rubric,
    sheet: GradeSheet,
    expected_revision: int,
    trainer_id: int,
) -> StoredGrade:
    """Store the sheet as the next revision, or raise GradeConflict if the page was stale."""
    stored = load_grade(db, submission.id)
    current_revision = stored.revision if stored else 0
    # With nothing stored there is nothing to overwrite, whatever revision the page claims.
    if stored is not None and expected_revision != current_revision:
        raise GradeConflict(stored)
    db["grades"].upsert(
        {
            "submission_id": submission.id,
            "cohort_id": submission.cohort_id,
            "trainee_id": submission.user_id,
            "version": submission.version,
            "sheet": json.dumps(sheet.to_dict(), ensure_ascii=False),
            "total": rubric_total(rubric, sheet.levels),
            "revision": current_revision + 1,
            "saved_by": trainer_id,
            "saved_at": utc_now(),
        },
        pk="submission_id",
    )
    saved = load_grade(db, submission.id)
    if saved is None:  # cannot happen: the upsert above wrote it in this transaction
        raise RuntimeError(f"grade of submission {submission.id} vanished while saving")
    return saved


def record_decision(db: Database, *, submission_id: int, outcome: str, trainer_id: int) -> None:
    """Mark the grade released or returned, and give the submission the matching status."""
    moment = utc_now()
    db.execute(
        "UPDATE grades SET outcome = ?, decided_by = ?, decided_at = ? WHERE submission_id = ?",
        [outcome, trainer_id, moment, submission_id],
    )
    db.execute(
        "UPDATE workshop_submissions SET status = ?, status_changed_at = ? WHERE id = ?",
        [outcome, moment, submission_id],
    )


def carried_over(grades: Iterable[StoredGrade], version: int) -> StoredGrade | None:
    """Return the grade of the version before `version` if it went back to the trainee.

    That grade's levels and comments are where grading the resubmission starts.
    """
    return next((grade for grade in grades
                 if grade.version == version - 1 and grade.outcome == RETURNED), None)


def settled_before(window_seconds: int) -> str:
    """Return the moment before which releases and returns can no longer be undone."""
    return time.strftime(TIME_FORMAT, time.gmtime(time.time() - window_seconds))


def undo_deadline(decided_at: str, window_seconds: int) -> str:
    """Return when a release or return made at `decided_at` becomes final."""
    moment = calendar.timegm(time.strptime(decided_at, TIME_FORMAT))
    return time.strftime(TIME_FORMAT, time.gmtime(moment + window_seconds))


def undo_decision(db: Database, submission_id: int) -> None:
    """Take back a release or return: the grade is a draft again and the work waits to be graded."""
    db.execute(
        "UPDATE grades SET outcome = ?, decided_by = NULL, decided_at = NULL, seen_at = NULL"
        " WHERE submission_id = ?",
        [DRAFT, submission_id],
    )
    db.execute(
        "UPDATE workshop_submissions SET status = ?, status_changed_at = ? WHERE id = ?",
        [SUBMITTED, utc_now(), submission_id],
    )


def unseen_feedback(db: Database, trainee_id: int, settled: str) -> tuple[str, int] | None:
    """Return (outcome, version) of the trainee's newest released or returned grade not yet read."""
    row = db.execute(
        """SELECT outcome, version FROM grades
           WHERE trainee_id = ? AND outcome IN (?, ?) AND seen_at IS NULL AND decided_at <= ?
           ORDER BY version DESC LIMIT 1""",
        [trainee_id, RELEASED, RETURNED, settled],
    ).fetchone()
    return (row[0], row[1]) if row else None


def mark_feedback_seen(db: Database, trainee_id: int, settled: str) -> None:
    """Note that the trainee has read every feedback shown to them so far."""
    db.execute(
        "UPDATE grades SET seen_at = ? WHERE trainee_id = ? AND outcome IN (?, ?)"
        " AND seen_at IS NULL AND decided_at <= ?",
        [utc_now(), trainee_id, RELEASED, RETURNED, settled],
    )
