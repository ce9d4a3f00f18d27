"""The certificates' table and the cohort's certificate settings."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("courseware.certificates")


@migrations(name="0011_certificates")
def _certificates(db: Database) -> None:
    """A certificate per issue, with what it certified as it was on the day it was issued.

    The cohort's settings: `certificate_mark` is the workshop percentage a certificate needs
    (NULL: the cohort gives no certificates), `certificate_months` how long one stays valid
    (NULL: for good), `certificate_grade` whether the workshop grade is printed on it.
    """
    columns = db["cohorts"].columns_dict
    if "certificate_mark" not in columns:
        db.execute("ALTER TABLE cohorts ADD COLUMN certificate_mark INTEGER DEFAULT 75")
    if "certificate_months" not in columns:
        db.execute("ALTER TABLE cohorts ADD COLUMN certificate_months INTEGER")
    if "certificate_grade" not in columns:
        db.execute("ALTER TABLE cohorts ADD COLUMN certificate_grade INTEGER NOT NULL DEFAULT 0")
    # The name, organisation and grade are copied, not joined: a certificate says what was
    # true when it was issued, and a renamed cohort must not change what HR reads on it.
    db.executescript(
        """
        CREATE TABLE certificates (
            id TEXT PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            cohort_id INTEGER NOT NULL REFERENCES cohorts(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            org_name TEXT NOT NULL DEFAULT '',
            org_name_zh TEXT NOT NULL DEFAULT '',
            grade_percent INTEGER,
            show_org INTEGER NOT NULL DEFAULT 0,
            show_grade INTEGER NOT NULL DEFAULT 0,
            issued_on TEXT NOT NULL,
            expires_on TEXT,
            revoked_at TEXT,
            revoked_reason TEXT NOT NULL DEFAULT '',
            revoked_by INTEGER REFERENCES users(id) ON DELETE SET NULL
        );
        CREATE INDEX certificates_user ON certificates(user_id, issued_on);
        """
    )
