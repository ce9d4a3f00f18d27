"""Sign-in throttling per account, kept in SQLite so that every gunicorn worker sees it."""

from __future__ import annotations

import time

from sqlite_utils import Database


def is_locked(db: Database, email: str, max_failures: int, window_seconds: int,
              now: float | None = None) -> bool:
    """True while the account has max_failures failed sign-ins within the window."""
    since = (now or time.time()) - window_seconds
    count = db.execute(
        "SELECT count(*) FROM login_failures WHERE email = ? AND failed_at > ?",
        [email.strip(), since],
    ).fetchone()[0]
    return count >= max_failures


def record_failure(db: Database, email: str, window_seconds: int, now: float | None = None) -> None:
    now = now or time.time()
    db.execute("DELETE FROM login_failures WHERE failed_at <= ?", [now - window_seconds])
    db.execute("INSERT INTO login_failures (email, failed_at) VALUES (?, ?)", [email.strip(), now])


def clear_failures(db: Database, email: str) -> None:
    db.execute("DELETE FROM login_failures WHERE email = ?", [email.strip()])
