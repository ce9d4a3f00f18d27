"""The accounts' and cohorts' tables: the first migration set, which every area refers to."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

# Named "courseware", not "courseware.auth": the databases in use know it by that name.
migrations = Migrations("courseware")


@migrations(name="0001_accounts_cohorts_progress")
def _initial(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE cohorts (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            join_code TEXT NOT NULL UNIQUE COLLATE NOCASE,
            org_name TEXT NOT NULL DEFAULT '',
            pass_mark INTEGER NOT NULL DEFAULT 75,
            max_key_accounts INTEGER NOT NULL DEFAULT 5,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        );
        CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            email TEXT NOT NULL UNIQUE COLLATE NOCASE,
            name TEXT NOT NULL,
            password_hash TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('trainee', 'trainer')),
            cohort_id INTEGER REFERENCES cohorts(id),
            session_version INTEGER NOT NULL DEFAULT 1,
            last_page_id TEXT,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        );
        CREATE INDEX users_cohort ON users(cohort_id);
        CREATE TABLE cohort_trainers (
            cohort_id INTEGER NOT NULL REFERENCES cohorts(id) ON DELETE CASCADE,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            PRIMARY KEY (cohort_id, user_id)
        ) WITHOUT ROWID;
        CREATE TABLE page_views (
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            page_id TEXT NOT NULL,
            first_viewed_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            last_viewed_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            PRIMARY KEY (user_id, page_id)
        ) WITHOUT ROWID;
        CREATE TABLE login_failures (
            id INTEGER PRIMARY KEY,
            email TEXT NOT NULL COLLATE NOCASE,
            failed_at REAL NOT NULL
        );
        CREATE INDEX login_failures_email ON login_failures(email, failed_at);
        """
    )


@migrations(name="0002_progress_version")
def _progress_version(db: Database) -> None:
    """Nothing now: 0003 removes what this once added from the databases that have it."""


@migrations(name="0003_no_progress_version")
def _no_progress_version(db: Database) -> None:
    """Drop the progress version and the triggers of every area that kept it."""
    triggers = db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'progress\\_%' ESCAPE '\\'"
    ).fetchall()
    for (name,) in triggers:
        db.execute(f'DROP TRIGGER "{name}"')
    if "progress_version" in db["cohorts"].columns_dict:
        db.execute("ALTER TABLE cohorts DROP COLUMN progress_version")


@migrations(name="0004_sign_in_attempts")
def _sign_in_attempts(db: Database) -> None:
    """Count failed sign-ins per account and per client address; count costly anonymous requests.

    The per-account table it replaces locked the account holder out with the attacker; its
    rows are at most 15 minutes of history, so they are dropped, not carried over.
    """
    db.executescript(
        """
        DROP TABLE IF EXISTS login_failures;
        CREATE TABLE sign_in_failures (
            id INTEGER PRIMARY KEY,
            email TEXT NOT NULL,
            address TEXT NOT NULL,
            failed_at REAL NOT NULL
        );
        CREATE INDEX sign_in_failures_email ON sign_in_failures(email, failed_at);
        CREATE INDEX sign_in_failures_address ON sign_in_failures(address, failed_at);
        CREATE TABLE address_events (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            address TEXT NOT NULL,
            at REAL NOT NULL
        );
        CREATE INDEX address_events_address ON address_events(kind, address, at);
        """
    )


@migrations(name="0004_password_resets")
def _password_resets(db: Database) -> None:
    """One-time links to set a new password; only a hash of each link's token is kept."""
    db.executescript(
        """
        CREATE TABLE password_resets (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            token_hash TEXT NOT NULL UNIQUE,
            created_at REAL NOT NULL,
            expires_at REAL NOT NULL,
            used_at REAL,
            issued_by INTEGER REFERENCES users(id) ON DELETE SET NULL
        );
        CREATE INDEX password_resets_user ON password_resets(user_id, created_at);
        """
    )


@migrations(name="0005_cohort_org_name_zh_time_zone")
def _org_name_zh_time_zone(db: Database) -> None:
    """A cohort may name its organisation in Chinese and read its times in its own zone.

    Empty means the one organisation name for both languages, and the configured zone.
    """
    # Column by column, if missing: a development database may hold the Chinese name from an
    # earlier draft of this migration.
    columns = db["cohorts"].columns_dict
    if "org_name_zh" not in columns:
        db.execute("ALTER TABLE cohorts ADD COLUMN org_name_zh TEXT NOT NULL DEFAULT ''")
    if "time_zone" not in columns:
        db.execute("ALTER TABLE cohorts ADD COLUMN time_zone TEXT NOT NULL DEFAULT ''")
