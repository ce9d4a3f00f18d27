"""The trainer's tables: a grade per submitted version, and each trainer's comment bank."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("courseware.trainer")


@migrations(name="0001_grades_comment_bank")
def _grades_and_comment_bank(db: Database) -> None:
    # One grade per submitted version (keyed by the submission id), so returning a version and
    # grading its successor keeps the earlier grade as history. `revision` counts saves: a
    # save must name the revision its page started from, which is how a second trainer's
    # stale save is caught instead of silently overwriting the first.
    db.executescript(
        """
        CREATE TABLE grades (
            submission_id INTEGER PRIMARY KEY
                REFERENCES workshop_submissions(id) ON DELETE CASCADE,
            cohort_id INTEGER NOT NULL REFERENCES cohorts(id) ON DELETE CASCADE,
            trainee_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            version INTEGER NOT NULL,
            sheet TEXT NOT NULL DEFAULT '{}',
            total INTEGER NOT NULL DEFAULT 0,
            revision INTEGER NOT NULL DEFAULT 0,
            outcome TEXT NOT NULL DEFAULT 'draft'
                CHECK (outcome IN ('draft', 'released', 'returned')),
            saved_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
            saved_at TEXT,
            decided_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
            decided_at TEXT
        );
        CREATE INDEX grades_cohort ON grades(cohort_id);
        CREATE INDEX grades_trainee ON grades(trainee_id, version);
        CREATE TABLE comment_bank (
            id INTEGER PRIMARY KEY,
            trainer_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            target TEXT NOT NULL,
            text TEXT NOT NULL,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            UNIQUE (trainer_id, target, text)
        );
        """
    )


@migrations(name="0002_progress_version")
def _progress_version(db: Database) -> None:
    """Nothing now: the accounts' 0003 removes what this once added from the databases that have it."""


@migrations(name="0006_grade_seen_by_trainee")
def _grade_seen(db: Database) -> None:
    # When the trainee first opened their feedback after the grade was released or returned:
    # until then the home page and the navigation tell them there is something to read.
    db.execute("ALTER TABLE grades ADD COLUMN seen_at TEXT")


@migrations(name="0007_removed_trainees")
def _removed_trainees(db: Database) -> None:
    # A trainee removed from their cohort: their account leaves the cohort (users.cohort_id
    # becomes NULL, so every roster, queue, export and statistic leaves them out) and this row
    # remembers where to put them back. Their work keeps its cohort, untouched, until restored
    # or deleted for good with the account.
    db.executescript(
        """
        CREATE TABLE removed_trainees (
            user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
            cohort_id INTEGER NOT NULL REFERENCES cohorts(id) ON DELETE CASCADE,
            removed_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
            removed_at TEXT NOT NULL
        );
        CREATE INDEX removed_trainees_cohort ON removed_trainees(cohort_id, removed_at);
        CREATE INDEX removed_trainees_at ON removed_trainees(removed_at);
        """
    )
