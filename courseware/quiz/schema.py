"""The quiz's tables, as a migration set of its own applied after the core set."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("courseware.quiz")


@migrations(name="0001_attempts_answers")
def _attempts_answers(db: Database) -> None:
    # Answers are stored by question, item and option id, never by text, so an attempt
    # taken in one language can be reviewed in the other. Draft answers of the attempt in
    # progress live in the same table, which is how switching language keeps them. Whether
    # an attempt passes is not stored: it is judged against the cohort's current pass mark.
    db.executescript(
        """
        CREATE TABLE quiz_attempts (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            token TEXT NOT NULL UNIQUE,
            started_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            submitted_at TEXT,
            lang TEXT,
            earned REAL,
            possible INTEGER,
            percent REAL,
            CHECK ((submitted_at IS NULL) = (percent IS NULL))
        );
        CREATE INDEX quiz_attempts_user ON quiz_attempts(user_id, submitted_at);
        CREATE UNIQUE INDEX quiz_attempts_one_open ON quiz_attempts(user_id)
            WHERE submitted_at IS NULL;
        CREATE TABLE quiz_answers (
            attempt_id INTEGER NOT NULL REFERENCES quiz_attempts(id) ON DELETE CASCADE,
            question_id TEXT NOT NULL,
            item_id TEXT NOT NULL,
            option_id TEXT NOT NULL,
            PRIMARY KEY (attempt_id, question_id, item_id, option_id)
        ) WITHOUT ROWID;
        """
    )


@migrations(name="0002_progress_version")
def _progress_version(db: Database) -> None:
    """Nothing now: the accounts' 0003 removes what this once added from the databases that have it."""


@migrations(name="0003_answer_changes")
def _answer_changes(db: Database) -> None:
    # The page's count of changes behind each saved answer: a save that arrives late (sent
    # as a page closed) never replaces an answer chosen after it.
    db.executescript(
        """
        CREATE TABLE quiz_answer_changes (
            attempt_id INTEGER NOT NULL REFERENCES quiz_attempts(id) ON DELETE CASCADE,
            question_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            PRIMARY KEY (attempt_id, question_id)
        ) WITHOUT ROWID;
        """
    )
