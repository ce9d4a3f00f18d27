"""Trainees removed from a cohort: kept for 30 days to restore, then deleted for good."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from courseware.auth.users import end_sessions
from courseware.db import fetch_all
from courseware.trainer.retention import purge_before, restorable_until, stored_time


def remove_trainee(db: Database, *, cohort_id: int, trainee_id: int, trainer_id: int,
                   now: float) -> None:
    """Take the trainee out of the cohort, keeping their work, and end every session of theirs."""
    db.execute("UPDATE users SET cohort_id = NULL WHERE id = ? AND cohort_id = ? AND role = 'trainee'",
               [trainee_id, cohort_id])
    db.execute(
        "INSERT OR REPLACE INTO removed_trainees (user_id, cohort_id, removed_by, removed_at)"
        " VALUES (?, ?, ?, ?)",
        [trainee_id, cohort_id, trainer_id, stored_time(now)],
    )
    end_sessions(db, trainee_id)


def removed_from_cohort(db: Database, cohort_id: int, keep_days: int) -> list[dict[str, Any]]:
    """Return the cohort's removed trainees (id, name, email, removed_at, until), newest first."""
    rows = fetch_all(
        db,
        """SELECT users.id, users.name, users.email, removed_trainees.removed_at
           FROM removed_trainees JOIN users ON users.id = removed_trainees.user_id
           WHERE removed_trainees.cohort_id = ?
           ORDER BY removed_trainees.removed_at DESC, users.id""",
        [cohort_id],
    )
    return [{**row, "until": restorable_until(row["removed_at"], keep_days)} for row in rows]


def removal_of(db: Database, user_id: int, keep_days: int) -> dict[str, Any] | None:
    """Return the trainee's removal (cohort name, removed_at, until), or None if not removed."""
    rows = fetch_all(
        db,
        """SELECT cohorts.name AS cohort_name, removed_trainees.removed_at
           FROM removed_trainees JOIN cohorts ON cohorts.id = removed_trainees.cohort_id
           WHERE removed_trainees.user_id = ?""",
        [user_id],
    )
    if not rows:
        return None
    return {**rows[0], "until": restorable_until(rows[0]["removed_at"], keep_days)}


def restore_trainee(db: Database, *, cohort_id: int, trainee_id: int) -> bool:
    """Put a removed trainee back in the cohort with all their work; False if not removed from it."""
    rows = db.execute(
        "SELECT 1 FROM removed_trainees WHERE user_id = ? AND cohort_id = ?", [trainee_id, cohort_id]
    ).fetchall()
    if not rows:
        return False
    db.execute("UPDATE users SET cohort_id = ? WHERE id = ? AND role = 'trainee'",
               [cohort_id, trainee_id])
    db.execute("DELETE FROM removed_trainees WHERE user_id = ?", [trainee_id])
    return True


def expired_removals(db: Database, now: float, keep_days: int) -> bool:
    """Tell whether any removal is past keeping (a read, so a page visit seldom writes)."""
    return db.execute("SELECT 1 FROM removed_trainees WHERE removed_at < ? LIMIT 1",
                      [purge_before(now, keep_days)]).fetchone() is not None


def purge_expired(db: Database, now: float, keep_days: int) -> list[str]:
    """Delete for good every trainee removed more than `keep_days` ago; return their emails.

    Deleting the account deletes, by the tables' foreign keys, their pages read, quiz
    attempts and answers, workshop drafts and versions, grades and reset links.
    """
    rows = db.execute(
        """SELECT users.id, users.email FROM removed_trainees
           JOIN users ON users.id = removed_trainees.user_id
           WHERE removed_trainees.removed_at < ? AND users.role = 'trainee'""",
        [purge_before(now, keep_days)],
    ).fetchall()
    for user_id, email in rows:
        db.execute("DELETE FROM sign_in_failures WHERE email = ?", [email])
        db.execute("DELETE FROM users WHERE id = ? AND role = 'trainee'", [user_id])
    return [email for _user_id, email in rows]
