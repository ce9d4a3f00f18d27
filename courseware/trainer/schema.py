"""The trainer's tables: a grade per submitted version, each trainer's comment bank, and the
cohort's progress version that tells the dashboard when its rows changed."""

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


# What the dashboard shows of each trainee, and where it comes from: a change to any of
# these rows bumps the cohort's progress_version, so the dashboard's rows (kept per worker
# by that version) are never stale, and the changes it does not show (a draft's text, a
# page read again, an unsubmitted quiz's answers) leave them kept.
# (table, event, the columns an update must change, the cohorts it touches)
_USERS_OF = "SELECT cohort_id FROM users WHERE id IN ({})"
PROGRESS_SOURCES: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
    ("users", "INSERT", (), "NEW.cohort_id"),
    ("users", "UPDATE", ("name", "email", "role", "cohort_id"), "OLD.cohort_id, NEW.cohort_id"),
    ("users", "DELETE", (), "OLD.cohort_id"),
    ("cohorts", "UPDATE", ("pass_mark",), "NEW.id"),
    ("page_views", "INSERT", (), _USERS_OF.format("NEW.user_id")),
    ("page_views", "UPDATE", ("user_id",), _USERS_OF.format("OLD.user_id, NEW.user_id")),
    ("page_views", "DELETE", (), _USERS_OF.format("OLD.user_id")),
    ("quiz_attempts", "INSERT", (), _USERS_OF.format("NEW.user_id")),
    ("quiz_attempts", "UPDATE", ("user_id", "submitted_at", "percent"),
     _USERS_OF.format("OLD.user_id, NEW.user_id")),
    ("quiz_attempts", "DELETE", (), _USERS_OF.format("OLD.user_id")),
    ("workshop_drafts", "INSERT", (), "NEW.cohort_id"),
    ("workshop_drafts", "UPDATE", ("user_id", "cohort_id"), "OLD.cohort_id, NEW.cohort_id"),
    ("workshop_drafts", "DELETE", (), "OLD.cohort_id"),
    ("workshop_submissions", "INSERT", (), "NEW.cohort_id"),
    ("workshop_submissions", "UPDATE", ("user_id", "cohort_id", "version", "status"),
     "OLD.cohort_id, NEW.cohort_id"),
    ("workshop_submissions", "DELETE", (), "OLD.cohort_id"),
    ("grades", "INSERT", (), "NEW.cohort_id"),
    ("grades", "UPDATE", ("submission_id", "cohort_id", "total", "outcome"),
     "OLD.cohort_id, NEW.cohort_id"),
    ("grades", "DELETE", (), "OLD.cohort_id"),
)


@migrations(name="0002_progress_version")
def _progress_version(db: Database) -> None:
    db.execute("ALTER TABLE cohorts ADD COLUMN progress_version INTEGER NOT NULL DEFAULT 0")
    for number, (table, event, columns, cohorts) in enumerate(PROGRESS_SOURCES):
        # An update counts only when it changes a watched column: saving a draft sets
        # every column, its cohort included, to what it was.
        when = " OR ".join(f"OLD.{column} IS NOT NEW.{column}" for column in columns)
        db.execute(
            f"""CREATE TRIGGER progress_version_{number}
                AFTER {event}{" OF " + ", ".join(columns) if columns else ""} ON {table}
                {"WHEN " + when if when else ""}
                BEGIN
                    UPDATE cohorts SET progress_version = progress_version + 1
                    WHERE id IN ({cohorts});
                END"""  # noqa: S608 # nosec B608: the names are the constants above
        )
