"""The debrief's table: the trainer's reference solution for a cohort's workshop."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("courseware.debrief")


@migrations(name="0009_debrief_reference")
def _reference(db: Database) -> None:
    # One reference per cohort: a submitted version the trainer marks as the model answer,
    # shown beside the room's ranking. A submitted version never changes, so the reference
    # cannot drift; deleting the version (or the cohort) removes the mark with it.
    db.executescript(
        """
        CREATE TABLE debrief_references (
            cohort_id INTEGER PRIMARY KEY REFERENCES cohorts(id) ON DELETE CASCADE,
            submission_id INTEGER NOT NULL
                REFERENCES workshop_submissions(id) ON DELETE CASCADE,
            set_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
            set_at TEXT NOT NULL
        );
        """
    )
