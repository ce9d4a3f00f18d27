"""Gather a cohort's progress for the dashboard and the export: one query per area."""

from __future__ import annotations

from sqlite_utils import Database

from courseware.grading.dashboard import TraineeProgress, dashboard_status
from courseware.quiz.store import best_scores
from courseware.trainer.grades import released_totals
from courseware.trainer.submissions import workshop_statuses


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
