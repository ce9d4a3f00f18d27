"""The workshop submissions a trainer grades, read through the workshop area's store."""

from __future__ import annotations

from typing import Any

from flask import abort
from sqlite_utils import Database

from courseware.db import fetch_all
from courseware.workshop.store import Submission, load_submission
from courseware.workshop.store import statuses as workshop_statuses

__all__ = ["Submission", "grading_queue", "is_latest_version", "previous_submission",
           "submission_in_cohort_or_404",
           "versions_of_trainee", "workshop_statuses"]


def submission_in_cohort_or_404(db: Database, cohort_id: int, submission_id: int) -> Submission:
    """Return the submission if it belongs to the cohort; 404 otherwise (no hint it exists)."""
    submission = load_submission(db, submission_id)
    if submission is None or submission.cohort_id != cohort_id:
        abort(404)
    # A trainee removed from the cohort keeps their work under it, out of the trainer's reach
    # until restored.
    in_cohort = db.execute("SELECT 1 FROM users WHERE id = ? AND cohort_id = ?",
                           [submission.user_id, cohort_id]).fetchone()
    if in_cohort is None:
        abort(404)
    return submission


def is_latest_version(db: Database, submission: Submission) -> bool:
    """Tell whether no later version of this trainee's workshop has been submitted."""
    row = db.execute(
        "SELECT max(version) FROM workshop_submissions WHERE user_id = ?", [submission.user_id]
    ).fetchone()
    return row[0] == submission.version


def previous_submission(db: Database, submission: Submission) -> Submission | None:
    """Return the trainee's version before this one, or None for their first."""
    row = db.execute(
        "SELECT id FROM workshop_submissions WHERE user_id = ? AND version = ?",
        [submission.user_id, submission.version - 1],
    ).fetchone()
    return load_submission(db, row[0]) if row else None


def versions_of_trainee(db: Database, trainee_id: int) -> list[dict[str, Any]]:
    """Return every submitted version of a trainee, newest first, without the workshop body."""
    return list(
        fetch_all(
            db,
            """SELECT id, version, status, submitted_at, status_changed_at
               FROM workshop_submissions WHERE user_id = ? ORDER BY version DESC""",
            [trainee_id],
        )
    )


def grading_queue(db: Database, cohort_id: int) -> list[tuple[int, bool]]:
    """Return each trainee's latest submission (id, still to grade), oldest hand-in first."""
    rows = db.execute(
        """SELECT submission.id, submission.status = 'submitted'
           FROM workshop_submissions AS submission
           JOIN users ON users.id = submission.user_id AND users.cohort_id = submission.cohort_id
           WHERE submission.cohort_id = ?
             AND submission.version = (SELECT max(version) FROM workshop_submissions
                                       WHERE user_id = submission.user_id)
           ORDER BY submission.submitted_at, submission.id""",
        [cohort_id],
    ).fetchall()
    return [(submission_id, bool(todo)) for submission_id, todo in rows]
