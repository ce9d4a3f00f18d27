"""The workshop's tables: one draft per trainee, every submitted version, and kept work."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("courseware.workshop")


@migrations(name="0001_drafts_submissions")
def _drafts_and_submissions(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE workshop_drafts (
            user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
            cohort_id INTEGER NOT NULL REFERENCES cohorts(id) ON DELETE CASCADE,
            -- the submission version this draft follows (0: none yet); a draft whose base
            -- is older than the latest submission belongs to a version already handed in
            base_version INTEGER NOT NULL DEFAULT 0,
            revision INTEGER NOT NULL,
            workshop TEXT NOT NULL,
            unparsed TEXT NOT NULL DEFAULT '{}',
            updated_at TEXT NOT NULL
        );
        CREATE INDEX workshop_drafts_cohort ON workshop_drafts(cohort_id);
        CREATE TABLE workshop_submissions (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            cohort_id INTEGER NOT NULL REFERENCES cohorts(id) ON DELETE CASCADE,
            version INTEGER NOT NULL CHECK (version >= 1),
            status TEXT NOT NULL CHECK (status IN ('submitted', 'returned', 'released')),
            workshop TEXT NOT NULL,
            lang TEXT NOT NULL,
            submitted_at TEXT NOT NULL,
            status_changed_at TEXT NOT NULL,
            UNIQUE (user_id, version)
        );
        CREATE INDEX workshop_submissions_cohort ON workshop_submissions(cohort_id, user_id);
        -- What a trainee posted after their session had ended, kept until they sign in again.
        CREATE TABLE workshop_restores (
            token TEXT PRIMARY KEY,
            fields TEXT NOT NULL,
            created_at REAL NOT NULL
        );
        """
    )


@migrations(name="0002_progress_version")
def _progress_version(db: Database) -> None:
    """Nothing now: the accounts' 0003 removes what this once added from the databases that have it."""


@migrations(name="0003_draft_editors_kept_work")
def _draft_editors_and_kept_work(db: Database) -> None:
    """Note which page saved each draft, and bind work kept after a session to its browser."""
    db.executescript(
        """
        -- The page (a browser tab) that saved the draft last, and its count of changes: a
        -- late save from that same page is told apart from another window's.
        ALTER TABLE workshop_drafts ADD COLUMN editor TEXT NOT NULL DEFAULT '';
        ALTER TABLE workshop_drafts ADD COLUMN editor_seq INTEGER NOT NULL DEFAULT 0;
        -- Links to the old stashes carried their token in the URL; they stop working.
        DROP TABLE workshop_restores;
        CREATE TABLE workshop_kept (
            token_hash TEXT PRIMARY KEY,
            address TEXT NOT NULL,
            fields TEXT NOT NULL,
            created_at REAL NOT NULL
        );
        CREATE INDEX workshop_kept_address ON workshop_kept(address, created_at);
        """
    )
